import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { Database } from "../schema.js";
import { KyselyStore } from "../kysely-store.js";
import { GroupCommit } from "../group-commit.js";
import { writerConnection } from "./writer-connection.js";
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
 *
 * PostgreSQL releases a transaction's locks only once its commit is flushed, so writers taking turns would also pay
 * their commits' fsyncs one after another. Instead each node commits its writes in groups (../group-commit.ts): the
 * calls that arrive together run one after the other in one transaction under the lock, each in its own savepoint,
 * and share one commit, on the node's one writer connection (./writer-connection.ts), which pipelines the
 * statements a call issues together. Opening the batch's transaction, taking the lock and the first call's savepoint
 * are one round trip (statements in one simple query: constants only).
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<KyselyStore> {
  const log = options.log ?? (() => undefined);
  const pool = new pg.Pool({ ...connectionConfig(url), max: POOL_SIZE });
  // An idle pooled connection that dies (server restart) is dropped from the pool; nothing to do but say so.
  pool.on("error", (error) => log("postgres pool connection lost", error));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const writer = writerConnection(connectionConfig(url, "cairn writer"), log);
  const coordination = new PostgresCoordination(url, pool, log, (processId) => processId === writer.backendPid());
  const groupCommit = new GroupCommit({
    withWriter: (batch) => batch(writer.db),
    // A batch that failed may have failed at its commit, committed or not: what this node heard of it is unsure.
    batchFailed: () => coordination.resync(),
    begin: `start transaction isolation level read committed; select pg_advisory_xact_lock(${CAIRN_LOCK_CLASS}, ${WRITER_KEY})`,
    pipelines: true,
    // PostgreSQL keeps a transaction whose statement failed until it is rolled back (to the call's savepoint).
    abandoned: () => false,
  });
  const store = new KyselyStore(db, coordination, {
    begin: (kysely) => kysely.transaction().setIsolationLevel("repeatable read"),
    write: (fn, callbacks, options) => groupCommit.run(fn, callbacks, options.appendOnly === true),
    close: async () => {
      // Committed batches are answered first.
      await groupCommit.idle();
      await writer.db.destroy();
    },
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
