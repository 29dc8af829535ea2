import type { ColumnDefinitionBuilder, Kysely } from "kysely";

/**
 * The few schema steps that differ between stores, supplied by each store (sqlite/migration-dialect.ts,
 * postgres/migration-dialect.ts) so that the numbered migrations stay portable and never ask which store they run on.
 * A new store implements this; its migrations then run unchanged.
 */
export interface MigrationDialect {
  /** Creates what the events table's seq column needs (migration 001), before the table. */
  prepareEventSequence(db: Kysely<unknown>): Promise<void>;
  /** The events.seq column: the primary key, numbered in commit order (see EventRepo.append). */
  eventSeqColumn: { type: "integer" | "bigint"; define(column: ColumnDefinitionBuilder): ColumnDefinitionBuilder };
  /** Announces committed changes to the other nodes on the store (migration 007); nothing on a one-process store. */
  createChangeNotifications(db: Kysely<unknown>): Promise<void>;
  /** Announces committed IAM changes the same way (migration 009). */
  createIamChangeNotifications(db: Kysely<unknown>): Promise<void>;
  /** Announces event-bus rule and target changes the same way (migration 010). */
  createEventRuleNotifications(db: Kysely<unknown>): Promise<void>;
}
