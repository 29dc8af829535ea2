import type { SecretBox } from "../auth/secret-box.js";
import type { HealthCheckTargets } from "../health/target-rule.js";
import { eventBusObserver } from "../observability/job-observers.js";
import type { Logger } from "../observability/logger.js";
import type { Metrics } from "../observability/metrics.js";
import { EventFeed } from "../services/events/feed.js";
import { RuleCache } from "../services/events/rule-cache.js";
import type { Store } from "../store/store.js";
import { EventDeliveryWorker } from "./worker.js";

export interface EventBus {
  rules: RuleCache;
  feed: EventFeed;
  start(): void;
  /** Lets the delivery under way finish; what is pending stays in the outbox for the next start. */
  stop(): Promise<void>;
}

/**
 * The event bus of a server: rules kept in memory (following other nodes' changes through the store), the feed
 * that writes deliveries with their events, and one delivery worker per cluster (the `event-delivery` lease).
 */
export function createEventBus(store: Store, box: SecretBox, targets: HealthCheckTargets, metrics: Metrics, logger: Logger): EventBus {
  const rules = new RuleCache();
  const log = logger.child({ job: "event-delivery" });
  const observer = eventBusObserver(metrics, log);
  const feed = new EventFeed(rules);
  const lease = store.lease("event-delivery");
  const worker = new EventDeliveryWorker({ store, box, targets, mayRun: () => lease.held, observer, log: (message, error) => log.warn(message, {}, error) });
  const unwatch = store.watch({
    changed: (change) => {
      if (change.kind === "eventRules") rules.changed(change.accountId, change.region);
      if (change.kind === "eventDeliveries") {
        for (const d of change.deliveries) observer.matched(d);
        worker.wake();
      }
    },
    resync: () => rules.clear(),
  });
  return {
    rules,
    feed,
    start: () => worker.start(),
    async stop() {
      await worker.stop();
      unwatch();
      await lease.release();
    },
  };
}
