import { errors as iamErrors } from "../../generated/iam.js";

/** IAM's modelled errors most handlers answer (codes, statuses and faults from the model's catalogue). */
export const noSuchEntity = iamErrors.NoSuchEntity;
export const entityAlreadyExists = iamErrors.EntityAlreadyExists;
export const deleteConflict = iamErrors.DeleteConflict;
export const limitExceeded = iamErrors.LimitExceeded;
export const malformedPolicy = iamErrors.MalformedPolicyDocument;
export const invalidInput = iamErrors.InvalidInput;
