import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, Migrator, SqliteDialect, sql } from "kysely";
import { KyselyStore } from "../../src/store/kysely-store.js";
import { migrationProvider } from "../../src/store/migrations/index.js";
import type { Database } from "../../src/store/schema.js";
import type { Store } from "../../src/store/store.js";
import { sqliteMigrationDialect } from "../../src/store/sqlite/migration-dialect.js";
import { openSqliteStore } from "../../src/store/sqlite/open.js";
import { TEST_STORE } from "../support/postgres.js";
import { runStoreConformance, type StoreImplementation } from "./conformance.js";
import { ACCOUNT, namespace } from "./fixtures.js";

const skip = TEST_STORE === "sqlite" ? false : "the SQLite store runs in the SQLite pass";
const dirs: string[] = [];
after(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});
function tempFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cairn-sqlite-store-"));
  dirs.push(dir);
  return path.join(dir, "cairn.db");
}

/** What another process sees: a connection of its own, reading only what is committed. */
function committedTagKeys(file: string, arn: string): string[] {
  const outside = new BetterSqlite3(file, { readonly: true });
  try {
    return (outside.prepare("select tag_key from tags where resource_arn = ? order by tag_key").all(arn) as Array<{ tag_key: string }>).map((r) => r.tag_key);
  } finally {
    outside.close();
  }
}

/** The writer's connection (a test reaching inside: SQLite's page limit is per connection). */
const writerOf = (store: Store) => (store as KyselyStore)["db"];

const sqliteStore: StoreImplementation = {
  create: async () => tempFile(),
  open: (file) => openSqliteStore(file),
  shared: false,
  // Synchronous inside: read at the moment it is called (an after-commit callback), not a turn later.
  committedTagKeys: async (file, arn) => committedTagKeys(file, arn),
  // The file may not grow by a page more: as a full disk, every write that needs room fails with SQLITE_FULL.
  async refuseWrites(_file, store) {
    const db = writerOf(store);
    const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(db);
    await sql.raw(`pragma max_page_count = ${rows[0]!.page_count}`).execute(db);
    return async () => void (await sql.raw("pragma max_page_count = 1073741823").execute(db));
  },
};

runStoreConformance("SQLite", sqliteStore, { skip });

