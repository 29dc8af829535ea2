import type { Kysely, Migration } from "kysely";

/** Instances (with their health) and service attributes. */
export const m002Instances: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("instances")
      .addColumn("service_id", "varchar(64)", (c) => c.notNull())
      .addColumn("instance_id", "varchar(64)", (c) => c.notNull())
      .addColumn("namespace_id", "varchar(64)", (c) => c.notNull())
      .addColumn("attributes", "text", (c) => c.notNull())
      .addColumn("creator_request_id", "varchar(64)")
      .addColumn("created_by_account", "varchar(12)", (c) => c.notNull())
      .addColumn("health_status", "varchar(16)", (c) => c.notNull())
      .addColumn("custom_health_status", "varchar(16)")
      .addColumn("health_changed_at", "bigint")
      .addColumn("create_date", "bigint", (c) => c.notNull())
      .addColumn("update_date", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("instances_pk", ["service_id", "instance_id"])
      .execute();
    await db.schema.createIndex("instances_order").on("instances").columns(["service_id", "create_date", "instance_id"]).execute();
    await db.schema.createIndex("instances_namespace").on("instances").column("namespace_id").execute();

    await db.schema
      .createTable("service_attributes")
      .addColumn("service_id", "varchar(64)", (c) => c.notNull())
      .addColumn("attr_key", "text", (c) => c.notNull())
      .addColumn("attr_value", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("service_attributes_pk", ["service_id", "attr_key"])
      .execute();
  },
};
