import type { SecretBox } from "../auth/secret-box.js";
import type { HealthCheckTargets } from "../health/target-rule.js";
import { unsealAuth, type ConnectionAuth } from "../services/events/connections.js";
import { TokenBuckets } from "../server/token-buckets.js";
import type { ApiDestinationRecord, PendingDelivery } from "../store/event-bus-records.js";
import type { Store } from "../store/store.js";
import { send, type SendOutcome } from "./send.js";

/** Call sites for metrics and logs, per rule and target. */
export interface EventDeliveryObserver {
  delivered?(e: { ruleArn: string; targetId: string; latencyMs: number }): void;
  failed?(e: { ruleArn: string; targetId: string; eventId: string; attempt: number; reason: string; willRetry: boolean }): void;
  dropped?(e: { ruleArn: string; targetId: string; eventId: string; attempts: number; reason: string }): void;
}

export interface EventDeliveryOptions {
  store: Store;
  box: SecretBox;
  /** Which addresses deliveries may reach (the health-check rule, `--health-check-targets`). */
  targets: HealthCheckTargets;
  /** Only the node holding the delivery lease delivers. */
  mayRun: () => boolean;
  observer?: EventDeliveryObserver;
  log(message: string, error?: unknown): void;
  /** First retry delay; doubles with each attempt up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Idle wait between looks at the outbox when nothing wakes the worker. */
  pollMs?: number;
  clock?: () => number;
}

const BATCH = 200;
const IN_FLIGHT = 32;

type Target = { destination: ApiDestinationRecord; auth: ConnectionAuth } | { refused: string };

/**
 * Delivers the event bus's outbox: each due delivery is POSTed (or sent with its destination's method) to its API
 * destination, within the destination's InvocationRateLimitPerSecond. A delivery leaves the outbox only once it
 * succeeded or was dropped (retries exhausted, too old, or a final failure), so a crash re-sends at most what was
 * under way: at-least-once, with the same event and its same `id`. Runs beside the API, never inside a call.
 */
export class EventDeliveryWorker {
  private readonly rates = new TokenBuckets();
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(private readonly o: EventDeliveryOptions) {
    this.now = o.clock ?? Date.now;
  }

  start(): void {
    this.wake();
  }

  /** New deliveries committed: look at the outbox now rather than at the next poll. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.loop().finally(() => {
      this.running = undefined;
      if (this.stopped) return;
      if (this.again) this.wake();
      else this.timer = setTimeout(() => this.wake(), this.o.pollMs ?? 200);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      if (!this.o.mayRun()) return;
      try {
        if (await this.cycle()) this.again = true;
      } catch (error) {
        this.o.log("event delivery cycle failed", error);
        return;
      }
    } while (this.again && !this.stopped);
  }

  /** One pass over what is due; true when a full batch was taken and more may be due. */
  async cycle(): Promise<boolean> {
    const now = this.now();
    const due = await this.o.store.transaction((tx) => tx.eventOutbox.due(now, BATCH), { readOnly: true });
    const targets = new Map<string, Target>();
    const ready: PendingDelivery[] = [];
    for (const d of due) {
      if (!targets.has(d.targetArn)) targets.set(d.targetArn, await this.target(d.targetArn));
      const target = targets.get(d.targetArn)!;
      // Over the destination's rate: the delivery waits in the outbox for a later pass, without costing an attempt.
      if ("destination" in target && !this.rates.take(target.destination.arn, target.destination.rateLimitPerSecond, target.destination.rateLimitPerSecond, now)) continue;
      ready.push(d);
    }
    for (let i = 0; i < ready.length; i += IN_FLIGHT) {
      await Promise.all(ready.slice(i, i + IN_FLIGHT).map((d) => this.deliver(d, targets.get(d.targetArn)!)));
    }
    // Deliveries held back by a rate wait for the next poll rather than spinning here.
    return due.length >= BATCH && ready.length === due.length;
  }

  private async target(arn: string): Promise<Target> {
    return this.o.store.transaction(async (tx) => {
      const destination = await tx.eventConnections.destinationByArn(arn);
      if (!destination) return { refused: `API destination ${arn} no longer exists` };
      const connection = await tx.eventConnections.connectionByArn(destination.connectionArn);
      if (!connection) return { refused: `connection ${destination.connectionArn} no longer exists` };
      if (connection.state !== "AUTHORIZED") return { refused: `connection ${connection.name} is ${connection.state}` };
      return { destination, auth: unsealAuth(this.o, connection) };
    }, { readOnly: true });
  }

  private async deliver(d: PendingDelivery, target: Target): Promise<void> {
    const started = this.now();
    const outcome: SendOutcome =
      "refused" in target ? { ok: false, retryable: false, reason: target.refused } : await send(target.destination, target.auth, d.terms, d.body, this.o.targets);
    const attempt = d.attempts + 1;
    const { observer } = this.o;
    if (outcome.ok) {
      await this.o.store.transaction((tx) => tx.eventOutbox.remove(d.id));
      observer?.delivered?.({ ruleArn: d.ruleArn, targetId: d.targetId, latencyMs: this.now() - d.createdAt });
      return;
    }
    const next = started + this.backoff(attempt);
    const willRetry = outcome.retryable && attempt < d.terms.maxAttempts && next - d.createdAt <= d.terms.maxAgeMs;
    observer?.failed?.({ ruleArn: d.ruleArn, targetId: d.targetId, eventId: d.eventId, attempt, reason: outcome.reason, willRetry });
    if (willRetry) {
      await this.o.store.transaction((tx) => tx.eventOutbox.retryLater(d.id, attempt, next));
      return;
    }
    await this.o.store.transaction((tx) => tx.eventOutbox.remove(d.id));
    observer?.dropped?.({ ruleArn: d.ruleArn, targetId: d.targetId, eventId: d.eventId, attempts: attempt, reason: outcome.reason });
  }

  /** Exponential, with jitter so that many failed deliveries do not come back at once. */
  private backoff(attempt: number): number {
    const base = this.o.backoffMs ?? 1_000;
    const capped = Math.min(this.o.maxBackoffMs ?? 300_000, base * 2 ** (attempt - 1));
    // Whole milliseconds: the store keeps times as integers.
    return Math.round(capped / 2 + Math.random() * (capped / 2));
  }
}
