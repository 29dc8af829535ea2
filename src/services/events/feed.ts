import { randomUUID } from "node:crypto";
import { isoSeconds } from "../../protocol/timestamps.js";
import type { PendingDelivery } from "../../store/event-bus-records.js";
import type { StoredEvent } from "../../store/records.js";
import type { StoreTx } from "../../store/store.js";
import { cloudTrailEnvelope, cloudTrailSource, type BusEvent } from "./envelope.js";
import { matchesPattern } from "./pattern/index.js";
import { mayMatch, type LiveRule, type RuleCache } from "./rule-cache.js";
import { targetBody } from "./target-input.js";

/** AWS's RetryPolicy defaults: 185 retries over at most 24 hours. */
export const DEFAULT_RETRY_ATTEMPTS = 185;
export const DEFAULT_MAX_EVENT_AGE_SECONDS = 86_400;

/**
 * Puts events on their region's default bus: matches them against the bus's live rules and writes one pending
 * delivery per target in the caller's transaction (the outbox), so that an event and its deliveries commit
 * together. Costs nothing when the bus has no live rule; one insert statement when some match.
 */
export class EventFeed {
  constructor(private readonly rules: RuleCache) {}

  /** Appends a CloudTrail record, and its event's deliveries (read-only calls reach only rules that ask for them). */
  async record(tx: StoreTx, event: StoredEvent): Promise<void> {
    await tx.events.append(event);
    const live = await this.rules.live(tx, event.accountId, event.region);
    if (live.length === 0) return;
    const source = cloudTrailSource(event.eventSource);
    // The record is parsed into an event only when some rule may want it.
    const wanted = live.filter((r) => (!event.readOnly || r.state === "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS") && mayMatch(r, source, event.eventName));
    if (wanted.length > 0) await this.deliver(tx, cloudTrailEnvelope(event), wanted);
  }

  /** Custom events (PutEvents): every live rule of the bus. */
  async put(tx: StoreTx, event: BusEvent): Promise<void> {
    const eventName = (event.detail as { eventName?: unknown } | null)?.eventName;
    const live = (await this.rules.live(tx, event.account, event.region)).filter((r) => mayMatch(r, event.source, typeof eventName === "string" ? eventName : undefined));
    if (live.length > 0) await this.deliver(tx, event, live);
  }

  private async deliver(tx: StoreTx, event: BusEvent, rules: LiveRule[]): Promise<void> {
    const now = Date.now();
    const ingested = isoSeconds(now);
    const deliveries: PendingDelivery[] = [];
    for (const rule of rules) {
      if (!matchesPattern(rule.pattern, event)) continue;
      for (const target of rule.targets) {
        deliveries.push({
          id: randomUUID(),
          eventId: event.id,
          ruleArn: rule.arn,
          targetId: target.Id,
          targetArn: target.Arn,
          body: targetBody(target, event, rule, ingested),
          terms: {
            ...(target.HttpParameters ? { httpParameters: target.HttpParameters } : {}),
            maxAttempts: (target.RetryPolicy?.MaximumRetryAttempts ?? DEFAULT_RETRY_ATTEMPTS) + 1,
            maxAgeMs: (target.RetryPolicy?.MaximumEventAgeInSeconds ?? DEFAULT_MAX_EVENT_AGE_SECONDS) * 1000,
          },
          attempts: 0,
          createdAt: now,
          nextAttemptAt: now,
        });
      }
    }
    // The store announces them once committed: they are counted and the delivery worker woken then.
    if (deliveries.length > 0) await tx.eventOutbox.add(deliveries);
  }
}
