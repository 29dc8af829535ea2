import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defaultConfig, limitsFromEnv, type ServerConfig } from "../config.js";
import { parseLogLevel } from "../observability/logger.js";
import { parseExtraRegions, servedRegions } from "../server/served-regions.js";
import { parseAddressList } from "../server/address-list.js";
import { parseThrottle } from "../server/throttle.js";
import { parseTrustedProxies } from "../server/trusted-proxies.js";

/** `cairn serve` flags as commander hands them over (all strings). */
export interface ServeFlags {
  host?: string;
  port?: string;
  dnsPort?: string;
  dnsRateLimit?: string;
  dnsTcpIdleTimeout?: string;
  dnsTcpConnections?: string;
  dataDir?: string;
  store?: string;
  region?: string;
  regions?: string;
  bucketsDir?: string;
  s3Endpoint?: string;
  deliveryInterval?: string;
  digestInterval?: string;
  trustedProxies?: string;
  eventRetentionDays?: string;
  healthInterval?: string;
  healthCheckTargets?: string;
  tlsCert?: string;
  tlsKey?: string;
  logLevel?: string;
  /** `--throttle` alone is `true`. */
  throttle?: string | true;
  maxConnections?: string;
  ephemeral?: boolean;
  allowReset?: boolean;
  init?: string;
}

