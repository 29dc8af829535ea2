import type { RuleState, TargetConfig } from "../../store/event-bus-records.js";
import type { StoreTx } from "../../store/store.js";
import { DEFAULT_BUS } from "./arns.js";
import { parseEventPattern, type EventPattern } from "./pattern/index.js";

/** A rule that can match: enabled, with a pattern and at least one target. */
export interface LiveRule {
  name: string;
  arn: string;
  state: Exclude<RuleState, "DISABLED">;
  pattern: EventPattern;
  targets: TargetConfig[];
}

const keyOf = (accountId: string, region: string) => `${accountId}\u0000${region}`;

/**
 * The live rules of each account's default bus per region, in memory, so that recording a call costs no query
 * when nothing can match (and one read per bus after each rule change). A bus is loaded inside the transaction
 * that needs it and kept only once that transaction commits, unless a rule change was announced meanwhile: so
 * the cache never holds rules a rolled-back or superseded transaction saw.
 */
export class RuleCache {
  private readonly buses = new Map<string, LiveRule[]>();
  /** Moves on at every change of a bus: a load that started before a change is not kept. */
  private readonly generations = new Map<string, number>();

  async live(tx: StoreTx, accountId: string, region: string): Promise<LiveRule[]> {
    const key = keyOf(accountId, region);
    const cached = this.buses.get(key);
    if (cached) return cached;
    const generation = this.generations.get(key) ?? 0;
    const scope = { accountId, region, eventBusName: DEFAULT_BUS };
    const rules = await tx.eventRules.list(scope, undefined, Number.MAX_SAFE_INTEGER);
    const targets = await tx.eventRules.allTargets(scope);
    const live: LiveRule[] = [];
    for (const rule of rules) {
      if (rule.state === "DISABLED" || rule.eventPattern === undefined) continue;
      const ruleTargets = targets.filter((t) => t.ruleName === rule.name).map((t) => t.config);
      if (ruleTargets.length === 0) continue;
      live.push({ name: rule.name, arn: rule.arn, state: rule.state, pattern: parseEventPattern(rule.eventPattern), targets: ruleTargets });
    }
    tx.afterCommit(() => {
      if ((this.generations.get(key) ?? 0) === generation) this.buses.set(key, live);
    });
    return live;
  }

  /** A rule or target of the bus changed (call after its commit). */
  changed(accountId: string, region: string): void {
    const key = keyOf(accountId, region);
    this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
    this.buses.delete(key);
  }

  /** Changes may have been missed (another node's, while the change feed was down). */
  clear(): void {
    for (const key of this.buses.keys()) this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
    this.buses.clear();
  }
}
