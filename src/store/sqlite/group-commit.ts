import type BetterSqlite3 from "better-sqlite3";
import { sql, type Kysely } from "kysely";
import type { Database } from "../schema.js";

interface Call {
  fn(trx: Kysely<Database>): Promise<unknown>;
  callbacks: ReadonlyArray<() => void>;
  resolve(result: unknown): void;
  reject(error: unknown): void;
}

/**
 * Group commit for SQLite's one writer: the writing calls that arrive together run one after the other in one
 * transaction, each in its own savepoint (a failing call rolls back alone, the others keep their changes), and share
 * its commit and fsync. No call is answered before that commit is durable; right after it, the calls' after-commit
 * callbacks run in the calls' order. Calls still run one at a time, so each sees the changes of those before it, as
 * if alone.
 */
export class GroupCommit {
  private readonly queue: Call[] = [];
  private draining = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly sqlite: BetterSqlite3.Database,
    private readonly maxBatch = 256,
  ) {}

  run<T>(fn: (trx: Kysely<Database>) => Promise<T>, callbacks: ReadonlyArray<() => void>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, callbacks, resolve: resolve as (result: unknown) => void, reject });
      if (this.draining) return;
      this.draining = true;
      // The calls whose requests arrived in this turn of the event loop reach here before it ends: they join the batch.
      setImmediate(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) await this.db.connection().execute((trx) => this.batch(trx));
    } catch (error) {
      // The writer's connection is gone (the store closed): nothing queued can commit.
      for (const call of this.queue.splice(0)) call.reject(error);
    } finally {
      this.draining = false;
    }
  }

  private async batch(trx: Kysely<Database>): Promise<void> {
    const done: Array<{ call: Call; result: unknown }> = [];
    const run = (statement: string) => sql.raw(statement).execute(trx);
    await run("begin");
    try {
      while (this.queue.length > 0 && done.length < this.maxBatch) {
        const call = this.queue.shift()!;
        await run("savepoint call");
        try {
          done.push({ call, result: await call.fn(trx) });
          await run("release call");
        } catch (error) {
          call.reject(error);
          // SQLite rolled the whole transaction back itself (SQLITE_FULL, SQLITE_IOERR): the batch failed.
          if (!this.sqlite.inTransaction) throw error;
          if (done.at(-1)?.call === call) done.pop();
          await run("rollback to call");
          await run("release call");
        }
      }
      await run("commit");
    } catch (error) {
      for (const { call } of done) call.reject(error);
      if (this.sqlite.inTransaction) await run("rollback");
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
  }
}
