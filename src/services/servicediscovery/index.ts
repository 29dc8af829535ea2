import { model } from "../../generated/servicediscovery.js";
import type { ApiDef } from "../operation.js";
import * as discovery from "./discovery.js";
import * as instances from "./instances.js";
import * as namespaces from "./namespaces.js";
import * as operations from "./operations.js";
import * as serviceAttributes from "./service-attributes.js";
import * as services from "./services.js";
import * as tags from "./tags.js";

/** AWS Cloud Map: the operation table the pipeline dispatches on. */
export const servicediscoveryApi: ApiDef = {
  signingName: "servicediscovery",
  model,
  eventSource: "servicediscovery.amazonaws.com",
  validationErrorCode: "InvalidInput",
  operations: {
    ...namespaces,
    ...services,
    ...serviceAttributes,
    ...instances,
    ...discovery,
    ...operations,
    ...tags,
  },
};
