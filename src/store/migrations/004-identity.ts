import type { Kysely, Migration } from "kysely";

/**
 * IAM users, roles, managed and inline policies and their attachments; access keys owned by IAM users or bound to
 * an AWS service principal; STS sessions (sealed secrets, so any node can verify them). Names are unique per
 * account case-insensitively, as in IAM: `name_key` is the lower-cased name.
 */
export const m004Identity: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable("access_keys").addColumn("user_name", "text").execute();
    await db.schema.alterTable("access_keys").addColumn("service_principal", "text").execute();
    await db.schema.createIndex("access_keys_user").on("access_keys").columns(["account_id", "user_name"]).execute();

    await db.schema
      .createTable("iam_users")
      .addColumn("account_id", "varchar(12)", (c) => c.notNull())
      .addColumn("name_key", "varchar(64)", (c) => c.notNull())
      .addColumn("user_name", "varchar(64)", (c) => c.notNull())
      .addColumn("user_id", "varchar(32)", (c) => c.notNull())
      .addColumn("path", "varchar(512)", (c) => c.notNull())
      .addColumn("arn", "text", (c) => c.notNull())
      .addColumn("create_date", "bigint", (c) => c.notNull())
      .addColumn("permissions_boundary", "text")
      .addPrimaryKeyConstraint("iam_users_pk", ["account_id", "name_key"])
      .execute();

    await db.schema
      .createTable("iam_roles")
      .addColumn("account_id", "varchar(12)", (c) => c.notNull())
      .addColumn("name_key", "varchar(64)", (c) => c.notNull())
      .addColumn("role_name", "varchar(64)", (c) => c.notNull())
      .addColumn("role_id", "varchar(32)", (c) => c.notNull())
      .addColumn("path", "varchar(512)", (c) => c.notNull())
      .addColumn("arn", "text", (c) => c.notNull())
      .addColumn("trust_policy", "text", (c) => c.notNull())
      .addColumn("description", "text")
      .addColumn("max_session_duration", "integer", (c) => c.notNull())
      .addColumn("create_date", "bigint", (c) => c.notNull())
      .addColumn("permissions_boundary", "text")
      .addPrimaryKeyConstraint("iam_roles_pk", ["account_id", "name_key"])
      .execute();

    await db.schema
      .createTable("iam_policies")
      .addColumn("arn", "varchar(2048)", (c) => c.primaryKey())
      .addColumn("account_id", "varchar(12)", (c) => c.notNull())
      .addColumn("name_key", "varchar(128)", (c) => c.notNull())
      .addColumn("policy_name", "varchar(128)", (c) => c.notNull())
      .addColumn("policy_id", "varchar(32)", (c) => c.notNull())
      .addColumn("path", "varchar(512)", (c) => c.notNull())
      // The default version's document, kept here so that evaluation reads one row per policy.
      .addColumn("document", "text", (c) => c.notNull())
      .addColumn("default_version_id", "varchar(16)", (c) => c.notNull())
      .addColumn("next_version", "integer", (c) => c.notNull())
      .addColumn("description", "text")
      .addColumn("create_date", "bigint", (c) => c.notNull())
      .addColumn("update_date", "bigint", (c) => c.notNull())
      .execute();

    await db.schema
      .createTable("iam_policy_versions")
      .addColumn("policy_arn", "varchar(2048)", (c) => c.notNull())
      .addColumn("version_id", "varchar(16)", (c) => c.notNull())
      .addColumn("document", "text", (c) => c.notNull())
      .addColumn("create_date", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("iam_policy_versions_pk", ["policy_arn", "version_id"])
      .execute();
    await db.schema.createIndex("iam_policies_name").on("iam_policies").columns(["account_id", "name_key"]).unique().execute();

    await db.schema
      .createTable("iam_groups")
      .addColumn("account_id", "varchar(12)", (c) => c.notNull())
      .addColumn("name_key", "varchar(128)", (c) => c.notNull())
      .addColumn("group_name", "varchar(128)", (c) => c.notNull())
      .addColumn("group_id", "varchar(32)", (c) => c.notNull())
      .addColumn("path", "varchar(512)", (c) => c.notNull())
      .addColumn("arn", "text", (c) => c.notNull())
      .addColumn("create_date", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("iam_groups_pk", ["account_id", "name_key"])
      .execute();
    await db.schema
      .createTable("iam_group_members")
      .addColumn("account_id", "varchar(12)", (c) => c.notNull())
      .addColumn("group_key", "varchar(128)", (c) => c.notNull())
      .addColumn("user_key", "varchar(64)", (c) => c.notNull())
      .addPrimaryKeyConstraint("iam_group_members_pk", ["account_id", "group_key", "user_key"])
      .execute();
    await db.schema.createIndex("iam_group_members_user").on("iam_group_members").columns(["account_id", "user_key"]).execute();

    // owner_kind is `user`, `role` or `group`; owner_key the owner's name_key.
    await db.schema
      .createTable("iam_inline_policies")
      .addColumn("account_id", "varchar(12)", (c) => c.notNull())
      .addColumn("owner_kind", "varchar(8)", (c) => c.notNull())
      .addColumn("owner_key", "varchar(64)", (c) => c.notNull())
      .addColumn("policy_name", "varchar(128)", (c) => c.notNull())
      .addColumn("document", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("iam_inline_policies_pk", ["account_id", "owner_kind", "owner_key", "policy_name"])
      .execute();

    await db.schema
      .createTable("iam_attachments")
      .addColumn("account_id", "varchar(12)", (c) => c.notNull())
      .addColumn("owner_kind", "varchar(8)", (c) => c.notNull())
      .addColumn("owner_key", "varchar(64)", (c) => c.notNull())
      .addColumn("policy_arn", "varchar(2048)", (c) => c.notNull())
      .addColumn("attached_at", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("iam_attachments_pk", ["account_id", "owner_kind", "owner_key", "policy_arn"])
      .execute();
    await db.schema.createIndex("iam_attachments_policy").on("iam_attachments").columns(["policy_arn"]).execute();

    await db.schema
      .createTable("sts_sessions")
      .addColumn("access_key_id", "varchar(128)", (c) => c.primaryKey())
      .addColumn("account_id", "varchar(12)", (c) => c.notNull())
      .addColumn("secret_access_key", "text", (c) => c.notNull())
      .addColumn("session_token", "text", (c) => c.notNull())
      .addColumn("principal", "text", (c) => c.notNull())
      .addColumn("expiration", "bigint", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("sts_sessions_expiration").on("sts_sessions").columns(["expiration"]).execute();
  },
};
