import type { Limits } from "../config.js";
import type { ServiceError } from "../protocol/errors.js";
import { commonErrors } from "../protocol/common-errors.js";
import { errors as sdErrors } from "../generated/servicediscovery.js";
import type { ApiDef } from "../services/operation.js";
import { TokenBuckets } from "./token-buckets.js";

/** One request-rate quota: a bucket shared by the operations of a group, per account and region. */
export interface RateRule {
  /** Operations of the same API with the same group share one bucket. */
  group: string;
  perSecond: number;
  burst: number;
  /** AWS's answer over the rate for this API and operation. */
  code: "ThrottlingException" | "RequestLimitExceeded";
}

const isRead = (operation: string): boolean => /^(Get|List|Describe)/.test(operation);

/**
 * AWS's published rates (Cloud Map's and CloudTrail's service quotas), before scaling. Cloud Map's
 * control-plane rates are undocumented: Cairn uses 50/s for reads (the figure users report for ListInstances)
 * and 20/s for changes.
 */
function awsRule(api: string, operation: string): RateRule | undefined {
  if (api === "servicediscovery") {
    if (operation === "DiscoverInstances") return { group: operation, perSecond: 1000, burst: 2000, code: "RequestLimitExceeded" };
    if (operation === "DiscoverInstancesRevision") return { group: operation, perSecond: 3000, burst: 3000, code: "RequestLimitExceeded" };
    return isRead(operation)
      ? { group: "read", perSecond: 50, burst: 100, code: "ThrottlingException" }
      : { group: "write", perSecond: 20, burst: 40, code: "ThrottlingException" };
  }
  if (api === "cloudtrail") {
    // Per API, per account and region: LookupEvents 2/s, other reads 10/s, everything else 1/s.
    if (operation === "LookupEvents") return { group: operation, perSecond: 2, burst: 2, code: "ThrottlingException" };
    return isRead(operation)
      ? { group: operation, perSecond: 10, burst: 10, code: "ThrottlingException" }
      : { group: operation, perSecond: 1, burst: 1, code: "ThrottlingException" };
  }
  // APIs without published rates (STS, IAM) are not throttled.
  return undefined;
}

/** `--throttle`: off, on (AWS's rates), or on with every rate multiplied by a factor. */
export function parseThrottle(value: string): number {
  const v = value.trim().toLowerCase();
  if (v === "off" || v === "false" || v === "0") return 0;
  if (v === "on" || v === "true" || v === "") return 1;
  const scale = Number(v);
  if (!Number.isFinite(scale) || scale <= 0) throw new Error(`--throttle must be on, off or a positive scale factor, not '${value}'`);
  return scale;
}

/**
 * Request-rate limiting per account and region, checked once a call is authenticated and before anything
 * else: a throttled call costs nothing and is not recorded in CloudTrail.
 * `scale` 0 turns AWS's rates off; the discovery rates set in Limits (CAIRN_LIMIT_DISCOVER_*) apply regardless.
 */
export class Throttle {
  private readonly buckets = new TokenBuckets();
  private readonly rules = new Map<string, RateRule | undefined>();

  constructor(
    private readonly scale: number,
    private readonly limits: Limits,
  ) {}

  /** The error to answer when `accountId` has called `api`'s `operation` too often in `region`; else undefined. */
  check(api: ApiDef, operation: string, accountId: string, region: string, nowMs: number): ServiceError | undefined {
    const rule = this.rule(api.signingName, operation);
    if (!rule) return undefined;
    if (this.buckets.take(`${accountId}/${region}/${api.signingName}/${rule.group}`, rule.perSecond, rule.burst, nowMs)) return undefined;
    return rule.code === "RequestLimitExceeded"
      ? sdErrors.RequestLimitExceeded(`Rate exceeded for ${operation}.`)
      : commonErrors.ThrottlingException("Rate exceeded");
  }

  private rule(api: string, operation: string): RateRule | undefined {
    const key = `${api}.${operation}`;
    if (this.rules.has(key)) return this.rules.get(key);
    const rule = this.build(api, operation);
    this.rules.set(key, rule);
    return rule;
  }

  private build(api: string, operation: string): RateRule | undefined {
    const configured = api === "servicediscovery" ? this.configuredDiscovery(operation) : undefined;
    if (configured) return configured;
    const aws = this.scale > 0 ? awsRule(api, operation) : undefined;
    if (!aws) return undefined;
    const perSecond = aws.perSecond * this.scale;
    return { ...aws, perSecond, burst: Math.max(1, aws.burst * this.scale) };
  }

  /** The operator's own discovery rates (CAIRN_LIMIT_DISCOVER_INSTANCES_*), unscaled. */
  private configuredDiscovery(operation: string): RateRule | undefined {
    const { limits } = this;
    if (operation === "DiscoverInstances" && limits.discoverInstancesPerSecond > 0) {
      return { group: operation, perSecond: limits.discoverInstancesPerSecond, burst: limits.discoverInstancesBurst, code: "RequestLimitExceeded" };
    }
    if (operation === "DiscoverInstancesRevision" && limits.discoverInstancesRevisionPerSecond > 0) {
      const { discoverInstancesRevisionPerSecond: perSecond, discoverInstancesRevisionBurst: burst } = limits;
      return { group: operation, perSecond, burst, code: "RequestLimitExceeded" };
    }
    return undefined;
  }
}
