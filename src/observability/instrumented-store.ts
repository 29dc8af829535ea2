import { performance } from "node:perf_hooks";
import type { StoredEvent } from "../store/records.js";
import type { EventRepo, Store, StoreTx, TransactionOptions } from "../store/store.js";
import type { Metrics } from "./metrics.js";

/** `tx` with `events.append` counting what it is handed; everything else is the transaction's own. */
function countingEvents(tx: StoreTx, count: () => void): StoreTx {
  const events: EventRepo = Object.create(tx.events) as EventRepo;
  events.append = (event: StoredEvent) => {
    count();
    return tx.events.append(event);
  };
  const wrapped = Object.create(tx) as StoreTx;
  Object.defineProperty(wrapped, "events", { value: events });
  return wrapped;
}

/**
 * The store with its transactions timed and the CloudTrail events they commit counted. Every other
 * member is the store's own, so implementations can grow without this wrapper knowing.
 */
export function instrumentStore(store: Store, metrics: Metrics): Store {
  const instrumented = Object.create(store) as Store;
  instrumented.transaction = async <T>(fn: (tx: StoreTx) => Promise<T>, options?: TransactionOptions): Promise<T> => {
    const started = performance.now();
    let events = 0;
    try {
      const result = await store.transaction((tx) => {
        // Only the attempt that commits counts: one that lost a race (PostgreSQL) is run again from the start.
        events = 0;
        return fn(countingEvents(tx, () => events++));
      }, options);
      metrics.storeTransaction((performance.now() - started) / 1000, "commit");
      if (events > 0) metrics.eventsRecorded(events);
      return result;
    } catch (error) {
      metrics.storeTransaction((performance.now() - started) / 1000, "rollback");
      throw error;
    }
  };
  return instrumented;
}
