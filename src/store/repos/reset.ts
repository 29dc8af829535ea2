import type { Kysely } from "kysely";
import type { Database } from "../schema.js";
import type { NoteChange } from "../changes.js";

/**
 * Every table `POST /_cairn/reset` empties, children before parents. Left alone: accounts, their root and
 * service-principal keys (what the operator configured, not what the API created), digest signing keys, and
 * the migrations' own tables.
 */
const EMPTIED = [
  "event_outbox",
  "event_targets",
  "event_api_destinations",
  "event_connections",
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
  "sts_sessions",
  "iam_attachments",
  "iam_inline_policies",
  "iam_group_members",
  "iam_groups",
  "iam_policy_versions",
  "iam_policies",
] as const satisfies readonly (keyof Database)[];

/** Then the rows whose deletion memory must hear of (a namespace's takes its services and instances along). */
export async function emptyAllButRoot(db: Kysely<Database>, note: NoteChange): Promise<void> {
  for (const table of EMPTIED) await db.deleteFrom(table).execute();
  for (const ns of await db.deleteFrom("namespaces").returning(["id", "account_id", "region"]).execute()) {
    note({ kind: "namespace", accountId: ns.account_id, region: ns.region, id: ns.id, written: null });
  }
  for (const user of await db.deleteFrom("iam_users").returning("user_id").execute()) note({ kind: "principal", id: user.user_id });
  for (const role of await db.deleteFrom("iam_roles").returning("role_id").execute()) note({ kind: "principal", id: role.role_id });
  note({ kind: "policies" });
  for (const bus of await db.deleteFrom("event_rules").returning(["account_id", "region"]).execute()) {
    note({ kind: "eventRules", accountId: bus.account_id, region: bus.region });
  }
  for (const key of await db.deleteFrom("access_keys").where("user_name", "is not", null).returning("access_key_id").execute()) {
    note({ kind: "accessKey", id: key.access_key_id });
  }
}
