import { sql, type Kysely, type Migration } from "kysely";
import { isPostgres } from "./dialect.js";

/**
 * PostgreSQL: what the IAM caches keep (see store/changes.ts) is announced on `cairn_changes` too, as migration 007
 * does for discovery: a user or role row by its unique id (`principal`), and anything else an identity's permissions
 * are made of (policies, versions, attachments, groups, memberships, an IAM user's tags) as one keyless `policies`
 * change (PostgreSQL folds identical notifications of one transaction into one). SQLite: nothing to announce.
 */
export const m009IamChangeNotifications: Migration = {
  async up(db: Kysely<unknown>) {
    if (!isPostgres(db)) return;
    await sql`create function cairn_notify_iam_change() returns trigger language plpgsql as $$
      declare
        r jsonb := case when tg_level = 'ROW' then to_jsonb(case when tg_op = 'DELETE' then old else new end) end;
        payload jsonb := case tg_table_name
          when 'iam_users' then jsonb_build_object('t', 'principal', 'id', r->'user_id')
          when 'iam_roles' then jsonb_build_object('t', 'principal', 'id', r->'role_id')
          when 'tags' then case when r->>'resource_arn' ~ '^arn:[^:]+:iam::[^:]*:user/' then jsonb_build_object('t', 'policies') end
          else jsonb_build_object('t', 'policies')
        end;
      begin
        if payload is not null then
          perform pg_notify('cairn_changes', payload::text);
        end if;
        return null;
      end
    $$`.execute(db);
    for (const table of ["iam_users", "iam_roles", "tags"]) {
      await sql`create trigger ${sql.id(`${table}_iam_changed`)} after insert or update or delete on ${sql.table(table)}
        for each row execute function cairn_notify_iam_change()`.execute(db);
    }
    // Keyless: once per statement is enough.
    for (const table of ["iam_groups", "iam_group_members", "iam_inline_policies", "iam_policies", "iam_policy_versions", "iam_attachments"]) {
      await sql`create trigger ${sql.id(`${table}_changed`)} after insert or update or delete on ${sql.table(table)}
        for each statement execute function cairn_notify_iam_change()`.execute(db);
    }
  },
};
