import { StoreFullError, driverCode, type StoreError } from "../errors.js";

/**
 * SQLite's "database or disk is full" and its I/O errors (a file-size limit answers EFBIG, which SQLite reports as
 * SQLITE_IOERR_WRITE), and the OS's own codes for the same when a file of the store fails outside SQLite.
 */
export function sqliteStoreError(error: unknown): StoreError | undefined {
  const code = driverCode(error);
  if (code === undefined) return undefined;
  if (code === "SQLITE_FULL" || code.startsWith("SQLITE_IOERR") || code === "ENOSPC" || code === "EDQUOT" || code === "EFBIG") {
    return new StoreFullError(`the SQLite store cannot write (${code})`, { cause: error });
  }
  return undefined;
}
