import { sql, type Kysely, type Migration } from "kysely";
import { CAIRN_LOCK_CLASS, EVENT_SEQUENCE_KEY } from "../postgres/lock-keys.js";
import { isPostgres } from "./dialect.js";

/**
 * PostgreSQL's event sequence. Trails read the log as `seq > cursor ORDER BY seq`, so a seq must never become
 * visible after a larger one, or a cursor would already be past it. A plain sequence does not give that:
 * concurrent transactions take numbers in one order and commit in another. Here the number is taken under a
 * transaction-scoped advisory lock that is held until commit, and PostgreSQL makes a commit visible before it
 * releases the transaction's locks; so the transaction holding seq N is the only one in flight with a seq,
 * every smaller seq is already visible (or rolled back, leaving a hole no one can fill), and seq order is commit
 * order. The price: transactions that append events commit one at a time (as SQLite's do), from their first
 * append to their commit; the pipeline appends last, so the lock is held for the append and the commit only.
 * SQLite needs none of this: it runs one write transaction at a time, and autoincrement gives commit order.
 */
async function createPostgresEventSequence(db: Kysely<unknown>): Promise<void> {
  await sql`create sequence cairn_event_seq`.execute(db);
  await sql`create function cairn_next_event_seq() returns bigint language plpgsql as $$
    begin
      perform pg_advisory_xact_lock(${sql.lit(CAIRN_LOCK_CLASS)}, ${sql.lit(EVENT_SEQUENCE_KEY)});
      return nextval('cairn_event_seq');
    end
  $$`.execute(db);
}

export const m001Initial: Migration = {
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

    const postgres = isPostgres(db);
    if (postgres) await createPostgresEventSequence(db);
    await db.schema
      .createTable("events")
      .$call((t) =>
        postgres
          ? t.addColumn("seq", "bigint", (c) => c.primaryKey().defaultTo(sql`cairn_next_event_seq()`))
          : t.addColumn("seq", "integer", (c) => c.primaryKey().autoIncrement()),
      )
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
};
