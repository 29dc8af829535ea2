import type { MigrationDialect } from "../migrations/dialect.js";

/** SQLite runs one write transaction at a time, so autoincrement is commit order; one process has no one to tell. */
export const sqliteMigrationDialect: MigrationDialect = {
  prepareEventSequence: async () => undefined,
  eventSeqColumn: { type: "integer", define: (c) => c.primaryKey().autoIncrement() },
  createChangeNotifications: async () => undefined,
  createIamChangeNotifications: async () => undefined,
  createEventRuleNotifications: async () => undefined,
};
