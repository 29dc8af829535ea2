import type { ServiceError } from "../protocol/errors.js";
import { commonErrors, internalFailure } from "../protocol/common-errors.js";
import { StoreError } from "../store/errors.js";

/**
 * The answer to a failure no layer turned into a ServiceError. A store that cannot take writes (full, read-only, out
 * of resources: a typed StoreError, see store/errors.ts) is the operator's problem, not a bug: 503
 * ServiceUnavailable, which SDKs retry; anything else is 500 InternalFailure. Neither says more.
 */
export function unexpectedFailure(error: unknown): ServiceError {
  if (error instanceof StoreError) {
    return commonErrors.ServiceUnavailable("The service is unavailable: its store cannot take writes. Try again later.");
  }
  return internalFailure();
}
