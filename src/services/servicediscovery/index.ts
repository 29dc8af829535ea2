import { errors, model } from "../../generated/servicediscovery.js";
import { defineApi } from "../define-api.js";
import * as discovery from "./discovery.js";
import * as instances from "./instances.js";
import * as namespaces from "./namespaces.js";
import * as operations from "./operations.js";
import * as serviceAttributes from "./service-attributes.js";
import * as services from "./services.js";
import * as tags from "./tags.js";

/** AWS Cloud Map: every operation of its model is served; each module exports its operations' rows by name. */
export const servicediscoveryApi = defineApi({
  signingName: "servicediscovery",
  model,
  eventSource: "servicediscovery.amazonaws.com",
  validationError: errors.InvalidInput,
  operations: {
    ...namespaces,
    ...services,
    ...serviceAttributes,
    ...instances,
    ...discovery,
    ...operations,
    ...tags,
  },
  // Every operation of the model is served.
  unsupported: [],
});
