import { StoreFullError, StoreUnavailableError, driverCode, type StoreError } from "../errors.js";

/**
 * SQLSTATE class 53, insufficient resources (53100 disk_full; out of memory, too many connections, …), and 25006
 * read_only_sql_transaction (a standby after a failover, a database set read-only).
 */
export function postgresStoreError(error: unknown): StoreError | undefined {
  const code = driverCode(error);
  if (code === "53100") return new StoreFullError("the PostgreSQL store cannot write: disk full (53100)", { cause: error });
  if (code !== undefined && (/^53[0-9A-Z]{3}$/.test(code) || code === "25006")) {
    return new StoreUnavailableError(`the PostgreSQL store refuses the work for now (${code})`, { cause: error });
  }
  return undefined;
}
