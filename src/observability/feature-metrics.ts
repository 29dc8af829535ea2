import type { DnsObserver } from "../dns/observer.js";
import type { HealthObserver } from "../health/observer.js";
import type { Metrics } from "./metrics.js";

/** DNS answers counted by question type and response code. */
export function dnsMetrics(metrics: Metrics): DnsObserver {
  return { answered: (_transport, reply) => metrics.dnsQuery(reply.qtype || "none", reply.rcode) };
}

/** Health-check results and status transitions. */
export function healthMetrics(metrics: Metrics): HealthObserver {
  return {
    checked: (result) => metrics.healthCheckResult(result.healthy ? "healthy" : "unhealthy"),
    transitioned: (change) => metrics.healthTransition(change.to),
  };
}
