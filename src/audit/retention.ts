import type { Logger } from "../observability/logger.js";
import type { Store } from "../store/store.js";

const DAY_MS = 86_400_000;

export interface RetentionOptions {
  /** Events older than this many days are deleted. */
  retentionDays: number;
  /** Time between purges; the first runs shortly after start. */
  intervalMs?: number;
  /** Events deleted per transaction, so that requests interleave with a long purge. */
  batch?: number;
  now?: () => Date;
  /** The job's own logger (e.g. `logger.child({ job: "retention" })`). */
  logger: Logger;
}

export interface RetentionPurger {
  /** Purges everything now expired; resolves with how many events went. */
  runOnce(): Promise<number>;
  /** Stops the timer and waits for a purge in progress to finish. */
  stop(): Promise<void>;
}

/** Event history keeps 90 days (or what the operator chose): a background timer deletes what is older. */
export function startEventRetention(store: Store, options: RetentionOptions): RetentionPurger {
  const intervalMs = options.intervalMs ?? 10 * 60_000;
  const batch = options.batch ?? 1000;
  const now = options.now ?? (() => new Date());
  let stopped = false;
  let running: Promise<number> | undefined;
  let timer: NodeJS.Timeout | undefined;

  async function purgeAll(): Promise<number> {
    const cutoff = new Date(now().getTime() - options.retentionDays * DAY_MS);
    let total = 0;
    while (!stopped) {
      const deleted = await store.transaction((tx) => tx.events.purgeBefore(cutoff, batch));
      total += deleted;
      if (deleted === 0) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    return total;
  }

  /** With several nodes on one store, one purges at a time; the others find the job taken and skip this round. */
  async function purge(): Promise<number> {
    const outcome = await store.runExclusive("event-retention", purgeAll);
    return outcome.ran ? outcome.value : 0;
  }

  function runOnce(): Promise<number> {
    running ??= purge().finally(() => {
      running = undefined;
    });
    return running;
  }

  function schedule(delay: number): void {
    if (stopped) return;
    timer = setTimeout(() => {
      const started = Date.now();
      runOnce()
        .then((deleted) => {
          const fields = { deleted, retentionDays: options.retentionDays, durationMs: Date.now() - started };
          if (deleted > 0) options.logger.info("event retention purge done", fields);
          else options.logger.debug("event retention purge done", fields);
        })
        .catch((error: unknown) => options.logger.error("event retention purge failed", {}, error))
        .finally(() => schedule(intervalMs));
    }, delay);
    timer.unref();
  }

  schedule(Math.min(intervalMs, 5_000));
  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
