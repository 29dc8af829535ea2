import type { ServiceError } from "../protocol/errors.js";
import { commonErrors, internalFailure } from "../protocol/common-errors.js";

/**
 * The store could not write: SQLite's "database or disk is full" and its I/O errors (a file-size limit
 * answers EFBIG, which SQLite reports as SQLITE_IOERR_WRITE), or the OS's ENOSPC/EDQUOT/EFBIG directly;
 * PostgreSQL's out of resources (SQLSTATE class 53: disk full, out of memory, too many connections) or read-only
 * (25006: a standby after a failover, a database set read-only).
 */
function isStorageFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string") return false;
  if (code === "SQLITE_FULL" || code.startsWith("SQLITE_IOERR") || code === "ENOSPC" || code === "EDQUOT" || code === "EFBIG") return true;
  return /^53[0-9A-Z]{3}$/.test(code) || code === "25006";
}

/**
 * The answer to a failure no layer turned into a ServiceError. A full disk is the operator's problem, not a
 * bug: 503 ServiceUnavailable, which SDKs retry; anything else is 500 InternalFailure. Neither says more.
 */
export function unexpectedFailure(error: unknown): ServiceError {
  if (isStorageFailure(error)) {
    return commonErrors.ServiceUnavailable("The service is unavailable: its store cannot take writes. Try again later.");
  }
  return internalFailure();
}
