import path from "node:path";

/** Everything `cairn serve` can be told, after flags and environment are merged. */
export interface ServerConfig {
  host: string;
  port: number;
  dnsPort: number;
  dataDir: string;
  /** `sqlite:<file>` or `postgres://…`. */
  store: string;
  region: string;
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
}

/** AWS's documented Cloud Map quotas; self-hosted users may raise them. */
export interface Limits {
  namespacesPerRegion: number;
  tagsPerResource: number;
}

export const DEFAULT_LIMITS: Limits = {
  namespacesPerRegion: 50,
  tagsPerResource: 50,
};

export function defaultConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  const dataDir = overrides.dataDir ?? "./cairn-data";
  return {
    host: "127.0.0.1",
    port: 4640,
    dnsPort: 8053,
    store: `sqlite:${path.join(dataDir, "cairn.db")}`,
    region: "us-east-1",
    bucketsDir: path.join(dataDir, "buckets"),
    deliveryIntervalSeconds: 60,
    digestIntervalSeconds: 3600,
    maxBodyBytes: 1024 * 1024,
    maxSkewMinutes: 15,
    bootstrap: {},
    limits: { ...DEFAULT_LIMITS },
    ...overrides,
    dataDir,
  };
}
