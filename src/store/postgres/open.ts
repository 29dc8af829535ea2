import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import type { Database } from "../schema.js";
import { KyselyStore } from "../kysely-store.js";
import { CAIRN_LOCK_CLASS, MIGRATION_KEY, WRITER_KEY } from "./lock-keys.js";
import { connectionConfig, lostRace } from "./connection.js";
import { PostgresCoordination } from "./coordination.js";
import { postgresStoreError } from "./errors.js";
import { postgresMigrationDialect } from "./migration-dialect.js";

/** Connections in the pool (each node has its own pool, plus one for notifications and one per lease). */
const POOL_SIZE = 10;

export interface PostgresStoreOptions {
  log?(message: string, error?: unknown): void;
}

/**
 * The shared store for several nodes: one PostgreSQL database.
 *
 * Handlers check, then write (a quota, a name, an idempotency token): they were written for SQLite, where writers
 * run one at a time. Here too, every writing transaction of every node first takes one transaction-level advisory
 * lock and runs READ COMMITTED, so each statement after the lock sees every earlier writer's commit: the checks hold.
 * Read-only transactions take no lock and read one REPEATABLE READ snapshot, concurrently with everything. (Not
 * READ ONLY: a call CloudTrail counts as read-only may still store something no check depends on, such as a new
 * STS session; such a write does not take turns with the writers.)
 * (SERIALIZABLE with retries was measured first: registrations in one namespace all read the namespace's instance
 * count, so nearly every concurrent pair conflicted, about eight retries per registration, and throughput
 * collapsed. Taking turns costs one lock wait and never redoes work.)
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<KyselyStore> {
  const log = options.log ?? (() => undefined);
  const pool = new pg.Pool({ ...connectionConfig(url), max: POOL_SIZE });
  // An idle pooled connection that dies (server restart) is dropped from the pool; nothing to do but say so.
  pool.on("error", (error) => log("postgres pool connection lost", error));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const store = new KyselyStore(db, new PostgresCoordination(url, pool, log), {
    begin: (kysely) => kysely.transaction().setIsolationLevel("repeatable read"),
    write: (fn, callbacks) => writeTakingTurns(db, fn, callbacks),
    // Taking turns leaves little to lose a race to (a deadlock with a writer outside Cairn, say): re-run a few times.
    retryable: lostRace,
    maxAttempts: 5,
    storeError: postgresStoreError,
  });
  try {
    await migrateAlone(pool, store);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

/**
 * A writing transaction: READ COMMITTED under the writers' lock. Opening it and taking the lock are one round trip
 * (two statements in one simple query: constants only), saving one of the ten or so a write holds the lock across.
 */
async function writeTakingTurns<T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>, callbacks: ReadonlyArray<() => void>): Promise<T> {
  const result = await db.connection().execute(async (connection) => {
    await sql
      .raw(`start transaction isolation level read committed; select pg_advisory_xact_lock(${CAIRN_LOCK_CLASS}, ${WRITER_KEY})`)
      .execute(connection);
    try {
      const value = await fn(connection);
      await sql.raw("commit").execute(connection);
      return value;
    } catch (error) {
      // A connection that failed mid-transaction may fail the rollback too: the first error is the one to report.
      await sql.raw("rollback").execute(connection).catch(() => undefined);
      throw error;
    }
  });
  for (const callback of callbacks) callback();
  return result;
}

/** Nodes starting together must not migrate together: the first migrates, the others then find nothing to do. */
async function migrateAlone(pool: pg.Pool, store: KyselyStore): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("select pg_advisory_lock($1, $2)", [CAIRN_LOCK_CLASS, MIGRATION_KEY]);
    try {
      await store.migrate(postgresMigrationDialect);
    } finally {
      await client.query("select pg_advisory_unlock($1, $2)", [CAIRN_LOCK_CLASS, MIGRATION_KEY]);
    }
  } finally {
    client.release();
  }
}
