import type { DeliveryObserver } from "../delivery/worker.js";
import type { DnsObserver } from "../dns/observer.js";
import type { EventDeliveryObserver } from "../event-delivery/worker.js";
import type { HealthObserver } from "../health/observer.js";
import type { Logger } from "./logger.js";
import type { Metrics } from "./metrics.js";

/** DNS answers counted by question type and response code; rate-limited answers and closed TCP connections. */
export function dnsMetrics(metrics: Metrics): DnsObserver {
  return {
    answered: (_transport, reply) => metrics.dnsQuery(reply.qtype || "none", reply.rcode),
    rateLimited: (action) => metrics.dnsRateLimited(action),
    tcpClosed: (reason) => metrics.dnsTcpClosed(reason),
  };
}

/** Health-check results and status transitions. */
export function healthMetrics(metrics: Metrics): HealthObserver {
  return {
    checked: (result) => metrics.healthCheckResult(result.healthy ? "healthy" : "unhealthy"),
    transitioned: (change) => metrics.healthTransition(change.to),
  };
}

/** Trail deliveries and digests: counted, their lag measured, and each one logged. */
export function deliveryObserver(metrics: Metrics, logger: Logger): DeliveryObserver {
  return {
    logFilesDelivered(e) {
      metrics.trailDeliveryLag(e.trailArn, e.lagMs / 1000);
      metrics.trailFileDelivered("log", e.files);
      logger.info("delivered log files", { trailArn: e.trailArn, region: e.region, files: e.files, events: e.events, bytes: e.bytes, lagMs: e.lagMs });
    },
    deliveryFailed(e) {
      metrics.trailDeliveryError("log");
      logger.warn("log file delivery failed", { trailArn: e.trailArn, errorCode: e.code });
    },
    digestDelivered(e) {
      metrics.trailFileDelivered("digest");
      logger.info("delivered digest file", { trailArn: e.trailArn, region: e.region, logFiles: e.logFiles });
    },
    digestFailed(e) {
      metrics.trailDeliveryError("digest");
      logger.warn("digest delivery failed", { trailArn: e.trailArn, region: e.region, errorCode: e.code });
    },
  };
}

/** Event bus deliveries per rule and target: counted, timed, and every failure logged as a JSON line. */
export function eventBusObserver(metrics: Metrics, logger: Logger): EventDeliveryObserver & { matched(e: { ruleArn: string; targetId: string }): void } {
  return {
    matched: (e) => metrics.eventBusDelivery(e.ruleArn, e.targetId, "matched"),
    delivered: (e) => metrics.eventBusDelivered(e.ruleArn, e.targetId, e.latencyMs / 1000),
    failed(e) {
      metrics.eventBusDelivery(e.ruleArn, e.targetId, "failed");
      if (e.willRetry) metrics.eventBusDelivery(e.ruleArn, e.targetId, "retried");
      logger.warn("event delivery failed", { ruleArn: e.ruleArn, targetId: e.targetId, eventId: e.eventId, attempt: e.attempt, reason: e.reason, willRetry: e.willRetry });
    },
    dropped(e) {
      metrics.eventBusDelivery(e.ruleArn, e.targetId, "dropped");
      logger.warn("event dropped", { ruleArn: e.ruleArn, targetId: e.targetId, eventId: e.eventId, attempts: e.attempts, reason: e.reason });
    },
  };
}
