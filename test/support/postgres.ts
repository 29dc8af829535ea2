import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

/**
 * The suite runs twice: on SQLite, then with CAIRN_TEST_STORE=postgres on the PostgreSQL at CAIRN_TEST_POSTGRES_URL,
 * where every store a test opens and every server it starts gets a database of its own, dropped when the test
 * process exits.
 */
export const TEST_STORE: "sqlite" | "postgres" = process.env.CAIRN_TEST_STORE === "postgres" ? "postgres" : "sqlite";
export const POSTGRES_URL = process.env.CAIRN_TEST_POSTGRES_URL || "postgres://postgres@127.0.0.1:5432/test";

const created: string[] = [];
let dropAtExit = false;

function urlFor(database: string): string {
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Creates an empty database and returns its URL. */
export async function createTestDatabase(): Promise<string> {
  const name = `cairn_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(`PostgreSQL is not reachable at ${POSTGRES_URL} (set CAIRN_TEST_POSTGRES_URL): ${String(error)}`);
  }
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  created.push(name);
  if (!dropAtExit) {
    dropAtExit = true;
    // 'exit' allows only synchronous work: a child process drops them (servers still connected are cut off).
    process.once("exit", () => {
      spawnSync(process.execPath, [path.join(path.dirname(fileURLToPath(import.meta.url)), "drop-databases.js"), POSTGRES_URL, ...created], { stdio: "ignore" });
    });
  }
  return urlFor(name);
}

/** Whether a PostgreSQL answers at `url` (the PostgreSQL run is skipped, saying so, when none does). */
export async function postgresReachable(url = POSTGRES_URL): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
