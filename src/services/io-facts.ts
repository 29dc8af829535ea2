/**
 * Facts a handler needs from the network (does an S3 bucket exist?), learnt between transaction attempts and never
 * inside one: a writing transaction holds the store's writer lock (PostgreSQL's advisory lock, SQLite's shared
 * commit), and a slow answer would stall every other write.
 *
 * Why between attempts rather than in a hook before the transaction: the handler asks where it would have checked,
 * so authorisation (which runs first in the transaction) has already passed and every earlier check has already
 * answered — an unauthorised or otherwise failing call never reaches the network, errors keep AWS's order, and the
 * facts asked for may depend on what the transaction read (UpdateTrail checks the stored bucket when only the prefix
 * changes). The price is one rolled-back attempt per fact, paid only by the calls that need one.
 */
export class IoFacts {
  private readonly known = new Map<string, unknown>();

  /** The fact under `key` when learnt; otherwise ends the attempt (the pipeline calls `fetch`, then runs it again). */
  get<T>(key: string, fetch: () => Promise<T>): T {
    if (this.known.has(key)) return this.known.get(key) as T;
    throw new FetchOutside(key, fetch);
  }

  /** Runs what ended the attempt, outside any transaction. Each round learns a new key, so retries end. */
  async learn(needed: FetchOutside): Promise<void> {
    this.known.set(needed.key, await needed.fetch());
  }
}

/** Thrown through the handler and the transaction (which rolls back); only the pipeline catches it. */
export class FetchOutside extends Error {
  constructor(
    readonly key: string,
    readonly fetch: () => Promise<unknown>,
  ) {
    super(`a fact that needs I/O (${key}) is learnt outside the transaction`);
  }
}
