import { ServiceError, internalFailure } from "../protocol/errors.js";

/**
 * The store could not write: SQLite's "database or disk is full" and its I/O errors (a file-size limit
 * answers EFBIG, which SQLite reports as SQLITE_IOERR_WRITE), or the OS's ENOSPC/EDQUOT/EFBIG directly.
 */
function isStorageFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string") return false;
  return code === "SQLITE_FULL" || code.startsWith("SQLITE_IOERR") || code === "ENOSPC" || code === "EDQUOT" || code === "EFBIG";
}

/**
 * The answer to a failure no layer turned into a ServiceError. A full disk is the operator's problem, not a
 * bug: 503 ServiceUnavailable, which SDKs retry; anything else is 500 InternalFailure. Neither says more.
 */
export function unexpectedFailure(error: unknown): ServiceError {
  if (isStorageFailure(error)) {
    return new ServiceError("ServiceUnavailable", "The service is unavailable: its store cannot take more data. Try again later.", { httpStatus: 503 });
  }
  return internalFailure();
}
