import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { KyselyStore } from "../../src/store/kysely-store.js";
import { openPostgresStore } from "../../src/store/postgres/open.js";
import { openSqliteStore } from "../../src/store/sqlite/open.js";
import { TEST_STORE, createTestDatabase } from "./postgres.js";

/** Where the store under test lives: a fresh SQLite file, or a fresh PostgreSQL database. */
export async function testStoreUrl(): Promise<string> {
  if (TEST_STORE === "postgres") return createTestDatabase();
  return `sqlite:${path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cairn-store-")), "cairn.db")}`;
}

/** Opens the store under test at `url` (a second open of the same URL is a second node on it). */
export async function openTestStore(url?: string): Promise<KyselyStore> {
  const at = url ?? (await testStoreUrl());
  return at.startsWith("sqlite:") ? openSqliteStore(at.slice("sqlite:".length)) : openPostgresStore(at);
}
