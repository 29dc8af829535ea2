import { ServiceError } from "../../protocol/errors.js";

/** CloudTrail's trail errors (all HTTP 400), with the messages spec cloudtrail.md §4 gives. */
export const invalidTrailName = (message: string): ServiceError => new ServiceError("InvalidTrailNameException", message);
export const trailNotFound = (nameOrArn: string, accountId: string): ServiceError =>
  new ServiceError("TrailNotFoundException", `Unknown trail: ${nameOrArn} for the user: ${accountId}`);
export const trailAlreadyExists = (name: string, accountId: string): ServiceError =>
  new ServiceError("TrailAlreadyExistsException", `Trail ${name} already exists for customer: ${accountId}`);
export const invalidArn = (arn: string): ServiceError => new ServiceError("CloudTrailARNInvalidException", `Invalid trail ARN: ${arn}`);
export const invalidHomeRegion = (arn: string, homeRegion: string): ServiceError =>
  new ServiceError("InvalidHomeRegionException", `This operation on trail ${arn} must be called from its home region ${homeRegion}.`);
export const invalidCombination = (message: string): ServiceError => new ServiceError("InvalidParameterCombinationException", message);
export const invalidEventSelectors = (message: string): ServiceError => new ServiceError("InvalidEventSelectorsException", message);
