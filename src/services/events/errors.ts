import { ServiceError } from "../../protocol/errors.js";

/** EventBridge's errors (all HTTP 400 but InternalException), with the messages AWS answers. */
export const validation = (message: string): ServiceError => new ServiceError("ValidationException", message);
export const ruleNotFound = (name: string, bus: string): ServiceError =>
  new ServiceError("ResourceNotFoundException", `Rule ${name} does not exist on EventBus ${bus}.`);
export const busNotFound = (name: string): ServiceError => new ServiceError("ResourceNotFoundException", `Event bus ${name} does not exist.`);
export const connectionNotFound = (name: string): ServiceError =>
  new ServiceError("ResourceNotFoundException", `Failed to describe the connection(s). Connection '${name}' does not exist.`);
export const destinationNotFound = (name: string): ServiceError =>
  new ServiceError("ResourceNotFoundException", `Failed to describe the api-destination(s). An api-destination '${name}' does not exist.`);
export const alreadyExists = (what: string, name: string): ServiceError => new ServiceError("ResourceAlreadyExistsException", `${what} ${name} already exists.`);
export const limitExceeded = (message: string): ServiceError => new ServiceError("LimitExceededException", message);
export const invalidNextToken = (): ServiceError => validation("The NextToken provided is invalid.");
