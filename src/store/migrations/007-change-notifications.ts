import type { Kysely, Migration } from "kysely";
import type { MigrationDialect } from "./dialect.js";

/**
 * Every committed change to what nodes keep in memory (namespaces, services, instances and their health, access
 * keys) is announced to the other nodes on the store: on PostgreSQL by triggers (postgres/migration-dialect.ts);
 * SQLite has one process, with nothing to announce.
 */
export const m007ChangeNotifications = (dialect: MigrationDialect): Migration => ({
  async up(db: Kysely<unknown>) {
    await dialect.createChangeNotifications(db);
  },
});
