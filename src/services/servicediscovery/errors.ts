import { ServiceError } from "../../protocol/errors.js";

/** Cloud Map's modeled errors (codes without an `Exception` suffix, all HTTP 400). */
export const invalidInput = (message: string): ServiceError => new ServiceError("InvalidInput", message);
export const namespaceNotFound = (id: string): ServiceError => new ServiceError("NamespaceNotFound", `Namespace not found: ${id}`);
export const serviceNotFound = (id: string): ServiceError => new ServiceError("ServiceNotFound", `Service not found: ${id}`);
export const operationNotFound = (id: string): ServiceError => new ServiceError("OperationNotFound", `Operation not found: ${id}`);
export const resourceInUse = (message: string): ServiceError => new ServiceError("ResourceInUse", message);
export const resourceLimitExceeded = (message: string): ServiceError => new ServiceError("ResourceLimitExceeded", message);
export const resourceNotFound = (arn: string): ServiceError =>
  new ServiceError("ResourceNotFoundException", `Resource not found: ${arn}`);
export const instanceNotFound = (instanceId: string, serviceId: string): ServiceError =>
  new ServiceError("InstanceNotFound", `Instance ${instanceId} is not registered with service ${serviceId}.`);
export const customHealthNotFound = (serviceId: string): ServiceError =>
  new ServiceError("CustomHealthNotFound", `Service ${serviceId} has no custom health check configuration (HealthCheckCustomConfig).`);
