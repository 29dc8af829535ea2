/**
 * Which instances DiscoverInstances returns (pure, so every filter is unit-tested):
 *
 * 1. QueryParameters: keep instances having every given attribute with exactly that value.
 * 2. Health (only for services with a health check; otherwise the filter is ignored): HEALTHY (the
 *    default), UNHEALTHY, ALL, or HEALTHY_OR_ELSE_ALL (the healthy ones, or all of step 1 if none is).
 * 3. OptionalParameters: if some remaining instances have all of them, keep only those; else ignore them.
 * 4. Shuffle (AWS returns a random order to spread load) and keep at most MaxResults (default 100).
 *
 * Health is applied before the optional parameters so that a preference never wins over health: with
 * no healthy instance matching the preference, healthy ones elsewhere are returned.
 */
import type { HealthStatus } from "../../store/records.js";

export interface Discoverable {
  readonly attributes: Readonly<Record<string, string>>;
  readonly health: HealthStatus;
}

export interface DiscoverQuery {
  healthStatus?: "HEALTHY" | "UNHEALTHY" | "ALL" | "HEALTHY_OR_ELSE_ALL";
  queryParameters?: Record<string, string>;
  optionalParameters?: Record<string, string>;
  maxResults?: number;
}

export const DEFAULT_DISCOVER_MAX_RESULTS = 100;

const hasOwn = Object.prototype.hasOwnProperty;

function matcher(params: Record<string, string> | undefined): ((attributes: Readonly<Record<string, string>>) => boolean) | undefined {
  if (!params) return undefined;
  const keys = Object.keys(params);
  if (keys.length === 0) return undefined;
  return (attributes) => {
    for (const key of keys) {
      if (!hasOwn.call(attributes, key) || attributes[key] !== params[key]) return false;
    }
    return true;
  };
}

export type HealthPool = "ALL" | "HEALTHY" | "UNHEALTHY";

/** Which instances the health filter keeps; `anyHealthy` is asked only for HEALTHY_OR_ELSE_ALL. */
export function healthPool(healthChecked: boolean, filter: DiscoverQuery["healthStatus"], anyHealthy: () => boolean): HealthPool {
  if (!healthChecked) return "ALL";
  switch (filter ?? "HEALTHY") {
    case "HEALTHY":
      return "HEALTHY";
    case "UNHEALTHY":
      return "UNHEALTHY";
    case "ALL":
      return "ALL";
    case "HEALTHY_OR_ELSE_ALL":
      return anyHealthy() ? "HEALTHY" : "ALL";
  }
}

export function selectInstances<T extends Discoverable>(
  instances: readonly T[],
  healthChecked: boolean,
  query: DiscoverQuery,
  random: () => number = Math.random,
): T[] {
  let pool: readonly T[] = instances;
  const required = matcher(query.queryParameters);
  if (required) pool = pool.filter((i) => required(i.attributes));

  const candidates = pool;
  const keep = healthPool(healthChecked, query.healthStatus, () => candidates.some((i) => i.health === "HEALTHY"));
  if (keep !== "ALL") pool = pool.filter((i) => i.health === keep);

  const preferred = matcher(query.optionalParameters);
  if (preferred) {
    const matching = pool.filter((i) => preferred(i.attributes));
    if (matching.length > 0) pool = matching;
  }

  const out = pool === instances ? instances.slice() : (pool as T[]);
  return shuffleFirst(out, query.maxResults ?? DEFAULT_DISCOVER_MAX_RESULTS, random);
}

/** Partial Fisher-Yates in place: shuffles only the first `max` places, then cuts the array there. */
export function shuffleFirst<T>(out: T[], max: number, random: () => number): T[] {
  const take = Math.min(out.length, max);
  for (let i = 0; i < take; i++) {
    const j = i + Math.floor(random() * (out.length - i));
    const swap = out[i]!;
    out[i] = out[j]!;
    out[j] = swap;
  }
  out.length = take;
  return out;
}
