import type { StoredEvent } from "../store/records.js";
import type { Store, StoreTx } from "../store/store.js";

/** Writes one CloudTrail record in a transaction, with whatever must commit with it (the event bus's deliveries). */
export type RecordAppender = (tx: StoreTx, event: StoredEvent) => Promise<void>;

export const plainAppend: RecordAppender = (tx, event) => tx.events.append(event);

/**
 * Group commit for records written on their own (read-only calls and failed calls): the records of calls that
 * finish while a commit is under way share the next transaction, so concurrent calls share one fsync. A call is
 * answered only after its record committed: nothing acknowledged is ever missing, even after a crash.
 */
export class EventWriter {
  private queue: Array<{ event: StoredEvent; resolve(): void; reject(error: unknown): void }> = [];
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly store: Pick<Store, "transaction">,
    private readonly maxBatch = 500,
    private readonly appendRecord: RecordAppender = plainAppend,
  ) {}

  /** Resolves once `event` is committed; rejects if its transaction failed. */
  append(event: StoredEvent): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ event, resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  /** Resolves when every record handed over so far is committed (or failed). */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flush(): Promise<void> {
    // Let the calls that complete in this turn of the event loop join the first batch.
    await new Promise((resolve) => setImmediate(resolve));
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          await this.store.transaction(
            async (tx) => {
              for (const item of batch) await this.appendRecord(tx, item.event);
            },
            { appendOnly: true },
          );
          for (const item of batch) item.resolve();
        } catch (error) {
          for (const item of batch) item.reject(error);
        }
      }
    } finally {
      this.flushing = undefined;
    }
  }
}
