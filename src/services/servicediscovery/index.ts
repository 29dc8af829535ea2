import { errors, model } from "../../generated/servicediscovery.js";
import { withAuthorization, type ApiDef } from "../operation.js";
import { cloudMapAuthorization } from "./authorization.js";
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
  validationError: errors.InvalidInput,
  operations: withAuthorization(
    {
      ...namespaces,
      ...services,
      ...serviceAttributes,
      ...instances,
      ...discovery,
      ...operations,
      ...tags,
    },
    cloudMapAuthorization,
  ),
};
