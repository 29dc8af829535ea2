import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { Database } from "../schema.js";
import { KyselyStore } from "../kysely-store.js";
import { CAIRN_LOCK_CLASS, MIGRATION_KEY } from "./lock-keys.js";
import { connectionConfig, lostRace } from "./connection.js";
import { PostgresCoordination } from "./coordination.js";

export interface PostgresStoreOptions {
  /** Connections in the pool (each node has its own pool, plus one for notifications and one per lease). */
  poolSize?: number;
  log?(message: string, error?: unknown): void;
}

/**
 * The shared store for several nodes: one PostgreSQL database. Transactions are serializable and re-run when they
 * lose a race, so handlers see the same one-at-a-time world as on SQLite (quotas, name checks, idempotency tokens).
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<KyselyStore> {
  const log = options.log ?? (() => undefined);
  const pool = new pg.Pool({ ...connectionConfig(url), max: options.poolSize ?? 10 });
  // An idle pooled connection that dies (server restart) is dropped from the pool; nothing to do but say so.
  pool.on("error", (error) => log("postgres pool connection lost", error));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const store = new KyselyStore(db, new PostgresCoordination(url, pool, log), {
    isolation: "serializable",
    retryable: lostRace,
    maxAttempts: 50,
  });
  try {
    await migrateAlone(pool, store);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

/** Nodes starting together must not migrate together: the first migrates, the others then find nothing to do. */
async function migrateAlone(pool: pg.Pool, store: KyselyStore): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("select pg_advisory_lock($1, $2)", [CAIRN_LOCK_CLASS, MIGRATION_KEY]);
    try {
      await store.migrate();
    } finally {
      await client.query("select pg_advisory_unlock($1, $2)", [CAIRN_LOCK_CLASS, MIGRATION_KEY]);
    }
  } finally {
    client.release();
  }
}
