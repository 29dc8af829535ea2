/**
 * Active health checking for services with a HealthCheckConfig (Route 53 checks, probe.ts).
 *
 * Every interval, each registered instance of such a service is checked once (at most `CONCURRENCY` checks
 * at a time, each bounded by a timeout). An instance's status flips after `FailureThreshold` consecutive
 * results that disagree with it (Route 53's default of 3 when the service does not say): failures turn a
 * HEALTHY instance UNHEALTHY, successes bring it back. Flips are persisted through the store (see
 * transition.ts) and logged; the streaks themselves live in memory and start over on a restart.
 *
 * Which instances exist comes from the discovery view, so a round reads no database. `isActive` lets a
 * cluster run the checks on one node only: a round is skipped (and streaks forgotten) while it says no.
 */
import type { Logger } from "../observability/logger.js";
import type { HealthStatus } from "../store/records.js";
import type { Store } from "../store/store.js";
import type { DiscoveryView } from "../view/discovery-view.js";
import type { HealthObserver } from "./observer.js";
import { describeTarget, probe, type ProbeResult } from "./probe.js";
import type { HealthCheckTargets } from "./target-rule.js";
import { DEFAULT_FAILURE_THRESHOLD, probeTargetOf } from "./targets.js";
import { persistHealth, type ProbedInstance } from "./transition.js";

export interface HealthProberOptions {
  view: DiscoveryView;
  store: Store;
  intervalMs: number;
  logger: Logger;
  observer?: HealthObserver;
  isActive?: () => boolean;
  /** Endpoints that may be probed: an instance registered before the rule changed is skipped, not probed. */
  targets: HealthCheckTargets;
}

interface Check extends ProbedInstance {
  key: string;
  status: HealthStatus;
  threshold: number;
}

interface Streak {
  endpoint: string;
  /** Consecutive results disagreeing with the instance's status. */
  count: number;
}

/** Checks in flight at once. */
const CONCURRENCY = 32;
const MAX_TIMEOUT_MS = 4000;

export class HealthProber {
  private readonly streaks = new Map<string, Streak>();
  /** Instances whose endpoint the target rule refuses (warned about once). */
  private readonly refused = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private running = false;
  private stopped = false;
  /** Longest a single check may take: 4 s, or the interval when that is shorter. */
  private readonly timeoutMs: number;

  constructor(private readonly options: HealthProberOptions) {
    this.timeoutMs = Math.max(100, Math.min(MAX_TIMEOUT_MS, options.intervalMs));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops scheduling rounds and waits for the one in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.running = false;
    clearTimeout(this.timer);
    await this.round;
  }

  /** One round of checks over every checked instance (the scheduler's unit of work; tests call it directly). */
  async runRound(): Promise<void> {
    if (this.options.isActive && !this.options.isActive()) {
      this.streaks.clear();
      return;
    }
    const checks = this.collect();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < checks.length && !this.stopped) {
        const check = checks[next++]!;
        await this.check(check);
      }
    };
    const workers = Math.min(CONCURRENCY, checks.length);
    await Promise.all(Array.from({ length: workers }, worker));
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      const started = Date.now();
      this.round = this.runRound()
        .catch((error: unknown) => this.options.logger.error("health: a round of checks failed", {}, error))
        .finally(() => {
          if (!this.stopped) this.schedule(Math.max(0, this.options.intervalMs - (Date.now() - started)));
        });
    }, delayMs);
    this.timer.unref();
  }

  /** The instances to check now; streaks of instances no longer checked are dropped. */
  private collect(): Check[] {
    const checks: Check[] = [];
    const seen = new Set<string>();
    for (const svc of this.options.view.services()) {
      const config = svc.record.healthCheckConfig;
      if (!config || svc.record.healthCheckCustomConfig) continue;
      const threshold = config.FailureThreshold ?? DEFAULT_FAILURE_THRESHOLD;
      for (const instance of svc.list()) {
        const target = probeTargetOf(config, instance.attributes);
        if (!target) continue;
        const key = `${svc.id}\u0000${instance.id}`;
        seen.add(key);
        const refusal = this.options.targets.refusal(target.address, target.port);
        if (refusal) {
          if (!this.refused.has(key)) this.options.logger.warn(`health: instance ${instance.id} of service ${svc.id} is not checked. ${refusal}`);
          this.refused.add(key);
          continue;
        }
        this.refused.delete(key);
        checks.push({
          key,
          accountId: svc.record.accountId,
          region: svc.record.region,
          serviceId: svc.id,
          instanceId: instance.id,
          target,
          status: instance.health,
          threshold,
        });
      }
    }
    for (const key of this.streaks.keys()) if (!seen.has(key)) this.streaks.delete(key);
    for (const key of this.refused) if (!seen.has(key)) this.refused.delete(key);
    return checks;
  }

  private async check(check: Check): Promise<void> {
    const result = await probe(check.target, this.timeoutMs);
    this.options.observer?.checked({ serviceId: check.serviceId, instanceId: check.instanceId, type: check.target.type, healthy: result.healthy });
    const endpoint = describeTarget(check.target);
    let streak = this.streaks.get(check.key);
    if (!streak || streak.endpoint !== endpoint) this.streaks.set(check.key, (streak = { endpoint, count: 0 }));
    const agrees = result.healthy === (check.status === "HEALTHY");
    if (agrees) {
      streak.count = 0;
      return;
    }
    streak.count += 1;
    if (streak.count < check.threshold) return;
    streak.count = 0;
    await this.flip(check, result, endpoint);
  }

  private async flip(check: Check, result: ProbeResult, endpoint: string): Promise<void> {
    const to: HealthStatus = result.healthy ? "HEALTHY" : "UNHEALTHY";
    try {
      if (!(await persistHealth(this.options.store, check, to, new Date()))) return;
    } catch (error) {
      this.options.logger.error(`health: could not record ${check.serviceId}/${check.instanceId} as ${to}`, {}, error);
      return;
    }
    const results = check.threshold === 1 ? "check" : `${check.threshold} consecutive checks`;
    this.options.logger.info(
      `health: instance ${check.instanceId} of service ${check.serviceId} is ${to} (was ${check.status}) after ${results} ` +
        `${result.healthy ? "passed" : "failed"} at ${endpoint} (${result.detail})`,
      { serviceId: check.serviceId, instanceId: check.instanceId, from: check.status, to, endpoint },
    );
    this.options.observer?.transitioned({ serviceId: check.serviceId, instanceId: check.instanceId, from: check.status, to });
  }
}
