import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { connectionConfig } from "../../../src/store/postgres/connection.js";

/** One JSON string per row, grouped by table. */
export type StoreSnapshot = Map<string, Set<string>>;

/**
 * Every row of every table except the migration bookkeeping and, unless `withEvents`, CloudTrail's (rejected calls
 * are recorded there, as AWS does), read straight from the store at `storeUrl` (`sqlite:<file>` or `postgres://…`)
 * in one transaction.
 */
export async function storeSnapshot(storeUrl: string, { withEvents = false } = {}): Promise<StoreSnapshot> {
  return storeUrl.startsWith("sqlite:") ? sqliteSnapshot(storeUrl.slice("sqlite:".length), withEvents) : postgresSnapshot(storeUrl, withEvents);
}

function sqliteSnapshot(dbFile: string, withEvents: boolean): StoreSnapshot {
  const db = new BetterSqlite3(dbFile, { readonly: true, fileMustExist: true });
  try {
    const tables = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'kysely_%'${withEvents ? "" : " AND name NOT LIKE 'event%'"} ORDER BY name`)
      .all() as { name: string }[];
    const read = db.transaction(() => new Map(tables.map(({ name }) => [name, new Set((db.prepare(`SELECT * FROM "${name}"`).all() as unknown[]).map((row) => JSON.stringify(row)))])));
    return read();
  } finally {
    db.close();
  }
}

async function postgresSnapshot(url: string, withEvents: boolean): Promise<StoreSnapshot> {
  // The server's own connection settings: bigint read as a number, as the server (and SQLite) reads it.
  const client = new pg.Client(connectionConfig(url, "cairn test snapshot"));
  await client.connect();
  try {
    // One snapshot of the whole database, whatever the server commits meanwhile.
    await client.query("begin isolation level repeatable read read only");
    const { rows: tables } = await client.query<{ name: string }>(
      "select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' " +
        `and table_name not like 'kysely\\_%'${withEvents ? "" : " and table_name not like 'event%'"} order by table_name`,
    );
    const snapshot: StoreSnapshot = new Map();
    for (const { name } of tables) {
      const { rows } = await client.query(`select * from "${name}"`);
      snapshot.set(name, new Set(rows.map((row) => JSON.stringify(row))));
    }
    await client.query("commit");
    return snapshot;
  } finally {
    await client.end();
  }
}

/** Rows present in one snapshot and not the other, as `table: row`. */
export function snapshotDiff(before: StoreSnapshot, after: StoreSnapshot): string[] {
  const diff: string[] = [];
  for (const table of new Set([...before.keys(), ...after.keys()])) {
    const a = before.get(table) ?? new Set<string>();
    const b = after.get(table) ?? new Set<string>();
    for (const row of a) if (!b.has(row)) diff.push(`${table}: - ${row}`);
    for (const row of b) if (!a.has(row)) diff.push(`${table}: + ${row}`);
  }
  return diff;
}

/** Identifiers in a text (namespace, service and operation IDs, long random names): long tokens of letters with digits or dashes. */
function identifiers(text: string): string[] {
  return (text.match(/[A-Za-z0-9_-]{12,}/g) ?? []).filter((t) => /[A-Za-z]/.test(t) && /[\d-]/.test(t));
}

/**
 * The changed rows no successful call accounts for. A row is accounted for when it holds an identifier that a
 * successful changing call named (in its request or its answer), or a new identifier of a row already accounted
 * for (a created namespace's ID, first seen in its operation's row, accounts for the namespace and its tags).
 */
export function unexplainedChanges(before: StoreSnapshot, changed: string[], successfulCalls: string[]): string[] {
  const known = new Set([...before.values()].flatMap((rows) => [...rows].flatMap(identifiers)));
  const explaining = new Set(successfulCalls.flatMap(identifiers));
  let open = changed;
  for (let progress = true; progress; ) {
    progress = false;
    open = open.filter((row) => {
      const ids = identifiers(row);
      if (!ids.some((id) => explaining.has(id))) return true;
      for (const id of ids) if (!known.has(id)) explaining.add(id);
      progress = true;
      return false;
    });
  }
  return open;
}
