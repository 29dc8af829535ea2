import path from "node:path";
import type { LogLevel } from "./observability/logger.js";

/** Everything `cairn serve` can be told, after flags and environment are merged. */
export interface ServerConfig {
  host: string;
  port: number;
  dnsPort: number;
  /** UDP answers per second per client prefix (IPv4 /24, IPv6 /56); 0 turns DNS rate limiting off. */
  dnsRateLimit: number;
  /** Seconds a DNS-over-TCP connection may stay idle (or stalled) before Cairn closes it. */
  dnsTcpIdleTimeoutSeconds: number;
  /** DNS-over-TCP connections open at once; more are closed as they arrive. */
  dnsTcpConnections: number;
  dataDir: string;
  /** `sqlite:<file>` or `postgres://…`. */
  store: string;
  /** Default region; one of the served regions. */
  region: string;
  /** Regions served besides the `aws` partition's (`--regions`); a request scoped to any other region is refused. */
  regions: string[];
  bucketsDir: string;
  s3Endpoint?: string;
  deliveryIntervalSeconds: number;
  digestIntervalSeconds: number;
  /** Largest request body accepted, in bytes; larger ones get 413 before any parsing. */
  maxBodyBytes: number;
  /** SigV4 clock-skew tolerance. */
  maxSkewMinutes: number;
  /** First-start credentials chosen by the operator (else generated). */
  bootstrap: { accountId?: string; accessKeyId?: string; secretAccessKey?: string };
  limits: Limits;
  /** Proxies (IP addresses or CIDR blocks) whose X-Forwarded-For names the caller's address; none by default. */
  trustedProxies: string[];
  /** How long Event history keeps events (AWS: 90 days); older ones are purged in the background. */
  eventRetentionDays: number;
  /** Seconds between two health checks of an instance whose service has a HealthCheckConfig (Route 53: 30). */
  healthIntervalSeconds: number;
  /** Ranges health checks may reach although Route 53's rule refuses them (private, loopback, …); none by default. */
  healthCheckTargets: string[];
  /** `--ephemeral`: the data dir is a temporary one, removed when the server stops. */
  ephemeral?: boolean;
  /** `--allow-reset`: `POST /_cairn/reset` (signed by a root key) empties the store; absent otherwise. */
  allowReset?: boolean;
  /** `--init FILE`: JSON declaring what to create on start (see src/init/apply-init.ts). */
  initFile?: string;
  /** Benchmarks only (no flag): false turns CloudTrail recording off. */
  recordEvents?: boolean;
  /** PEM files: when set, every API, `/_cairn/*` and the console are served over HTTPS. */
  tls?: { certFile: string; keyFile: string };
  logLevel: LogLevel;
  /** Multiplies AWS's request rates; 0 turns AWS-shaped throttling off (the default). */
  throttleScale: number;
  /** Open connections at once; more are refused until some close. */
  maxConnections: number;
  /** Largest request header block (bytes); larger ones get 431. */
  maxHeaderBytes: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
}

/** AWS's documented Cloud Map quotas; self-hosted users may raise them. */
export interface Limits {
  namespacesPerRegion: number;
  tagsPerResource: number;
  /** Services per namespace; 0 means no limit (AWS documents none). */
  servicesPerNamespace: number;
  /** Registered instances per service (AWS: 1,000, not adjustable). */
  instancesPerService: number;
  /** Registered instances per namespace (AWS: 2,000). */
  instancesPerNamespace: number;
  /** Custom (non-`AWS_`) attributes per instance (AWS: 30). */
  customAttributesPerInstance: number;
  /** Sum of the lengths of all of an instance's attribute keys and values (AWS: 5,000 characters). */
  instanceAttributesTotalLength: number;
  /** Service attributes per service (AWS: 30). */
  serviceAttributesPerService: number;
  /** DiscoverInstances calls per second per account and region (AWS: 1,000); 0: AWS's rate under `--throttle`, else none. */
  discoverInstancesPerSecond: number;
  /** Bucket size for DiscoverInstances bursts (AWS: 2,000); 0 means one second's worth. */
  discoverInstancesBurst: number;
  /** DiscoverInstancesRevision calls per second per account and region (AWS: 3,000); 0 as for DiscoverInstances. */
  discoverInstancesRevisionPerSecond: number;
  discoverInstancesRevisionBurst: number;
  /** Shortest STS session DurationSeconds accepted (AWS: 900); lower it to watch credentials expire in tests. */
  stsMinDurationSeconds: number;
}

export const DEFAULT_LIMITS: Limits = {
  namespacesPerRegion: 50,
  tagsPerResource: 50,
  servicesPerNamespace: 0,
  instancesPerService: 1000,
  instancesPerNamespace: 2000,
  customAttributesPerInstance: 30,
  instanceAttributesTotalLength: 5000,
  serviceAttributesPerService: 30,
  // Self-hosted discovery is not rate-limited unless the operator asks for AWS's behaviour.
  discoverInstancesPerSecond: 0,
  discoverInstancesBurst: 0,
  discoverInstancesRevisionPerSecond: 0,
  discoverInstancesRevisionBurst: 0,
  stsMinDurationSeconds: 900,
};

/**
 * Each limit can be set from the environment as `CAIRN_LIMIT_<NAME>`, the name in upper snake case:
 * `CAIRN_LIMIT_INSTANCES_PER_SERVICE=5000`. Values are non-negative integers.
 */
export function limitsFromEnv(env: Record<string, string | undefined>, base: Limits = DEFAULT_LIMITS): Limits {
  const limits: Limits = { ...base };
  for (const key of Object.keys(base) as (keyof Limits)[]) {
    const name = `CAIRN_LIMIT_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
    const raw = env[name];
    if (raw === undefined || raw === "") continue;
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, not '${raw}'`);
    limits[key] = n;
  }
  return limits;
}

export function defaultConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  const dataDir = overrides.dataDir ?? "./cairn-data";
  return {
    host: "127.0.0.1",
    port: 4640,
    dnsPort: 8053,
    dnsRateLimit: 100,
    dnsTcpIdleTimeoutSeconds: 10,
    dnsTcpConnections: 256,
    store: `sqlite:${path.join(dataDir, "cairn.db")}`,
    region: "us-east-1",
    regions: [],
    bucketsDir: path.join(dataDir, "buckets"),
    deliveryIntervalSeconds: 60,
    digestIntervalSeconds: 3600,
    maxBodyBytes: 1024 * 1024,
    maxSkewMinutes: 15,
    bootstrap: {},
    limits: { ...DEFAULT_LIMITS },
    trustedProxies: [],
    eventRetentionDays: 90,
    healthIntervalSeconds: 30,
    healthCheckTargets: [],
    logLevel: "info",
    throttleScale: 0,
    maxConnections: 10_000,
    maxHeaderBytes: 16 * 1024,
    headersTimeoutMs: 20_000,
    requestTimeoutMs: 60_000,
    // Longer than the 60 s idle timeout of common load balancers, so they never reuse a closed connection.
    keepAliveTimeoutMs: 65_000,
    ...overrides,
    dataDir,
  };
}
