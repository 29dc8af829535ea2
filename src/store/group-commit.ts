import { performance } from "node:perf_hooks";
import { sql, type Kysely } from "kysely";
import type { Database } from "./schema.js";

interface Call {
  fn(trx: Kysely<Database>): Promise<unknown>;
  callbacks: ReadonlyArray<() => void>;
  resolve(result: unknown): void;
  reject(error: unknown): void;
}

/** A batch stops taking calls after this long, so that its first calls are not kept waiting for its commit. */
const BATCH_MS = 20;
/** A batch lets the event loop run at least this often: reads and new requests go on while it is open. */
const YIELD_MS = 2;

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** What differs between the stores that commit in groups. */
export interface GroupCommitDialect {
  /** Runs a batch on the store's writer connection. */
  withWriter(batch: (trx: Kysely<Database>) => Promise<void>): Promise<void>;
  /** Opens a batch's transaction, taking whatever lock the store's writers take (one simple query, constants only). */
  begin: string;
  /**
   * Whether the writer pipelines (PostgreSQL's): several statements may go in one query (the simple query protocol),
   * and a statement may be issued before the one before it is answered, still running after it. SQLite prepares
   * one statement at a time.
   */
  pipelines: boolean;
  /** Whether the database rolled the whole transaction back on its own after a call failed (SQLITE_FULL, SQLITE_IOERR). */
  abandoned(): boolean;
  /** Hears that a batch failed as a whole (its calls get the error). */
  batchFailed?(): void;
  /**
   * Makes a commit durable where the commit itself does not (SQLite's WAL under `synchronous = NORMAL`), started right
   * after it; absent where a commit is durable when it returns (PostgreSQL).
   */
  flush?(): Promise<void>;
}

/**
 * Group commit for a store whose writers take turns (SQLite's one writer; PostgreSQL's writers' lock, held by a batch
 * from its begin to its commit): the writing calls that arrive together run one after the other in one
 * transaction, each in its own savepoint (a failing call rolls back alone, the others keep their changes), and share
 * its commit and fsync. No call is answered before that commit is durable; right after it, the calls' after-commit
 * callbacks run in the calls' order. Calls still run one at a time, so each sees the changes of those before it, as
 * if alone. While a batch is open the event loop keeps turning (every YIELD_MS): read-only transactions run on their
 * own connections meanwhile, and writing calls that arrive join the batch until it is BATCH_MS old or takes an
 * append-only call.
 *
 * Durability: where the dialect flushes (SQLite), the commit hands the batch's WAL frames to the OS, then `flush` (an
 * fdatasync on the thread pool) makes them durable while the next batch already runs; the batch's callbacks run and
 * its calls are answered only after that flush, and batches settle in commit order. A read answered from the WAL
 * readers reflects at most changes whose flush is pending, and it is recorded itself (its record commits and flushes
 * after them) before it is answered. On PostgreSQL the commit is durable when it returns (one fsync for the batch,
 * where each call paid its own before, holding the lock through it).
 */
export class GroupCommit {
  private readonly queue: Call[] = [];
  /**
   * Append-only calls (records written on their own, for calls that wait for them to answer): they go ahead of the
   * queue, as no call waiting can depend on them, and close the batch they join.
   */
  private readonly urgent: Call[] = [];
  private draining = false;
  /** Committed batches settle one after the other, each once its flush is done. */
  private settled: Promise<void> = Promise.resolve();
  /** A flush failed: what the OS kept since is not known to be on disk, so no later write is acknowledged either. */
  private flushFailure: unknown;

  constructor(
    private readonly dialect: GroupCommitDialect,
    private readonly maxBatch = 256,
  ) {}

