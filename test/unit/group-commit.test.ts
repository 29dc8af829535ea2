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
import { GroupCommit } from "../../src/store/group-commit.js";

/**
 * GroupCommit on its own, over a bare table. What the SQLite store does with it, seen from its Store interface, is in
 * test/store/sqlite.test.ts and the store conformance suite.
 */
describe("SQLite group commit: the WAL flush", () => {
  /** GroupCommit over a bare table, with the flush in the test's hands. */
  function withFlush(flush: () => Promise<void>) {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cairn-wal-flush-")), "t.db");
    const sqlite = new BetterSqlite3(file);
    sqlite.pragma("journal_mode = WAL");
    sqlite.exec("create table t (k text)");
    const db = new Kysely<Database>({ dialect: new PooledSqliteDialect([new CachedConnection(sqlite)]) });
    after(() => db.destroy());
    const commit = new GroupCommit({ withWriter: (batch) => db.connection().execute(batch), begin: "begin", pipelines: false, abandoned: () => !sqlite.inTransaction, flush });
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
