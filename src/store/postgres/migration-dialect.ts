import { sql, type Kysely } from "kysely";
import type { MigrationDialect } from "../migrations/dialect.js";
import { CAIRN_LOCK_CLASS, EVENT_SEQUENCE_KEY } from "./lock-keys.js";

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

/** Triggers `<table>_<suffix>` that run `fn` after every insert, update or delete on each table. */
async function notifyOnWrite(db: Kysely<unknown>, tables: string[], suffix: string, each: "row" | "statement", fn: string): Promise<void> {
  for (const table of tables) {
    await sql`create trigger ${sql.id(`${table}_${suffix}`)} after insert or update or delete on ${sql.table(table)}
      for each ${sql.raw(each)} execute function ${sql.id(fn)}()`.execute(db);
  }
}

/**
 * Migration 007 on PostgreSQL: triggers rather than code in the repositories, so that any writer (a handler, the
 * health checker, an operator's SQL) is heard. NOTIFY is transactional: it is delivered at commit, in commit order,
 * and never for a rolled-back change. A service's instances revision moving alone is not announced: the instance
 * change that moved it is.
 */
async function createChangeTriggers(db: Kysely<unknown>): Promise<void> {
  // The function's body is the text migration 007 always wrote, indentation included (databases stay identical).
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
  await notifyOnWrite(db, ["namespaces", "instances", "access_keys"], "changed", "row", "cairn_notify_change");
  await sql`create trigger services_changed after insert or delete on services
    for each row execute function cairn_notify_change()`.execute(db);
  await sql`create trigger services_updated after update on services for each row
    when (to_jsonb(old) - 'instances_revision' is distinct from to_jsonb(new) - 'instances_revision')
    execute function cairn_notify_change()`.execute(db);
}

/**
 * Migration 009 on PostgreSQL: what the IAM caches keep (see store/changes.ts) is announced on `cairn_changes` too,
 * as migration 007 does for discovery: a user or role row by its unique id (`principal`), and anything else an
 * identity's permissions are made of (policies, versions, attachments, groups, memberships, an IAM user's tags) as
 * one keyless `policies` change (PostgreSQL folds identical notifications of one transaction into one).
 */
async function createIamChangeTriggers(db: Kysely<unknown>): Promise<void> {
  // The function's body is the text migration 009 always wrote, indentation included (databases stay identical).
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
  await notifyOnWrite(db, ["iam_users", "iam_roles", "tags"], "iam_changed", "row", "cairn_notify_iam_change");
  // Keyless: once per statement is enough.
  const keyless = ["iam_groups", "iam_group_members", "iam_inline_policies", "iam_policies", "iam_policy_versions", "iam_attachments"];
  await notifyOnWrite(db, keyless, "changed", "statement", "cairn_notify_iam_change");
}

/** Migration 010 on PostgreSQL: every node keeps the event bus's rules in memory, so a rule or target change anywhere makes them reload that bus. */
async function createEventRuleTriggers(db: Kysely<unknown>): Promise<void> {
  await sql`create function cairn_notify_event_rules() returns trigger language plpgsql as $$
    declare
      r jsonb := to_jsonb(case when tg_op = 'DELETE' then old else new end);
    begin
      perform pg_notify('cairn_changes', jsonb_build_object('t', 'eventRules', 'a', r->'account_id', 'r', r->'region')::text);
      return null;
    end
  $$`.execute(db);
  await notifyOnWrite(db, ["event_rules", "event_targets"], "changed", "row", "cairn_notify_event_rules");
}

export const postgresMigrationDialect: MigrationDialect = {
  prepareEventSequence: createPostgresEventSequence,
  eventSeqColumn: { type: "bigint", define: (c) => c.primaryKey().defaultTo(sql`cairn_next_event_seq()`) },
  createChangeNotifications: createChangeTriggers,
  createIamChangeNotifications: createIamChangeTriggers,
  createEventRuleNotifications: createEventRuleTriggers,
};
