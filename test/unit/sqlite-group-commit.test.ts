import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, sql } from "kysely";
import type { Database } from "../../src/store/schema.js";
import { CachedConnection } from "../../src/store/sqlite/connection.js";
import { PooledSqliteDialect } from "../../src/store/sqlite/dialect.js";
import { GroupCommit } from "../../src/store/sqlite/group-commit.js";
import type { KyselyStore } from "../../src/store/kysely-store.js";
import { openSqliteStore } from "../../src/store/sqlite/open.js";

/** The SQLite store's write path (group commit) and read path (WAL readers), seen from its Store interface. */
const opened: Array<{ store: KyselyStore; outside: BetterSqlite3.Database }> = [];
after(async () => {
  for (const { store, outside } of opened) {
    outside.close();
    await store.close();
  }
});

/** A fresh store, and a connection of another "process" that sees only what is committed. */
async function fresh(): Promise<{ store: KyselyStore; committed(arn: string): string[] }> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cairn-group-commit-")), "cairn.db");
  const store = await openSqliteStore(file);
  const outside = new BetterSqlite3(file, { readonly: true });
  opened.push({ store, outside });
  return {
    store,
    committed: (arn) => (outside.prepare("select tag_key from tags where resource_arn = ? order by tag_key").all(arn) as Array<{ tag_key: string }>).map((r) => r.tag_key),
  };
}

const tag = (key: string) => [{ Key: key, Value: "v" }];

describe("SQLite group commit", () => {
  test("concurrent writes share one transaction: each sees the ones before it, nothing is visible outside before the shared commit", async () => {
    const { store, committed } = await fresh();
    // Warm up first: a batch takes calls for 10 ms at most, and a cold first statement could take that long alone.
    await store.transaction((tx) => tx.tags.put("arn:warm", tag("up")));
    const seenOutside: string[][] = [];
    const seenInside: string[] = [];
    const first = store.transaction((tx) => tx.tags.put("arn:a", tag("first")));
    const second = store.transaction(async (tx) => {
      seenOutside.push(committed("arn:a"));
      seenInside.push(...(await tx.tags.list("arn:a")).map((t) => t.Key));
      await tx.tags.put("arn:a", tag("second"));
    });
    await Promise.all([first, second]);
    assert.deepEqual(seenInside, ["first"], "the second call sees the first one's change");
    assert.deepEqual(seenOutside, [[]], "the first call was not committed on its own");
    assert.deepEqual(committed("arn:a"), ["first", "second"]);
  });

  test("a failing call rolls back alone; the others commit and their changes are heard after the commit, in order", async () => {
    const { store, committed } = await fresh();
    const order: string[] = [];
    store.watch({ changed: (c) => c.kind === "namespace" && order.push(`${c.id}:${committed("arn:b").join(",")}`), resync: () => undefined });
    const call = (key: string, fail: boolean) =>
      store.transaction(async (tx) => {
        await tx.tags.put("arn:b", tag(key));
        await tx.namespaces.insert({ id: key, arn: `arn:${key}`, accountId: "123456789012", region: "us-east-1", name: key, type: "HTTP", httpName: key, createDate: new Date() });
        if (fail) throw new Error(`${key} failed`);
        return key;
      });
    const results = await Promise.allSettled([call("k1", false), call("k2", true), call("k3", false)]);
    assert.deepEqual(
      results.map((r) => (r.status === "fulfilled" ? r.value : (r.reason as Error).message)),
      ["k1", "k2 failed", "k3"],
    );
    assert.deepEqual(committed("arn:b"), ["k1", "k3"]);
    // Each change was heard once the shared commit was visible to another connection (not before), none rolled back.
    assert.deepEqual(order, ["k1:k1,k3", "k3:k1,k3"]);
  });

  test("a call is answered only once its commit is visible to another connection", async () => {
    const { store, committed } = await fresh();
    const keys = Array.from({ length: 20 }, (_, n) => `k${String(n).padStart(2, "0")}`);
    const visibleWhenAnswered = await Promise.all(
      keys.map((key) => store.transaction((tx) => tx.tags.put("arn:c", tag(key))).then(() => committed("arn:c").includes(key))),
    );
    assert.deepEqual(visibleWhenAnswered, keys.map(() => true));
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
});

describe("SQLite reads", () => {
  test("a read-only transaction does not wait for a writer that is still busy, and reads the last commit", async () => {
    const { store } = await fresh();
    await store.transaction((tx) => tx.tags.put("arn:d", tag("old")));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const writing = store.transaction(async (tx) => {
      await tx.tags.put("arn:d", tag("new"));
      await held;
    });
    const read = await Promise.race([
      store.transaction(async (tx) => (await tx.tags.list("arn:d")).map((t) => t.Key), { readOnly: true }),
      new Promise((resolve) => setTimeout(() => resolve("timed out"), 2_000)),
    ]);
    release();
    await writing;
    assert.deepEqual(read, ["old"]);
  });

  test("a read-only transaction that writes runs again as a write, and its change commits", async () => {
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
});

describe("SQLite group commit: the WAL flush", () => {
  /** GroupCommit over a bare table, with the flush in the test's hands. */
  function withFlush(flush: () => Promise<void>) {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cairn-wal-flush-")), "t.db");
    const sqlite = new BetterSqlite3(file);
    sqlite.pragma("journal_mode = WAL");
    sqlite.exec("create table t (k text)");
    const db = new Kysely<Database>({ dialect: new PooledSqliteDialect([new CachedConnection(sqlite)]) });
    after(() => db.destroy());
    const commit = new GroupCommit(db, sqlite, flush);
    const insert = (key: string, callback: () => void = () => {}) =>
      commit.run((trx) => sql`insert into t values (${key})`.execute(trx).then(() => key), [callback]);
    return { commit, insert, rows: () => (sqlite.prepare("select k from t order by k").all() as Array<{ k: string }>).map((r) => r.k) };
  }

  test("a call is answered, and its callbacks run, only once the flush started after its commit is done; batches settle in commit order", async () => {
    const pending: Array<() => void> = [];
    const { insert, rows } = withFlush(() => new Promise<void>((resolve) => pending.push(resolve)));
    const events: string[] = [];
    const first = insert("a", () => events.push("callback a")).then(() => events.push("answered a"));
    while (pending.length < 1) await new Promise((resolve) => setImmediate(resolve));
    const second = insert("b", () => events.push("callback b")).then(() => events.push("answered b"));
    while (pending.length < 2) await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(rows(), ["a", "b"], "both batches committed");
    assert.deepEqual(events, [], "nothing answered before its flush");
    pending[1]!();
    for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(events, [], "the second batch waits for the first one's flush");
    pending[0]!();
    await Promise.all([first, second]);
    assert.deepEqual(events, ["callback a", "answered a", "callback b", "answered b"]);
  });

  test("a failed flush fails its calls, and every write after it", async () => {
    const failure = new Error("EIO: fdatasync");
    const { insert } = withFlush(() => Promise.reject(failure));
    let called = false;
    await assert.rejects(insert("a", () => (called = true)), failure);
    assert.equal(called, false, "no callback of an unflushed commit");
    await assert.rejects(insert("b"), failure);
  });
});
