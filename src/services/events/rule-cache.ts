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
  /** Exact values the pattern requires of `source` and `detail.eventName`, when it lists only strings there. */
  sources?: ReadonlySet<string>;
  eventNames?: ReadonlySet<string>;
}

/** The strings of a pattern field that lists exact strings only (any other matcher, and it says nothing). */
function exactStrings(value: unknown): ReadonlySet<string> | undefined {
  return Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "string") ? new Set(value as string[]) : undefined;
}

/**
 * What a pattern's text says about `source` and `detail.eventName` without the pattern module: a field listing
 * exact strings matches only events whose (string) value is one of them, so the feed can pass over a rule without
 * building the event when its source or operation is not listed.
 */
function prefilter(patternText: string): Pick<LiveRule, "sources" | "eventNames"> {
  const pattern = JSON.parse(patternText) as Record<string, unknown>;
  const detail = pattern.detail !== null && typeof pattern.detail === "object" ? (pattern.detail as Record<string, unknown>) : {};
  const sources = exactStrings(pattern.source);
  const eventNames = exactStrings(detail.eventName);
  return { ...(sources ? { sources } : {}), ...(eventNames ? { eventNames } : {}) };
}

/** Whether a rule may match an event of this source and operation (false only when its pattern rules it out). */
export function mayMatch(rule: LiveRule, source: string, eventName: string | undefined): boolean {
  if (rule.sources && !rule.sources.has(source)) return false;
  return !rule.eventNames || (eventName !== undefined && rule.eventNames.has(eventName));
}

const keyOf = (accountId: string, region: string) => `${accountId}\u0000${region}`;

/**
 * The live rules of each account's default bus per region, in memory, so that recording a call costs no query
 * when nothing can match (and one read per bus after each rule change). A bus is loaded inside the transaction
 * that needs it and kept unless the store announced a change of that bus meanwhile (`changed`, from the store's
 * change stream: this node's commits and, on PostgreSQL, every node's). What a load reads is committed, or an
 * earlier call's change in the same SQLite batch, whose announcement follows its commit; only a rule write whose
 * own call then fails (its CloudTrail record refused) could leave a rule here that is not in the store, until
 * the bus's next change.
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
      const pattern = parseEventPattern(rule.eventPattern);
      live.push({ name: rule.name, arn: rule.arn, state: rule.state, pattern, targets: ruleTargets, ...prefilter(rule.eventPattern) });
    }
    if ((this.generations.get(key) ?? 0) === generation) this.buses.set(key, live);
    return live;
  }

  /** A rule or target of the bus changed (heard from the store's change stream, after its commit). */
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
