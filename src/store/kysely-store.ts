import { Migrator, type Kysely, type TransactionBuilder } from "kysely";
import type { Database } from "./schema.js";
import type { Store, StoreTx, TransactionOptions } from "./store.js";
import { soleCoordination, type Coordination, type Exclusive, type Lease } from "./coordination.js";
import type { ChangeListener, NoteChange, StoreChange } from "./changes.js";
import { migrationProvider } from "./migrations/index.js";
import type { MigrationDialect } from "./migrations/dialect.js";
import type { StoreErrorMapping } from "./errors.js";
import { accountRepo } from "./repos/accounts.js";
import { namespaceRepo } from "./repos/namespaces.js";
import { serviceRepo } from "./repos/services.js";
import { instanceRepo } from "./repos/instances.js";
import { serviceAttributeRepo } from "./repos/service-attributes.js";
import { operationRepo } from "./repos/operations.js";
import { requestTokenRepo } from "./repos/tokens.js";
import { tagRepo } from "./repos/tags.js";
import { eventRepo } from "./repos/events.js";
import { signingKeyRepo, trailRepo } from "./repos/trails.js";
import { iamRepo } from "./repos/iam.js";
import { eventRuleRepo } from "./repos/event-rules.js";
import { eventConnectionRepo } from "./repos/event-connections.js";
import { eventOutboxRepo } from "./repos/event-outbox.js";

/** How a dialect runs transactions: SQLite's are serial already; PostgreSQL's need telling (postgres/open.ts). */
export interface TransactionPolicy {
  /** Starts a read-only or a writing transaction with the isolation and locks the dialect needs. */
  begin(db: Kysely<Database>, readOnly: boolean): TransactionBuilder<Database>;
  /** Whether a failed attempt lost a race with a concurrent transaction, so running `fn` again is correct. */
  retryable(error: unknown): boolean;
  maxAttempts: number;
  /** Where read-only transactions run (SQLite: a pool of WAL readers, off the writer's queue); else the store's db. */
  readers?: Kysely<Database>;
  /** Whether a read-only attempt failed only because it wrote (SQLite's readers are query-only): it runs again as a write. */
  wroteWhileReading?(error: unknown): boolean;
  /**
   * Runs a writing attempt itself (SQLite: group commit; PostgreSQL: under the writers' lock), and `callbacks` (which
   * publish its changes) once its commit is durable, never for an attempt rolled back; else through `begin`.
   */
  write?<T>(fn: (trx: Kysely<Database>) => Promise<T>, callbacks: ReadonlyArray<() => void>, options: TransactionOptions): Promise<T>;
  /** Runs when the store closes, before its connections go (a writer connection of its own, say). */
  close?(): Promise<void>;
  /** Turns the database's own errors into typed store errors (./errors.ts) as they leave the store. */
  storeError?: StoreErrorMapping;
}

const SERIAL: TransactionPolicy = { begin: (db) => db.transaction(), retryable: () => false, maxAttempts: 1 };

/** Runs `fn`, then waits for the writes it deferred (StoreTx.defer): they succeed with it, or the whole fails. */
async function withDeferred<T>(fn: (defer: (write: Promise<unknown>) => void) => Promise<T>): Promise<T> {
  const deferred: Array<Promise<unknown>> = [];
  let result: T;
  try {
    result = await fn((write) => {
      // Handled here until awaited below: a failure is the transaction's, not an unhandled rejection.
      write.catch(() => undefined);
      deferred.push(write);
    });
  } catch (error) {
    // The transaction is rolled back only once nothing it issued is still running.
    await Promise.allSettled(deferred);
    throw error;
  }
  await Promise.all(deferred);
  return result;
}

/** The Store over any Kysely dialect: the repositories are written once for SQLite and PostgreSQL. */
export class KyselyStore implements Store {
  /** This process's listeners: they hear its own commits from the repositories' notes. */
  private readonly listeners = new Set<ChangeListener>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly coordination: Coordination = soleCoordination(),
    private readonly policy: TransactionPolicy = SERIAL,
  ) {}

  async migrate(dialect: MigrationDialect): Promise<void> {
    const { error, results } = await new Migrator({ db: this.db, provider: migrationProvider(dialect) }).migrateToLatest();
    const failed = results?.find((r) => r.status === "Error");
    if (error || failed) {
      throw new Error(`store migration ${failed?.migrationName ?? ""} failed: ${String(error)}`);
    }
  }

  async transaction<T>(fn: (tx: StoreTx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    let readOnly = options.readOnly === true;
    for (let attempt = 1; ; attempt++) {
      // The changes of an attempt that lost a race must not be heard: each attempt collects its own.
      const changes: StoreChange[] = [];
      const run = (trx: Kysely<Database>) => withDeferred((defer) => fn(this.tx(trx, (change) => changes.push(change), defer)));
      const publish = () => this.publish(changes);
      try {
        if (!readOnly && this.policy.write) return await this.policy.write(run, [publish], options);
        const result = await this.policy.begin(readOnly ? (this.policy.readers ?? this.db) : this.db, readOnly).execute(run);
        publish();
        return result;
      } catch (error) {
        if (readOnly && this.policy.wroteWhileReading?.(error)) {
          readOnly = false;
          continue;
        }
        if (attempt >= this.policy.maxAttempts || !this.policy.retryable(error)) throw this.policy.storeError?.(error) ?? error;
        // Back off a little, randomly, so the transactions that collided do not collide again.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 ** attempt)));
      }
    }
  }

  private tx(trx: Kysely<Database>, note: NoteChange, defer: (write: Promise<unknown>) => void): StoreTx {
    return {
      defer,
      accounts: accountRepo(trx, note),
      namespaces: namespaceRepo(trx, note),
      services: serviceRepo(trx, note),
      instances: instanceRepo(trx, note),
      serviceAttributes: serviceAttributeRepo(trx),
      operations: operationRepo(trx),
      tokens: requestTokenRepo(trx),
      tags: tagRepo(trx, note),
      events: eventRepo(trx),
      trails: trailRepo(trx),
      signingKeys: signingKeyRepo(trx),
      iam: iamRepo(trx, note),
      eventRules: eventRuleRepo(trx, note),
      eventConnections: eventConnectionRepo(trx),
      eventOutbox: eventOutboxRepo(trx, note),
    };
  }

  /** Hands a committed transaction's changes to this process's listeners, in the order they were written. */
  private publish(changes: readonly StoreChange[]): void {
    for (const change of changes) for (const listener of this.listeners) listener.changed(change);
  }

  watch(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    const unwatchShared = this.coordination.watch(listener);
    return () => {
      this.listeners.delete(listener);
      unwatchShared();
    };
  }

  runExclusive<T>(name: string, fn: () => Promise<T>): Promise<Exclusive<T>> {
    return this.coordination.runExclusive(name, fn);
  }

  lease(name: string): Lease {
    return this.coordination.lease(name);
  }

  async close(): Promise<void> {
    await this.policy.close?.();
    await this.coordination.close();
    await this.policy.readers?.destroy();
    await this.db.destroy();
  }
}
