import { ServiceError, internalFailure } from "../protocol/errors.js";

/** SQLite's "database or disk is full" (also what a database size cap answers), and the OS's ENOSPC/EDQUOT. */
function isStorageFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "SQLITE_FULL" || code === "ENOSPC" || code === "EDQUOT";
}

/**
 * The answer to a failure no layer turned into a ServiceError. A full disk is the operator's problem, not a
 * bug: 503 ServiceUnavailable, which SDKs retry; anything else is 500 InternalFailure. Neither says more.
 */
export function unexpectedFailure(error: unknown): ServiceError {
  if (isStorageFull(error)) {
    return new ServiceError("ServiceUnavailable", "The service is unavailable: its store cannot take more data. Try again later.", { httpStatus: 503 });
  }
  return internalFailure();
}