/** The SQLite store's own ways beyond the contract: group commit and WAL readers. */
describe("SQLite store: group commit and readers", { skip }, () => {
  const opened: Store[] = [];
  after(async () => {
    for (const store of opened) await store.close();
  });
  async function fresh(): Promise<{ store: Store; committed(arn: string): string[] }> {
    const file = tempFile();
    const store = await openSqliteStore(file);
    opened.push(store);
    return { store, committed: (arn) => committedTagKeys(file, arn) };
  }
  const tag = (key: string) => [{ Key: key, Value: "v" }];

  test("concurrent writes share one transaction: each sees the ones before it, nothing is visible outside before the shared commit", async () => {
    const { store, committed } = await fresh();
    // Warm up first: a batch takes calls for 20 ms at most, and a cold first statement could take that long alone.
    await store.transaction((tx) => tx.tags.put("arn:warm", tag("up")));
    // On a loaded machine one call alone can outlast the batch's 20 ms and the batch rightly closes early: a few tries.
    let shared = false;
    for (let attempt = 0; attempt < 5 && !shared; attempt++) {
      const arn = `arn:a${attempt}`;
      const seenOutside: string[][] = [];
      const seenInside: string[] = [];
      const first = store.transaction((tx) => tx.tags.put(arn, tag("first")));
      const second = store.transaction(async (tx) => {
        seenOutside.push(committed(arn));
        seenInside.push(...(await tx.tags.list(arn)).map((t) => t.Key));
        await tx.tags.put(arn, tag("second"));
      });
      await Promise.all([first, second]);
      assert.deepEqual(seenInside, ["first"], "the second call sees the first one's change");
      assert.deepEqual(committed(arn), ["first", "second"]);
      shared = seenOutside[0]!.length === 0;
    }
    assert.ok(shared, "the first call was not committed on its own (in one of five tries)");
  });

  test("a batch's changes are heard after its one shared commit, in the calls' order", async () => {
    const { store, committed } = await fresh();
    await store.transaction((tx) => tx.tags.put("arn:warm", tag("up")));
    const order: string[] = [];
    store.watch({ changed: (c) => c.kind === "namespace" && order.push(`${c.id}:${committed("arn:b").join(",")}`), resync: () => undefined });
    const call = (key: string, fail: boolean) =>
      store.transaction(async (tx) => {
        await tx.tags.put("arn:b", tag(key));
        await tx.namespaces.insert(namespace(key));
        if (fail) throw new Error(`${key} failed`);
      });
    await Promise.allSettled([call("k1", false), call("k2", true), call("k3", false)]);
    assert.deepEqual(order, ["k1:k1,k3", "k3:k1,k3"]);
  });

  test("an append-only transaction runs ahead of the writing calls still waiting", async () => {
    const { store, committed } = await fresh();
    const ran: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = store.transaction(async (tx) => {
      ran.push("first");
      await held;
      await tx.tags.put("arn:f", tag("first"));
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const write = store.transaction(async (tx) => {
      ran.push("write");
      await tx.tags.put("arn:f", tag("write"));
    });
    const append = store.transaction(
      async (tx) => {
        ran.push("append");
        await tx.tags.put("arn:f", tag("append"));
      },
      { appendOnly: true },
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    await Promise.all([first, write, append]);
    assert.deepEqual(ran, ["first", "append", "write"]);
    assert.deepEqual(committed("arn:f"), ["append", "first", "write"]);
  });

  test("a read-only transaction that writes runs again as a write (its readers are query-only)", async () => {
    const { store, committed } = await fresh();
    let attempts = 0;
    await store.transaction(
      async (tx) => {
        attempts++;
        await tx.tags.put("arn:e", tag("written"));
      },
      { readOnly: true },
    );
    assert.equal(attempts, 2);
    assert.deepEqual(committed("arn:e"), ["written"]);
  });

  test("every lease is held at once: the process is alone on its store", async () => {
    const { store } = await fresh();
    const lease = store.lease("delivery");
    assert.equal(lease.held, true);
    await lease.release();
    assert.equal(lease.held, false);
  });

  // Migration 003 rewrote SQLite files written before it; PostgreSQL databases start at the latest schema.
  test("migration 003: resource rows written before it gain their event's scope and time", async () => {
    const BASE = Date.UTC(2026, 0, 10, 12, 0, 0);
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new BetterSqlite3(tempFile()) }) });
    const migrator = new Migrator({ db, provider: migrationProvider(sqliteMigrationDialect) });
    const first = await migrator.migrateTo("001-initial");
    assert.equal(first.error, undefined);
    const { seq } = await db
      .insertInto("events")
      .values({
        event_id: "e-1",
        account_id: ACCOUNT,
        region: "us-east-1",
        event_time: BASE,
        event_name: "GetService",
        event_source: "servicediscovery.amazonaws.com",
        read_only: 1,
        username: "root",
        access_key_id: null,
        error_code: null,
        record: "{}",
      })
      .returning("seq")
      .executeTakeFirstOrThrow();
    await (db as unknown as Kysely<{ event_resources: { seq: number; resource_type: string; resource_name: string } }>)
      .insertInto("event_resources")
      .values({ seq: Number(seq), resource_type: "AWS::ServiceDiscovery::Service", resource_name: "srv-old" })
      .execute();
    const store = new KyselyStore(db);
    await store.migrate(sqliteMigrationDialect);
    try {
      const { events } = await store.transaction((tx) =>
        tx.events.lookup({ accountId: ACCOUNT, region: "us-east-1", from: new Date(0), to: new Date(BASE), filter: { key: "ResourceName", value: "srv-old" }, limit: 5 }),
      );
      assert.equal(events.length, 1);
      assert.deepEqual(events[0]!.resources, [{ type: "AWS::ServiceDiscovery::Service", name: "srv-old" }]);
    } finally {
      await store.close();
    }
  });
});
