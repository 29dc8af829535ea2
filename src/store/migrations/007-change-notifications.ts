import { sql, type Kysely, type Migration } from "kysely";
import { isPostgres } from "./dialect.js";

/**
 * PostgreSQL: every committed change to what nodes keep in memory (namespaces, services, instances and their
 * health, access keys) is announced on the `cairn_changes` channel. Triggers rather than code in the repositories,
 * so that any writer (a handler, the health checker, an operator's SQL) is heard. NOTIFY is transactional: it is
 * delivered at commit, in commit order, and never for a rolled-back change. A service's instances revision moving
 * alone is not announced: the instance change that moved it is. SQLite has one process: nothing to announce.
 */
export const m007ChangeNotifications: Migration = {
  async up(db: Kysely<unknown>) {
    if (!isPostgres(db)) return;
    await sql`create function cairn_notify_change() returns trigger language plpgsql as $$
      declare
        r jsonb := to_jsonb(case when tg_op = 'DELETE' then old else new end);
      begin
        perform pg_notify('cairn_changes', (case tg_table_name
          when 'namespaces' then jsonb_build_object('t', 'namespace', 'a', r->'account_id', 'r', r->'region', 'id', r->'id')
          when 'services' then jsonb_build_object('t', 'service', 'a', r->'account_id', 'r', r->'region', 'id', r->'id')
          when 'instances' then jsonb_build_object('t', 'instance', 's', r->'service_id', 'i', r->'instance_id')
          when 'access_keys' then jsonb_build_object('t', 'accessKey', 'id', r->'access_key_id')
        end)::text);
        return null;
      end
    $$`.execute(db);
    for (const table of ["namespaces", "instances", "access_keys"]) {
      await sql`create trigger ${sql.id(`${table}_changed`)} after insert or update or delete on ${sql.table(table)}
        for each row execute function cairn_notify_change()`.execute(db);
    }
    await sql`create trigger services_changed after insert or delete on services
      for each row execute function cairn_notify_change()`.execute(db);
    await sql`create trigger services_updated after update on services for each row
      when (to_jsonb(old) - 'instances_revision' is distinct from to_jsonb(new) - 'instances_revision')
      execute function cairn_notify_change()`.execute(db);
  },
};
