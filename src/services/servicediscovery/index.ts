import { errors, model } from "../../generated/servicediscovery.js";
import { defineApi } from "../define-api.js";
import { DiscoverInstances, DiscoverInstancesRevision } from "./discovery.js";
import { DeregisterInstance, GetInstance, GetInstancesHealthStatus, ListInstances, RegisterInstance, UpdateInstanceCustomHealthStatus } from "./instances.js";
import { CreateHttpNamespace, CreatePrivateDnsNamespace, CreatePublicDnsNamespace, DeleteNamespace, GetNamespace, ListNamespaces, UpdateHttpNamespace, UpdatePrivateDnsNamespace, UpdatePublicDnsNamespace } from "./namespaces.js";
import { GetOperation, ListOperations } from "./operations.js";
import { DeleteServiceAttributes, GetServiceAttributes, UpdateServiceAttributes } from "./service-attributes.js";
import { CreateService, DeleteService, GetService, ListServices, UpdateService } from "./services.js";
import { ListTagsForResource, TagResource, UntagResource } from "./tags.js";

/** AWS Cloud Map: the operation table the pipeline dispatches on. */
export const servicediscoveryApi = defineApi({
  signingName: "servicediscovery",
  model,
  eventSource: "servicediscovery.amazonaws.com",
  validationError: errors.InvalidInput,
  operations: {
    CreateHttpNamespace,
    CreatePrivateDnsNamespace,
    CreatePublicDnsNamespace,
    UpdateHttpNamespace,
    UpdatePrivateDnsNamespace,
    UpdatePublicDnsNamespace,
    DeleteNamespace,
    GetNamespace,
    ListNamespaces,
    CreateService,
    GetService,
    ListServices,
    UpdateService,
    DeleteService,
    GetServiceAttributes,
    UpdateServiceAttributes,
    DeleteServiceAttributes,
    RegisterInstance,
    DeregisterInstance,
    GetInstance,
    ListInstances,
    GetInstancesHealthStatus,
    UpdateInstanceCustomHealthStatus,
    DiscoverInstances,
    DiscoverInstancesRevision,
    GetOperation,
    ListOperations,
    TagResource,
    UntagResource,
    ListTagsForResource,
  },
  // Every operation of the model is served.
  unsupported: [],
});