function integer(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer from ${min} to ${max}, not '${value}'`);
  return n;
}

/** Seconds, fractions allowed (tests check every few hundred milliseconds). */
function seconds(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < min || n > max) throw new Error(`${name} must be a number of seconds from ${min} to ${max}, not '${value}'`);
  return n;
}

/** A yes/no environment variable: `true`/`1` or `false`/`0` (unset is no). */
function flag(value: string | undefined, name: string): boolean {
  if (value === undefined || value === "" || value === "false" || value === "0") return false;
  if (value === "true" || value === "1") return true;
  throw new Error(`${name} must be true, false, 1 or 0, not '${value}'`);
}

/** Flags win over environment variables, which win over the embedded defaults. */
export function serveConfig(flags: ServeFlags, env: NodeJS.ProcessEnv): ServerConfig {
  const pick = (flag: string | undefined, envName: string): string | undefined => flag ?? (env[envName] || undefined);
  const ephemeral = flags.ephemeral === true || flag(env.CAIRN_EPHEMERAL, "CAIRN_EPHEMERAL");
  const chosenDataDir = pick(flags.dataDir, "CAIRN_DATA_DIR");
  if (ephemeral && chosenDataDir !== undefined) throw new Error("--ephemeral and --data-dir exclude each other");
  // Made here, once, so that the store and buckets defaults below follow it.
  const dataDir = ephemeral ? fs.mkdtempSync(path.join(os.tmpdir(), "cairn-ephemeral-")) : path.resolve(chosenDataDir ?? "./cairn-data");
  const base = defaultConfig({ dataDir });
  const port = pick(flags.port, "CAIRN_PORT");
  const dnsPort = pick(flags.dnsPort, "CAIRN_DNS_PORT");
  const dnsRateLimit = pick(flags.dnsRateLimit, "CAIRN_DNS_RATE_LIMIT");
  const dnsTcpIdle = pick(flags.dnsTcpIdleTimeout, "CAIRN_DNS_TCP_IDLE_TIMEOUT");
  const dnsTcpConnections = pick(flags.dnsTcpConnections, "CAIRN_DNS_TCP_CONNECTIONS");
  const delivery = pick(flags.deliveryInterval, "CAIRN_DELIVERY_INTERVAL");
  const digest = pick(flags.digestInterval, "CAIRN_DIGEST_INTERVAL");
  const bucketsDir = pick(flags.bucketsDir, "CAIRN_BUCKETS_DIR");
  const accountId = env.CAIRN_ACCOUNT_ID || undefined;
  if (accountId !== undefined && !/^\d{12}$/.test(accountId)) throw new Error("CAIRN_ACCOUNT_ID must be 12 digits");
  const accessKeyId = env.CAIRN_ROOT_ACCESS_KEY_ID || undefined;
  if (accessKeyId !== undefined && !/^[A-Z0-9]{16,128}$/.test(accessKeyId)) {
    throw new Error("CAIRN_ROOT_ACCESS_KEY_ID must be 16 to 128 upper-case letters and digits");
  }
  const trustedProxies = pick(flags.trustedProxies, "CAIRN_TRUSTED_PROXIES");
  const retentionDays = pick(flags.eventRetentionDays, "CAIRN_EVENT_RETENTION_DAYS");
  const healthInterval = pick(flags.healthInterval, "CAIRN_HEALTH_INTERVAL");
  const healthCheckTargets = pick(flags.healthCheckTargets, "CAIRN_HEALTH_CHECK_TARGETS");
  const secretAccessKey = env.CAIRN_ROOT_SECRET_ACCESS_KEY || undefined;
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw new Error("set CAIRN_ROOT_ACCESS_KEY_ID and CAIRN_ROOT_SECRET_ACCESS_KEY together");
  }
  if (secretAccessKey !== undefined && secretAccessKey.length < 16) throw new Error("CAIRN_ROOT_SECRET_ACCESS_KEY must be at least 16 characters");
  const tlsCert = pick(flags.tlsCert, "CAIRN_TLS_CERT");
  const tlsKey = pick(flags.tlsKey, "CAIRN_TLS_KEY");
  if ((tlsCert === undefined) !== (tlsKey === undefined)) throw new Error("--tls-cert and --tls-key go together");
  const logLevel = pick(flags.logLevel, "CAIRN_LOG_LEVEL");
  const throttle = flags.throttle === true ? "on" : pick(flags.throttle, "CAIRN_THROTTLE");
  const maxConnections = pick(flags.maxConnections, "CAIRN_MAX_CONNECTIONS");
  const regions = parseExtraRegions(pick(flags.regions, "CAIRN_REGIONS") ?? "");
  const region = pick(flags.region, "CAIRN_REGION") ?? base.region;
  if (!servedRegions(regions).includes(region)) throw new Error(`--region ${region} is not a served region (add it with --regions)`);
  return {
    ...base,
    ephemeral,
    initFile: flags.init === undefined && !env.CAIRN_INIT ? undefined : path.resolve((flags.init ?? env.CAIRN_INIT)!),
    allowReset: flags.allowReset === true || flag(env.CAIRN_ALLOW_RESET, "CAIRN_ALLOW_RESET"),
    tls: tlsCert === undefined || tlsKey === undefined ? undefined : { certFile: path.resolve(tlsCert), keyFile: path.resolve(tlsKey) },
    logLevel: logLevel === undefined ? base.logLevel : parseLogLevel(logLevel),
    throttleScale: throttle === undefined ? base.throttleScale : parseThrottle(throttle),
    maxConnections: maxConnections === undefined ? base.maxConnections : integer("--max-connections", maxConnections, 1, 1_000_000),
    host: pick(flags.host, "CAIRN_HOST") ?? base.host,
    port: port === undefined ? base.port : integer("--port", port, 0, 65535),
    dnsPort: dnsPort === undefined ? base.dnsPort : integer("--dns-port", dnsPort, 0, 65535),
    dnsRateLimit: dnsRateLimit === undefined ? base.dnsRateLimit : integer("--dns-rate-limit", dnsRateLimit, 0, 1_000_000),
    dnsTcpIdleTimeoutSeconds:
      dnsTcpIdle === undefined ? base.dnsTcpIdleTimeoutSeconds : seconds("--dns-tcp-idle-timeout", dnsTcpIdle, 0.1, 3600),
    dnsTcpConnections: dnsTcpConnections === undefined ? base.dnsTcpConnections : integer("--dns-tcp-connections", dnsTcpConnections, 1, 1_000_000),
    store: pick(flags.store, "CAIRN_STORE") ?? base.store,
    region,
    regions,
    bucketsDir: bucketsDir === undefined ? base.bucketsDir : path.resolve(bucketsDir),
    s3Endpoint: pick(flags.s3Endpoint, "CAIRN_S3_ENDPOINT"),
    deliveryIntervalSeconds: delivery === undefined ? base.deliveryIntervalSeconds : integer("--delivery-interval", delivery, 1, 86400),
    digestIntervalSeconds: digest === undefined ? base.digestIntervalSeconds : integer("--digest-interval", digest, 1, 86400),
    bootstrap: { accountId, accessKeyId, secretAccessKey },
    limits: limitsFromEnv(env, base.limits),
    trustedProxies: trustedProxies === undefined ? base.trustedProxies : parseTrustedProxies(trustedProxies),
    eventRetentionDays:
      retentionDays === undefined ? base.eventRetentionDays : integer("CAIRN_EVENT_RETENTION_DAYS", retentionDays, 1, 36500),
    healthIntervalSeconds:
      healthInterval === undefined ? base.healthIntervalSeconds : seconds("--health-interval", healthInterval, 0.1, 86400),
    healthCheckTargets: healthCheckTargets === undefined ? base.healthCheckTargets : parseAddressList(healthCheckTargets, "--health-check-targets"),
  };
}
