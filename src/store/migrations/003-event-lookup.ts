import { sql, type Kysely, type Migration } from "kysely";

/**
 * Event history lookups at scale: one index per LookupEvents attribute, each ending in (event_time, seq) so
 * that "this attribute, this time range, newest first, after this cursor" is one backward index range scan.
 * Resource rows carry their event's account, region and time, for the same reason.
 */
export const m003EventLookup: Migration = {
  async up(db: Kysely<unknown>) {
    for (const [name, column] of [
      ["events_name", "event_name"],
      ["events_source", "event_source"],
      ["events_read_only", "read_only"],
      ["events_username", "username"],
      ["events_access_key", "access_key_id"],
    ] as const) {
      await db.schema.createIndex(name).on("events").columns(["account_id", "region", column, "event_time", "seq"]).execute();
    }

    await db.schema
      .createTable("event_resources_v3")
      .addColumn("seq", "bigint", (c) => c.notNull())
      .addColumn("position", "integer", (c) => c.notNull())
      .addColumn("account_id", "varchar(12)", (c) => c.notNull())
      .addColumn("region", "varchar(32)", (c) => c.notNull())
      .addColumn("event_time", "bigint", (c) => c.notNull())
      .addColumn("resource_type", "text", (c) => c.notNull())
      .addColumn("resource_name", "text", (c) => c.notNull())
      .execute();
    await sql`insert into event_resources_v3 (seq, position, account_id, region, event_time, resource_type, resource_name)
      select r.seq, 0, e.account_id, e.region, e.event_time, r.resource_type, r.resource_name
      from event_resources r join events e on e.seq = r.seq`.execute(db);
    await db.schema.dropTable("event_resources").execute();
    await db.schema.alterTable("event_resources_v3").renameTo("event_resources").execute();
    await db.schema.createIndex("event_resources_seq").on("event_resources").columns(["seq", "position"]).execute();
    await db.schema
      .createIndex("event_resources_type")
      .on("event_resources")
      .columns(["account_id", "region", "resource_type", "event_time", "seq"])
      .execute();
    await db.schema
      .createIndex("event_resources_name")
      .on("event_resources")
      .columns(["account_id", "region", "resource_name", "event_time", "seq"])
      .execute();
  },
};
