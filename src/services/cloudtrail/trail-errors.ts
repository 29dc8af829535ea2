import { errors as ctErrors } from "../../generated/cloudtrail.js";
import type { ServiceError } from "../../protocol/errors.js";

/** CloudTrail's trail errors with the messages CloudTrail gives them (codes and statuses from the model's catalogue). */
export const invalidTrailName = ctErrors.InvalidTrailNameException;
export const trailNotFound = (nameOrArn: string, accountId: string): ServiceError =>
  ctErrors.TrailNotFoundException(`Unknown trail: ${nameOrArn} for the user: ${accountId}`);
export const trailAlreadyExists = (name: string, accountId: string): ServiceError =>
  ctErrors.TrailAlreadyExistsException(`Trail ${name} already exists for customer: ${accountId}`);
export const invalidArn = (arn: string): ServiceError => ctErrors.CloudTrailARNInvalidException(`Invalid trail ARN: ${arn}`);
export const invalidHomeRegion = (arn: string, homeRegion: string): ServiceError =>
  ctErrors.InvalidHomeRegionException(`This operation on trail ${arn} must be called from its home region ${homeRegion}.`);
export const invalidCombination = ctErrors.InvalidParameterCombinationException;
export const invalidEventSelectors = ctErrors.InvalidEventSelectorsException;
