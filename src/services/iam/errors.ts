import { ServiceError } from "../../protocol/errors.js";

/** IAM's modeled errors, with the statuses its model gives them. */
export const noSuchEntity = (message: string): ServiceError => new ServiceError("NoSuchEntity", message, { httpStatus: 404 });
export const entityAlreadyExists = (message: string): ServiceError => new ServiceError("EntityAlreadyExists", message, { httpStatus: 409 });
export const deleteConflict = (message: string): ServiceError => new ServiceError("DeleteConflict", message, { httpStatus: 409 });
export const limitExceeded = (message: string): ServiceError => new ServiceError("LimitExceeded", message, { httpStatus: 409 });
export const malformedPolicy = (message: string): ServiceError => new ServiceError("MalformedPolicyDocument", message);
export const invalidInput = (message: string): ServiceError => new ServiceError("InvalidInput", message);
