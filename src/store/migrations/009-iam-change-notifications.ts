import type { Kysely, Migration } from "kysely";
import type { MigrationDialect } from "./dialect.js";

/**
 * What the IAM caches keep (see store/changes.ts) is announced to the other nodes too, as migration 007 does for
 * discovery: on PostgreSQL by triggers (postgres/migration-dialect.ts); SQLite has nothing to announce.
 */
export const m009IamChangeNotifications = (dialect: MigrationDialect): Migration => ({
  async up(db: Kysely<unknown>) {
    await dialect.createIamChangeNotifications(db);
  },
});
