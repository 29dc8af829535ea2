import type { Kysely, Migration } from "kysely";

/**
 * CloudTrail trails and what delivering them needs: per-trail progress over the events log (a seq cursor and the
 * delivery being written), log files waiting for their digest, digest chains per region, and signing keys.
 */
export const m005Trails: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("trails")
      .addColumn("id", "varchar(64)", (c) => c.primaryKey())
      .addColumn("arn", "text", (c) => c.notNull())
      .addColumn("account_id", "varchar(12)", (c) => c.notNull())
      .addColumn("home_region", "varchar(32)", (c) => c.notNull())
      .addColumn("name", "varchar(128)", (c) => c.notNull())
      // The name while the trail lives; `<name>#<id>` once deleted, so the name can be reused at once.
      .addColumn("name_key", "varchar(200)", (c) => c.notNull())
      .addColumn("multi_region", "integer", (c) => c.notNull())
      .addColumn("config", "text", (c) => c.notNull())
      .addColumn("selectors", "text", (c) => c.notNull())
      .addColumn("has_custom_selectors", "integer", (c) => c.notNull())
      .addColumn("is_logging", "integer", (c) => c.notNull())
      .addColumn("start_logging_time", "bigint")
      .addColumn("stop_logging_time", "bigint")
      .addColumn("windows", "text", (c) => c.notNull())
      .addColumn("deleted", "integer", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("cursor_seq", "bigint", (c) => c.notNull())
      .addColumn("plan_to_seq", "bigint")
      .addColumn("plan_at", "bigint")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("trails_name").on("trails").columns(["account_id", "home_region", "name_key"]).unique().execute();

    await db.schema
      .createTable("trail_log_files")
      .addColumn("trail_id", "varchar(64)", (c) => c.notNull())
      .addColumn("region", "varchar(32)", (c) => c.notNull())
      .addColumn("s3_bucket", "text", (c) => c.notNull())
      .addColumn("s3_object", "text", (c) => c.notNull())
      .addColumn("hash_value", "varchar(64)", (c) => c.notNull())
      .addColumn("oldest_event_time", "varchar(32)", (c) => c.notNull())
      .addColumn("newest_event_time", "varchar(32)", (c) => c.notNull())
      .addColumn("delivered_at", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("trail_log_files_pk", ["trail_id", "region", "s3_object"])
      .execute();

    await db.schema
      .createTable("trail_digest_chains")
      .addColumn("trail_id", "varchar(64)", (c) => c.notNull())
      .addColumn("region", "varchar(32)", (c) => c.notNull())
      .addColumn("last_end", "bigint", (c) => c.notNull())
      .addColumn("previous", "text")
      .addColumn("plan_end", "bigint")
      .addPrimaryKeyConstraint("trail_digest_chains_pk", ["trail_id", "region"])
      .execute();

    await db.schema
      .createTable("signing_keys")
      .addColumn("region", "varchar(32)", (c) => c.notNull())
      .addColumn("fingerprint", "varchar(32)", (c) => c.notNull())
      .addColumn("private_key", "text", (c) => c.notNull())
      .addColumn("public_key", "text", (c) => c.notNull())
      .addColumn("valid_from", "bigint", (c) => c.notNull())
      .addColumn("valid_to", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("signing_keys_pk", ["region", "fingerprint"])
      .execute();
  },
};
