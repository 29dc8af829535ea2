/**
 * What a store throws when the database, not the caller, is the problem. Each store turns its own error codes into
 * these (sqlite/errors.ts, postgres/errors.ts), so that nothing outside the store knows a database's codes.
 */
export abstract class StoreError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The store cannot write for lack of room: a full disk, a file-size or disk-quota limit, an I/O error writing. */
export class StoreFullError extends StoreError {}

/**
 * The store is there but refuses the work for now: out of memory or connections, or read-only (a standby after a
 * failover, a database set read-only). Retrying later may succeed.
 */
export class StoreUnavailableError extends StoreError {}

/** How a store recognises its database's errors: the typed error, or undefined for anything else. */
export type StoreErrorMapping = (error: unknown) => StoreError | undefined;

/** The `code` a driver put on an error (SQLite's `SQLITE_FULL`, PostgreSQL's SQLSTATE, the OS's `ENOSPC`). */
export function driverCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}
