import { errors as sdErrors } from "../../generated/servicediscovery.js";
import type { ServiceError } from "../../protocol/errors.js";

/** Cloud Map's modelled errors with the messages Cairn gives them (codes and statuses from the model's catalogue). */
export const invalidInput = sdErrors.InvalidInput;
export const namespaceNotFound = (id: string): ServiceError => sdErrors.NamespaceNotFound(`Namespace not found: ${id}`);
export const serviceNotFound = (id: string): ServiceError => sdErrors.ServiceNotFound(`Service not found: ${id}`);
export const operationNotFound = (id: string): ServiceError => sdErrors.OperationNotFound(`Operation not found: ${id}`);
export const resourceInUse = sdErrors.ResourceInUse;
export const resourceLimitExceeded = sdErrors.ResourceLimitExceeded;
export const resourceNotFound = (arn: string): ServiceError => sdErrors.ResourceNotFoundException(`Resource not found: ${arn}`);
export const instanceNotFound = (instanceId: string, serviceId: string): ServiceError =>
  sdErrors.InstanceNotFound(`Instance ${instanceId} is not registered with service ${serviceId}.`);
export const customHealthNotFound = (serviceId: string): ServiceError =>
  sdErrors.CustomHealthNotFound(`Service ${serviceId} has no custom health check configuration (HealthCheckCustomConfig).`);
