import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** How a call ended, for the requests counter: AWS's split between caller faults and server faults. */
export type RequestOutcome = "success" | "client_error" | "throttled" | "server_error";

export function outcomeOf(status: number, errorCode: string | undefined): RequestOutcome {
  if (status < 400) return "success";
  if (errorCode === "ThrottlingException" || errorCode === "RequestLimitExceeded") return "throttled";
  return status >= 500 ? "server_error" : "client_error";
}

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Every number Cairn exposes at `GET /_cairn/metrics`, in one registry of its own (so embedding Cairn, or
 * starting two servers in one process, never mixes counters). Each feature feeds it through one small typed
 * method; the metric names are listed in the README.
 */
export class Metrics {
  readonly registry = new Registry();

  private readonly requests = new Counter({
    name: "cairn_requests_total",
    help: "API requests answered, by API, operation and outcome (success, client_error, throttled, server_error).",
    labelNames: ["api", "operation", "outcome", "code"] as const,
    registers: [this.registry],
  });

  private readonly requestSeconds = new Histogram({
    name: "cairn_request_duration_seconds",
    help: "Time from the request's arrival to its answer, by API and operation.",
    labelNames: ["api", "operation"] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  private readonly events = new Counter({
    name: "cairn_events_recorded_total",
    help: "CloudTrail events committed to the store.",
    registers: [this.registry],
  });

  private readonly transactionSeconds = new Histogram({
    name: "cairn_store_transaction_duration_seconds",
    help: "Store transactions, from begin to commit or rollback, by result.",
    labelNames: ["result"] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  private readonly deliveryLag = new Gauge({
    name: "cairn_trail_delivery_lag_seconds",
    help: "Age of the oldest event not yet delivered by a trail when its last delivery ran.",
    labelNames: ["trail"] as const,
    registers: [this.registry],
  });

  private readonly filesDelivered = new Counter({
    name: "cairn_trail_files_delivered_total",
    help: "Trail files written to their bucket, by kind (log, digest).",
    labelNames: ["kind"] as const,
    registers: [this.registry],
  });

  private readonly deliveryErrors = new Counter({
    name: "cairn_trail_delivery_errors_total",
    help: "Trail deliveries that failed, by kind (log, digest).",
    labelNames: ["kind"] as const,
    registers: [this.registry],
  });

  private readonly dnsQueries = new Counter({
    name: "cairn_dns_queries_total",
    help: "DNS queries answered, by query type and response code.",
    labelNames: ["qtype", "rcode"] as const,
    registers: [this.registry],
  });

  private readonly dnsRateLimitedAnswers = new Counter({
    name: "cairn_dns_rate_limited_total",
    help: "UDP answers held back by response rate limiting, by action (slip: sent truncated, drop: not sent).",
    labelNames: ["action"] as const,
    registers: [this.registry],
  });

  private readonly dnsTcpClosedConnections = new Counter({
    name: "cairn_dns_tcp_connections_closed_total",
    help: "DNS-over-TCP connections closed by Cairn, by reason (idle, limit).",
    labelNames: ["reason"] as const,
    registers: [this.registry],
  });

  private readonly healthResults = new Counter({
    name: "cairn_health_check_results_total",
    help: "Health-check probes, by result (healthy, unhealthy).",
    labelNames: ["result"] as const,
    registers: [this.registry],
  });

  private readonly healthTransitions = new Counter({
    name: "cairn_health_transitions_total",
    help: "Instance health status changes, by new status.",
    labelNames: ["to"] as const,
    registers: [this.registry],
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: "cairn_" });
  }

  /** One answered API request. `api` is the signing name (`servicediscovery`), `code` the error code or "". */
  private readonly eventBusDeliveries = new Counter({
    name: "cairn_eventbridge_deliveries_total",
    help: "Event bus deliveries per rule and target, by outcome (matched, delivered, failed, retried, dropped).",
    labelNames: ["rule", "target", "outcome"] as const,
    registers: [this.registry],
  });

  private readonly eventBusLatency = new Histogram({
    name: "cairn_eventbridge_delivery_latency_seconds",
    help: "Time from an event's matching to its successful delivery, per rule and target.",
    labelNames: ["rule", "target"] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  request(api: string, operation: string, status: number, errorCode: string | undefined, seconds: number): void {
    this.requests.inc({ api, operation, outcome: outcomeOf(status, errorCode), code: errorCode ?? "" });
    this.requestSeconds.observe({ api, operation }, seconds);
  }

  eventsRecorded(count: number): void {
    this.events.inc(count);
  }

  storeTransaction(seconds: number, result: "commit" | "rollback"): void {
    this.transactionSeconds.observe({ result }, seconds);
  }

  trailDeliveryLag(trailArn: string, seconds: number): void {
    this.deliveryLag.set({ trail: trailArn }, seconds);
  }

  trailFileDelivered(kind: "log" | "digest", files = 1): void {
    this.filesDelivered.inc({ kind }, files);
  }

  trailDeliveryError(kind: "log" | "digest"): void {
    this.deliveryErrors.inc({ kind });
  }

  dnsQuery(qtype: string, rcode: string): void {
    this.dnsQueries.inc({ qtype, rcode });
  }

  dnsRateLimited(action: "slip" | "drop"): void {
    this.dnsRateLimitedAnswers.inc({ action });
  }

  dnsTcpClosed(reason: "idle" | "limit"): void {
    this.dnsTcpClosedConnections.inc({ reason });
  }

  healthCheckResult(result: "healthy" | "unhealthy"): void {
    this.healthResults.inc({ result });
  }

  healthTransition(to: string): void {
    this.healthTransitions.inc({ to });
  }

  eventBusDelivery(rule: string, target: string, outcome: "matched" | "delivered" | "failed" | "retried" | "dropped"): void {
    this.eventBusDeliveries.inc({ rule, target, outcome });
  }

  eventBusDelivered(rule: string, target: string, seconds: number): void {
    this.eventBusDeliveries.inc({ rule, target, outcome: "delivered" });
    this.eventBusLatency.observe({ rule, target }, seconds);
  }

  /** The Prometheus text exposition of everything above. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
