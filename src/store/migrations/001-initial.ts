import type { Kysely, Migration } from "kysely";
import type { MigrationDialect } from "./dialect.js";

export const m001Initial = (dialect: MigrationDialect): Migration => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("accounts")
      .addColumn("account_id", "varchar(12)", (c) => c.primaryKey())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("access_keys")
      .addColumn("access_key_id", "varchar(128)", (c) => c.primaryKey())
      .addColumn("account_id", "varchar(12)", (c) => c.notNull())
      .addColumn("secret_access_key", "text", (c) => c.notNull())
      .addColumn("status", "varchar(16)", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .execute();

    await db.schema
      .createTable("namespaces")
      .addColumn("id", "varchar(64)", (c) => c.primaryKey())
      .addColumn("account_id", "varchar(12)", (c) => c.notNull())
      .addColumn("region", "varchar(32)", (c) => c.notNull())
      .addColumn("arn", "text", (c) => c.notNull())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("type", "varchar(16)", (c) => c.notNull())
      .addColumn("description", "text")
      .addColumn("http_name", "text", (c) => c.notNull())
      .addColumn("hosted_zone_id", "varchar(64)")
      .addColumn("vpc", "varchar(64)")
      .addColumn("soa_ttl", "bigint")
      .addColumn("creator_request_id", "varchar(64)")
      .addColumn("create_date", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("namespaces_http_name")
      .on("namespaces")
      .columns(["account_id", "region", "http_name"])
      .unique()
      .execute();

    await db.schema
      .createTable("services")
      .addColumn("id", "varchar(64)", (c) => c.primaryKey())
      .addColumn("account_id", "varchar(12)", (c) => c.notNull())
      .addColumn("region", "varchar(32)", (c) => c.notNull())
      .addColumn("namespace_id", "varchar(64)", (c) => c.notNull())
      .addColumn("arn", "text", (c) => c.notNull())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("name_key", "text", (c) => c.notNull())
      .addColumn("type", "varchar(16)", (c) => c.notNull())
      .addColumn("description", "text")
      .addColumn("dns_config", "text")
      .addColumn("health_check_config", "text")
      .addColumn("health_check_custom_config", "text")
      .addColumn("creator_request_id", "varchar(64)")
      .addColumn("created_by_account", "varchar(12)", (c) => c.notNull())
      .addColumn("create_date", "bigint", (c) => c.notNull())
      .addColumn("instances_revision", "bigint", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("services_name").on("services").columns(["namespace_id", "name_key"]).unique().execute();
    await db.schema.createIndex("services_scope").on("services").columns(["account_id", "region", "create_date"]).execute();

    await db.schema
      .createTable("operations")
      .addColumn("id", "varchar(64)", (c) => c.primaryKey())
      .addColumn("account_id", "varchar(12)", (c) => c.notNull())
      .addColumn("region", "varchar(32)", (c) => c.notNull())
      .addColumn("type", "varchar(32)", (c) => c.notNull())
      .addColumn("status", "varchar(16)", (c) => c.notNull())
      .addColumn("error_code", "varchar(64)")
      .addColumn("error_message", "text")
      .addColumn("namespace_id", "varchar(64)")
      .addColumn("service_id", "varchar(64)")
      .addColumn("instance_id", "varchar(64)")
      .addColumn("create_date", "bigint", (c) => c.notNull())
      .addColumn("update_date", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("operations_scope")
      .on("operations")
      .columns(["account_id", "region", "create_date", "id"])
      .execute();

    await db.schema
      .createTable("request_tokens")
      .addColumn("account_id", "varchar(12)", (c) => c.notNull())
      .addColumn("region", "varchar(32)", (c) => c.notNull())
      .addColumn("operation", "varchar(64)", (c) => c.notNull())
      .addColumn("token", "varchar(512)", (c) => c.notNull())
      .addColumn("result", "text", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("request_tokens_pk", ["account_id", "region", "operation", "token"])
      .execute();

    await db.schema
      .createTable("tags")
      .addColumn("resource_arn", "text", (c) => c.notNull())
      .addColumn("tag_key", "text", (c) => c.notNull())
      .addColumn("tag_value", "text", (c) => c.notNull())
      .addColumn("position", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("tags_pk", ["resource_arn", "tag_key"])
      .execute();

    await dialect.prepareEventSequence(db);
    await db.schema
      .createTable("events")
      .addColumn("seq", dialect.eventSeqColumn.type, dialect.eventSeqColumn.define)
      .addColumn("event_id", "varchar(64)", (c) => c.notNull().unique())
      .addColumn("account_id", "varchar(12)", (c) => c.notNull())
      .addColumn("region", "varchar(32)", (c) => c.notNull())
      .addColumn("event_time", "bigint", (c) => c.notNull())
      .addColumn("event_name", "varchar(128)", (c) => c.notNull())
      .addColumn("event_source", "varchar(128)", (c) => c.notNull())
      .addColumn("read_only", "integer", (c) => c.notNull())
      .addColumn("username", "text")
      .addColumn("access_key_id", "varchar(128)")
      .addColumn("error_code", "text")
      .addColumn("record", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("events_time").on("events").columns(["account_id", "region", "event_time", "seq"]).execute();
    await db.schema
      .createTable("event_resources")
      .addColumn("seq", "bigint", (c) => c.notNull())
      .addColumn("resource_type", "text", (c) => c.notNull())
      .addColumn("resource_name", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("event_resources_seq").on("event_resources").column("seq").execute();
  },
});
