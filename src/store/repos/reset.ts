import type { Kysely } from "kysely";
import type { Database } from "../schema.js";

/**
 * Every table `POST /_cairn/reset` empties, children before parents. Left alone: accounts, their root and
 * service-principal keys (what the operator configured, not what the API created), digest signing keys, and
 * the migrations' own tables.
 */
const EMPTIED = [
  "event_resources",
  "events",
  "trail_log_files",
  "trail_digest_chains",
  "trails",
  "instances",
  "service_attributes",
  "tags",
  "request_tokens",
  "operations",
  "services",
  "namespaces",
  "sts_sessions",
  "iam_attachments",
  "iam_inline_policies",
  "iam_group_members",
  "iam_groups",
  "iam_policy_versions",
  "iam_policies",
  "iam_users",
  "iam_roles",
] as const satisfies readonly (keyof Database)[];

export async function emptyAllButRoot(db: Kysely<Database>): Promise<void> {
  for (const table of EMPTIED) await db.deleteFrom(table).execute();
  await db.deleteFrom("access_keys").where("user_name", "is not", null).execute();
}
