import type { Kysely, Migration } from "kysely";
import type { MigrationDialect } from "./dialect.js";

/**
 * EventBridge: rules and their targets on each account's default bus per region, connections (their secrets
 * sealed), API destinations, and the delivery outbox. Outbox rows are written in the transaction of the event
 * they deliver, so a crash loses none; the delivery worker deletes a row once delivered or dropped.
 */
export const m010EventBus = (dialect: MigrationDialect): Migration => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("event_rules")
      .addColumn("account_id", "varchar(12)", (c) => c.notNull())
      .addColumn("region", "varchar(32)", (c) => c.notNull())
      .addColumn("event_bus_name", "varchar(256)", (c) => c.notNull())
      .addColumn("name", "varchar(64)", (c) => c.notNull())
      .addColumn("arn", "text", (c) => c.notNull())
      .addColumn("event_pattern", "text")
      .addColumn("state", "varchar(48)", (c) => c.notNull())
      .addColumn("description", "text")
      .addColumn("role_arn", "text")
      .addColumn("managed_by", "text")
      .addColumn("created_by", "varchar(12)", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("event_rules_pk", ["account_id", "region", "event_bus_name", "name"])
      .execute();

    await db.schema
      .createTable("event_targets")
      .addColumn("account_id", "varchar(12)", (c) => c.notNull())
      .addColumn("region", "varchar(32)", (c) => c.notNull())
      .addColumn("event_bus_name", "varchar(256)", (c) => c.notNull())
      .addColumn("rule_name", "varchar(64)", (c) => c.notNull())
      .addColumn("target_id", "varchar(64)", (c) => c.notNull())
      .addColumn("arn", "text", (c) => c.notNull())
      // The target as PutTargets gave it (Input, InputPath, InputTransformer, HttpParameters, RetryPolicy), as JSON.
      .addColumn("config", "text", (c) => c.notNull())
      .addColumn("position", "integer", (c) => c.notNull())
      .addPrimaryKeyConstraint("event_targets_pk", ["account_id", "region", "event_bus_name", "rule_name", "target_id"])
      .execute();
    await db.schema.createIndex("event_targets_arn").on("event_targets").columns(["account_id", "region", "arn"]).execute();

    await db.schema
      .createTable("event_connections")
      .addColumn("account_id", "varchar(12)", (c) => c.notNull())
      .addColumn("region", "varchar(32)", (c) => c.notNull())
      .addColumn("name", "varchar(64)", (c) => c.notNull())
      .addColumn("arn", "text", (c) => c.notNull())
      .addColumn("description", "text")
      .addColumn("authorization_type", "varchar(32)", (c) => c.notNull())
      .addColumn("state", "varchar(32)", (c) => c.notNull())
      // AuthParameters without their secret values (what Describe may show), as JSON.
      .addColumn("auth_public", "text", (c) => c.notNull())
      // The secret values (API key value, password, secret parameters), sealed with the data dir's SecretBox.
      .addColumn("auth_sealed", "text", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("modified_at", "bigint", (c) => c.notNull())
      .addColumn("authorized_at", "bigint")
      .addPrimaryKeyConstraint("event_connections_pk", ["account_id", "region", "name"])
      .execute();

    await db.schema
      .createTable("event_api_destinations")
      .addColumn("account_id", "varchar(12)", (c) => c.notNull())
      .addColumn("region", "varchar(32)", (c) => c.notNull())
      .addColumn("name", "varchar(64)", (c) => c.notNull())
      .addColumn("arn", "text", (c) => c.notNull())
      .addColumn("description", "text")
      .addColumn("connection_arn", "text", (c) => c.notNull())
      .addColumn("invocation_endpoint", "text", (c) => c.notNull())
      .addColumn("http_method", "varchar(8)", (c) => c.notNull())
      .addColumn("rate_limit", "integer", (c) => c.notNull())
      .addColumn("state", "varchar(16)", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("modified_at", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("event_api_destinations_pk", ["account_id", "region", "name"])
      .execute();
    await db.schema.createIndex("event_api_destinations_arn").on("event_api_destinations").column("arn").execute();

    await db.schema
      .createTable("event_outbox")
      .addColumn("id", "varchar(64)", (c) => c.primaryKey())
      .addColumn("event_id", "varchar(64)", (c) => c.notNull())
      .addColumn("rule_arn", "text", (c) => c.notNull())
      .addColumn("target_id", "varchar(64)", (c) => c.notNull())
      .addColumn("target_arn", "text", (c) => c.notNull())
      // The body to send (the event, or the target's Input/InputPath/InputTransformer result).
      .addColumn("body", "text", (c) => c.notNull())
      // HttpParameters and RetryPolicy of the target when the event matched, as JSON.
      .addColumn("delivery", "text", (c) => c.notNull())
      .addColumn("attempts", "integer", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("next_attempt_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("event_outbox_due").on("event_outbox").columns(["next_attempt_at", "id"]).execute();

    await dialect.createEventRuleNotifications(db);
  },
});
