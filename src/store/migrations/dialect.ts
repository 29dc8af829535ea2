import { PostgresAdapter, type Kysely } from "kysely";

/** Migrations are portable; the few steps that differ between SQLite and PostgreSQL branch on this. */
export function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
