import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Kysely } from "kysely";
import { createPrivateFile, makePrivateDir } from "../../private-files.js";
import type { Database } from "../schema.js";
import { KyselyStore, type TransactionPolicy } from "../kysely-store.js";
import { CachedConnection } from "./connection.js";
import { PooledSqliteDialect } from "./dialect.js";
import { GroupCommit } from "../group-commit.js";
import { Checkpointer } from "./checkpointer.js";
import { WalFlush } from "./wal-flush.js";
import { sqliteStoreError } from "./errors.js";
import { sqliteMigrationDialect } from "./migration-dialect.js";

/** Read-only transactions take turns on these; each one waits only for other reads, never for the writer. */
const READERS = 4;

function connect(file: string): BetterSqlite3.Database {
  const sqlite = new BetterSqlite3(file);
  sqlite.pragma("busy_timeout = 5000");
  return sqlite;
}

/**
 * The embedded store: one SQLite file in WAL mode. Every commit is durable before its calls are acknowledged (a power
 * cut, not only a crash, keeps what was answered): the WAL is flushed off the event loop (./wal-flush.ts). One connection writes, with group commit
 * (../group-commit.ts); read-only transactions run on their own query-only connections, reading the last commit
 * (WAL readers), so reads never queue behind writes.
 */
export async function openSqliteStore(file: string): Promise<KyselyStore> {
  makePrivateDir(path.dirname(path.resolve(file)));
  // SQLite gives the WAL and shared-memory files the mode of the database file.
  createPrivateFile(file);
  const writer = connect(file);
  writer.pragma("journal_mode = WAL");
  // A commit writes its frames to the OS without waiting for the disk; group commit answers only after WalFlush.
  writer.pragma("synchronous = NORMAL");
  writer.pragma("foreign_keys = ON");
  // Checkpoints run on their own thread; the writer checkpoints only if that thread falls far behind (40 MB of WAL).
  writer.pragma("wal_autocheckpoint = 10000");
  const checkpointer = new Checkpointer(file);
  const wal = new WalFlush(`${file}-wal`);
  const beforeClose = async () => {
    // Committed batches still waiting for their flush are answered first.
    await groupCommit.idle();
    wal.close();
    await checkpointer.stop();
  };
  const db = new Kysely<Database>({ dialect: new PooledSqliteDialect([new CachedConnection(writer)], beforeClose) });
  const groupCommit = new GroupCommit({ withWriter: (batch) => db.connection().execute(batch), begin: "begin", pipelines: false, abandoned: () => !writer.inTransaction, flush: () => wal.flush() });
  const readers = Array.from({ length: READERS }, () => {
    const reader = connect(file);
    reader.pragma("query_only = ON");
    return new CachedConnection(reader);
  });
  const policy: TransactionPolicy = {
    begin: (kysely) => kysely.transaction(),
    retryable: () => false,
    maxAttempts: 1,
    readers: new Kysely<Database>({ dialect: new PooledSqliteDialect(readers) }),
    // A read-only call that stores something (an STS session) finds out at its first write.
    wroteWhileReading: (error) => (error as { code?: unknown }).code === "SQLITE_READONLY",
    write: (fn, callbacks, options) => groupCommit.run(fn, callbacks, options.appendOnly === true),
    storeError: sqliteStoreError,
  };
  const store = new KyselyStore(db, undefined, policy);
  await store.migrate(sqliteMigrationDialect);
  return store;
}
