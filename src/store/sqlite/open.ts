import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Kysely } from "kysely";
import { createPrivateFile, makePrivateDir } from "../../private-files.js";
import type { Database } from "../schema.js";
import { KyselyStore } from "../kysely-store.js";
import { RollbackAwareSqliteDialect } from "./dialect.js";

/**
 * The embedded store: one SQLite file in WAL mode. `synchronous = FULL` makes every commit durable
 * before the request is acknowledged (a power cut, not only a crash, keeps what was answered).
 */
export async function openSqliteStore(file: string): Promise<KyselyStore> {
  makePrivateDir(path.dirname(path.resolve(file)));
  // SQLite gives the WAL and shared-memory files the mode of the database file.
  createPrivateFile(file);
  const sqlite = new BetterSqlite3(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  const store = new KyselyStore(new Kysely<Database>({ dialect: new RollbackAwareSqliteDialect(sqlite) }));
  await store.migrate();
  return store;
}