  run<T>(fn: (trx: Kysely<Database>) => Promise<T>, callbacks: ReadonlyArray<() => void>, appendOnly = false): Promise<T> {
    if (this.flushFailure !== undefined) return Promise.reject(this.flushFailure);
    return new Promise<T>((resolve, reject) => {
      (appendOnly ? this.urgent : this.queue).push({ fn, callbacks, resolve: resolve as (result: unknown) => void, reject });
      if (this.draining) return;
      this.draining = true;
      // The calls whose requests arrived in this turn of the event loop reach here before it ends: they join the batch.
      setImmediate(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.waiting() > 0) await this.dialect.withWriter((trx) => this.batch(trx));
    } catch (error) {
      // The writer's connection is gone (the store closed, the server went away): nothing queued can commit.
      for (const call of [...this.urgent.splice(0), ...this.queue.splice(0)]) call.reject(error);
    } finally {
      this.draining = false;
    }
  }

  private waiting(): number {
    return this.urgent.length + this.queue.length;
  }

  private async batch(trx: Kysely<Database>): Promise<void> {
    const done: Array<{ call: Call; result: unknown }> = [];
    // Statements with nothing to answer wait to go with the next one: the begin with the first call's savepoint, a
    // call's release with the next call's savepoint or the commit (one round trip each where the writer pipelines).
    let pending: string[] = [this.dialect.begin];
    const run = async (statement: string): Promise<void> => {
      const statements = [...pending, statement];
      pending = [];
      if (this.dialect.pipelines) await sql.raw(statements.join("; ")).execute(trx);
      else for (const each of statements) await sql.raw(each).execute(trx);
    };
    // The batch's age counts from when its transaction opened (PostgreSQL: once the writers' lock was taken), not
    // from a wait for the lock, which would otherwise close it after its first call.
    let started: number | undefined;
    let yielded = performance.now();
    let taken = 0;
    let appendOnlyTaken = false;
    try {
      for (; ; taken++) {
        // Append-only calls hold the records of calls that wait for them to answer: once they are in, commit.
        const awaited = () => appendOnlyTaken && this.urgent.length === 0;
        // Before committing what the queue held, one more turn: the calls of requests that arrived meanwhile join.
        if (performance.now() - yielded >= YIELD_MS || (this.waiting() === 0 && !awaited())) {
          await nextTurn();
          yielded = performance.now();
        }
        const full = taken >= this.maxBatch || performance.now() - (started ?? Infinity) >= BATCH_MS;
        if (this.waiting() === 0 || (taken > 0 && (full || awaited()))) break;
        appendOnlyTaken ||= this.urgent.length > 0;
        const call = (this.urgent.length > 0 ? this.urgent : this.queue).shift()!;
        // Once the transaction is open, a writer that pipelines sends the savepoint ahead of the call's first statement.
        const opened = run("savepoint call");
        if (started === undefined || !this.dialect.pipelines) {
          await opened;
          started ??= performance.now();
        } else opened.catch(() => undefined);
        try {
          const result = await call.fn(trx);
          await opened;
          done.push({ call, result });
        } catch (error) {
          call.reject(error);
          // The database rolled the whole transaction back itself: the batch failed.
          if (this.dialect.abandoned()) throw error;
          // A savepoint that could not be taken (nor the release before it) leaves the transaction unknown: so does the batch.
          await opened;
          await run("rollback to call");
        }
        pending.push("release call");
      }
      await run("commit");
    } catch (error) {
      for (const { call } of done) call.reject(error);
      // A connection that failed may fail the rollback too: the calls already have the first error.
      pending = [];
      if (!this.dialect.abandoned()) await run("rollback").catch(() => undefined);
      this.dialect.batchFailed?.();
      return;
    }
    // Started now, the flush covers this commit (and every one before it); its outcome is kept, never left unhandled.
    const flushed = (this.dialect.flush?.() ?? Promise.resolve()).then(
      () => undefined,
      (error: unknown) => ({ error }),
    );
    this.settled = this.settled.then(async () => {
      const failure = await flushed;
      if (failure) this.flushFailure ??= failure.error;
      if (this.flushFailure !== undefined) {
        for (const { call } of done) call.reject(this.flushFailure);
        return;
      }
      for (const { call, result } of done) {
        try {
          for (const callback of call.callbacks) callback();
          call.resolve(result);
        } catch (error) {
          call.reject(error);
        }
      }
    });
  }

  /** Resolves once every committed batch is flushed and answered (before the store closes). */
  idle(): Promise<void> {
    return this.settled;
  }
}
