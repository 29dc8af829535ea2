import { afterEach, describe } from "node:test";
import type { Store } from "../../src/store/store.js";
import { accountCases } from "./cases/accounts.js";
import { discoveryCases } from "./cases/discovery.js";
import { callRecordCases } from "./cases/call-records.js";
import { eventCases } from "./cases/events.js";
import { trailCases } from "./cases/trails.js";
import { iamCases } from "./cases/iam.js";
import { transactionCases } from "./cases/transactions.js";
import { coordinationCases } from "./cases/coordination.js";
import { changeCases } from "./cases/changes.js";
import { storeErrorCases } from "./cases/store-errors.js";

/**
 * The Store contract (src/store/store.ts, changes.ts and coordination.ts), written once and run by every implementation in a
 * few lines (sqlite.test.ts, postgres.test.ts), as Hono runs one router suite against each router.
 *
 * Adding a third store means: implement `Store` (usually a Kysely dialect behind `KyselyStore`, with its
 * `TransactionPolicy`, its `MigrationDialect` and its `StoreErrorMapping`, as sqlite/ and postgres/ do), write a
 * `<store>.test.ts` of a few lines that describes it as a `StoreImplementation`, and work until this suite passes.
 * Cases that need several nodes on one store run only when `shared` is set; everything else runs everywhere. What
 * one implementation does beyond the contract (SQLite's group commit batching, PostgreSQL's reconnecting feed) is
 * tested in its own file, next to its call of this suite.
 */
export interface StoreImplementation {
  /** A fresh, empty place for a store: a SQLite file, a PostgreSQL database. */
  create(): Promise<string>;
  /** Opens the store at `location` (migrating it). Opening one location twice gives two nodes on it when `shared`. */
  open(location: string): Promise<Store>;
  /** Whether several processes can share one store: the cases about other nodes then run. */
  shared: boolean;
  /** Reads the committed tag keys of `arn` (in key order) on a connection of its own, as another process would. */
  committedTagKeys(location: string, arn: string): Promise<string[]>;
  /**
   * Makes the store at `location`, opened as `store`, refuse further writes the way a full disk or a failover does,
   * and returns how to make it writable again.
   */
  refuseWrites(location: string, store: Store): Promise<() => Promise<void>>;
}

/** What every case gets: the implementation, and stores that are closed when the test that opened them ends. */
export interface Subject {
  name: string;
  impl: StoreImplementation;
  /** A fresh, empty store, closed after the test (a hook opens its own with `impl`, and closes it). */
  fresh(): Promise<Store>;
  /** Opens the store at `location` (another node on it, when shared). */
  open(location: string): Promise<Store>;
  /** `count` nodes on one fresh store: several stores when shared, else the one store `count` times. */
  nodes(count: number): Promise<{ location: string; stores: Store[] }>;
}

/** Runs the suite against `impl`; `skip` (a reason) when this run of the tests is not for this store. */
/** Runs the suite against `impl`; `skip` (a reason) when this run of the tests is not for this store. */
export function runStoreConformance(name: string, impl: StoreImplementation, options: { skip?: string | false } = {}): void {
  // The stores a test opens are closed after it: a PostgreSQL store holds connections, and a server has few.
  let opened: Store[] = [];
  const open = async (location: string): Promise<Store> => {
    const store = await impl.open(location);
    opened.push(store);
    return store;
  };
  const subject: Subject = {
    name,
    impl,
    open,
    fresh: async () => open(await impl.create()),
    async nodes(count) {
      const location = await impl.create();
      if (!impl.shared) return { location, stores: Array<Store>(count).fill(await open(location)) };
      const stores: Store[] = [];
      for (let i = 0; i < count; i++) stores.push(await open(location));
      return { location, stores };
    },
  };
  describe(`store conformance: ${name}`, { skip: options.skip ?? false }, () => {
    afterEach(async () => {
      const closing = opened;
      opened = [];
      // A test may have closed one already (a node that goes away).
      for (const store of new Set(closing)) await store.close().catch(() => undefined);
    });
    accountCases(subject);
    discoveryCases(subject);
    callRecordCases(subject);
    eventCases(subject);
    trailCases(subject);
    iamCases(subject);
    transactionCases(subject);
    coordinationCases(subject);
    changeCases(subject);
    storeErrorCases(subject);
  });
}
