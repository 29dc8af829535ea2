import { ServiceError } from "../../protocol/errors.js";

/** IAM's modeled errors, with the statuses its model gives them. */
export const noSuchEntity = (message: string): ServiceError => new ServiceError("NoSuchEntity", message, { httpStatus: 404 });
export const entityAlreadyExists = (message: string): ServiceError => new ServiceError("EntityAlreadyExists", message, { httpStatus: 409 });
export const deleteConflict = (message: string): ServiceError => new ServiceError("DeleteConflict", message, { httpStatus: 409 });
export const limitExceeded = (message: string): ServiceError => new ServiceError("LimitExceeded", message, { httpStatus: 409 });
export const malformedPolicy = (message: string): ServiceError => new ServiceError("MalformedPolicyDocument", message);
export const invalidInput = (message: string): ServiceError => new ServiceError("InvalidInput", message);

/** Permissions boundaries would narrow what an entity may do: refusing them is safer than ignoring them. */
export function refuseBoundary(boundary: string | undefined): void {
  if (boundary !== undefined) throw invalidInput("Permissions boundaries are not supported by Cairn.");
}
