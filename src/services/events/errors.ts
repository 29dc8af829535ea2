import { errors as ebErrors } from "../../generated/events.js";
import { errorCatalogue, errorSpec, type ServiceError } from "../../protocol/errors.js";

/** EventBridge answers bad parameters with ValidationException, which its model does not declare. */
const unmodelled = errorCatalogue({ ValidationException: errorSpec("ValidationException", 400) });

/** EventBridge's errors with the messages AWS answers (codes and statuses from the model's catalogue). */
export const validation = unmodelled.ValidationException;
export const ruleNotFound = (name: string, bus: string): ServiceError => ebErrors.ResourceNotFoundException(`Rule ${name} does not exist on EventBus ${bus}.`);
export const busNotFound = (name: string): ServiceError => ebErrors.ResourceNotFoundException(`Event bus ${name} does not exist.`);
export const connectionNotFound = (name: string): ServiceError =>
  ebErrors.ResourceNotFoundException(`Failed to describe the connection(s). Connection '${name}' does not exist.`);
export const destinationNotFound = (name: string): ServiceError =>
  ebErrors.ResourceNotFoundException(`Failed to describe the api-destination(s). An api-destination '${name}' does not exist.`);
export const alreadyExists = (what: string, name: string): ServiceError => ebErrors.ResourceAlreadyExistsException(`${what} ${name} already exists.`);
export const limitExceeded = ebErrors.LimitExceededException;
export const invalidNextToken = (): ServiceError => validation("The NextToken provided is invalid.");
