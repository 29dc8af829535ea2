import { createHash, verify } from "node:crypto";
import { gunzipSync } from "node:zlib";
import type { BucketSink } from "./sink.js";
import { isoSeconds } from "../protocol/timestamps.js";
import { digestFolder } from "./keys.js";
import { digestSigningString } from "./digest.js";

/** What validation needs from CloudTrail: the trail's bucket and the region's public keys. */
export interface ValidationSource {
  trailBucket(arn: string): Promise<{ bucket: string; prefix?: string }>;
  /** PKCS#1 DER public keys by fingerprint, valid in [start, end]. */
  publicKeys(region: string, start: Date, end: Date): Promise<Map<string, Buffer>>;
}

export interface ValidationRequest {
  trailArn: string;
  start: Date;
  end: Date;
  /** Region whose digests are validated (default: the trail's home region). */
  region?: string;
  bucket?: string;
  prefix?: string;
}

export interface ValidationOutput {
  /** Verbose lines (valid files, headers, summary). */
  out(line: string): void;
  /** Problems (invalid or missing files, gaps). */
  err(line: string): void;
}

const ARN = /^arn:[^:]+:cloudtrail:([^:]+):(\d{12}):trail\/(.+)$/;
const REQUIRED = ["digestPublicKeyFingerprint", "digestS3Bucket", "digestS3Object", "previousDigestSignature", "digestEndTime", "digestStartTime"];
const HOUR = 3_600_000;

interface Digest {
  digestStartTime: string;
  digestEndTime: string;
  digestS3Bucket: string;
  digestS3Object: string;
  digestPublicKeyFingerprint: string;
  previousDigestS3Bucket: string | null;
  previousDigestS3Object: string | null;
  previousDigestSignature: string | null;
  logFiles: { s3Bucket: string; s3Object: string; hashValue: string }[];
}

class InvalidDigest extends Error {}

/** The digest key's 16-character timestamp `YYYYMMDDTHHMMSSZ` as epoch ms. */
function keyTime(key: string): number {
  const ts = key.replace(/(_backfill)?\.json\.gz$/, "").slice(-16);
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(ts);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : Number.NaN;
}

function stamp(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Validates a trail's digest chain and log files the way `aws cloudtrail validate-logs` does (and says
 * what it says): newest digest first, following `previousDigest*`, each digest checked for place and
 * signature, each log file of a valid digest checked against its hash. Returns true when everything is valid.
 */
export async function validateLogs(req: ValidationRequest, source: ValidationSource, sink: BucketSink, output: ValidationOutput): Promise<boolean> {
  const m = ARN.exec(req.trailArn);
  if (!m) throw new Error(`Invalid trail ARN provided: ${req.trailArn}`);
  const [, homeRegion, accountId, trailName] = m as unknown as [string, string, string, string];
  const region = req.region ?? homeRegion;
  const startMs = req.start.getTime();
  const endMs = req.end.getTime();
  const located = req.bucket ? { bucket: req.bucket, prefix: req.prefix } : await source.trailBucket(req.trailArn);
  const prefix = located.prefix || undefined;
  let bucket = located.bucket;

  output.out(`Validating log files for trail ${req.trailArn} between ${isoSeconds(startMs)} and ${isoSeconds(endMs)}`);
  output.out("");

  const keys = await source.publicKeys(region, req.start, new Date(endMs + 2 * HOUR));
  if (keys.size === 0) throw new Error(`No public keys found between ${isoSeconds(startMs)} and ${isoSeconds(endMs + 2 * HOUR)}`);

  const folder = digestFolder(prefix, accountId, region);
  const pattern = new RegExp(
    `^${escapeRegExp(folder)}/\\d+/\\d+/\\d+/${accountId}_CloudTrail-Digest_${escapeRegExp(region)}_${escapeRegExp(trailName)}_${escapeRegExp(homeRegion)}_.+\\.json\\.gz$`,
  );
  const marker = (ms: number) => {
    const iso = new Date(ms).toISOString();
    return `${folder}/${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}/${accountId}_CloudTrail-Digest_${region}_${trailName}_${homeRegion}_${stamp(ms)}.json.gz`;
  };
  const listing = async (b: string) =>
    (await sink.list(b, folder, marker(startMs - 60_000)))
      .filter((k) => pattern.test(k) && !k.endsWith("_backfill.json.gz"))
      .filter((k) => keyTime(k) >= startMs && keyTime(k) <= endMs + HOUR);
  let candidates = await listing(bucket);

  let digests = 0;
  let validDigests = 0;
  let logFiles = 0;
  let validLogFiles = 0;
  let oldestStart: string | undefined;
  let newestEnd: string | undefined;

  const fail = (kind: string, b: string, key: string, reason: string) => output.err(`${kind} file\ts3://${b}/${key}\tINVALID: ${reason}`);

  let current = candidates.pop();
  let newerDigest: Digest | undefined;
  while (current !== undefined) {
    digests += 1;
    const key = current;
    current = undefined;
    let digest: Digest;
    try {
      const object = await sink.get(bucket, key);
      if (!object) throw new InvalidDigest("not found");
      let raw: Buffer;
      try {
        raw = gunzipSync(object.body);
        digest = JSON.parse(raw.toString("utf8")) as Digest;
      } catch {
        throw new InvalidDigest("invalid format");
      }
      const signature = object.metadata.signature;
      if (!signature || !object.metadata["signature-algorithm"]) throw new InvalidDigest("signature verification failed");
      if (REQUIRED.some((f) => !(f in digest))) throw new InvalidDigest("invalid format");
      if (digest.digestS3Bucket !== bucket || digest.digestS3Object !== key) throw new InvalidDigest("has been moved from its original location");
      const publicKey = keys.get(digest.digestPublicKeyFingerprint);
      if (!publicKey) throw new InvalidDigest(`public key not found in region ${homeRegion} for fingerprint ${digest.digestPublicKeyFingerprint}`);
      const data = digestSigningString({
        digestEndTime: digest.digestEndTime,
        bucket: digest.digestS3Bucket,
        key: digest.digestS3Object,
        hashHex: createHash("sha256").update(raw).digest("hex"),
        previousSignature: digest.previousDigestSignature,
      });
      if (!verify("sha256", Buffer.from(data, "utf8"), { key: publicKey, format: "der", type: "pkcs1" }, Buffer.from(signature, "hex"))) {
        throw new InvalidDigest("signature verification failed");
      }
    } catch (error) {
      if (!(error instanceof InvalidDigest)) throw error;
      fail("Digest", bucket, key, error.message);
      current = candidates.pop();
      continue;
    }
    validDigests += 1;
    output.out(`Digest file\ts3://${bucket}/${key}\tvalid`);
    if (newerDigest && !newerDigest.previousDigestS3Object && newerDigest.digestStartTime !== digest.digestEndTime) {
      output.err(`No log files were delivered by CloudTrail between ${digest.digestEndTime} and ${newerDigest.digestStartTime}`);
    }
    oldestStart = digest.digestStartTime;
    newestEnd ??= digest.digestEndTime;

    for (const file of digest.logFiles ?? []) {
      logFiles += 1;
      const object = await sink.get(file.s3Bucket, file.s3Object);
      if (!object) {
        fail("Log", file.s3Bucket, file.s3Object, "not found");
        continue;
      }
      let hash: string;
      try {
        hash = createHash("sha256").update(gunzipSync(object.body)).digest("hex");
      } catch {
        fail("Log", file.s3Bucket, file.s3Object, "invalid format");
        continue;
      }
      if (hash !== file.hashValue) {
        fail("Log", file.s3Bucket, file.s3Object, "hash value doesn't match");
        continue;
      }
      validLogFiles += 1;
      output.out(`Log file\ts3://${file.s3Bucket}/${file.s3Object}\tvalid`);
    }

    if (Date.parse(digest.digestStartTime) < startMs) break;
    newerDigest = digest;
    if (digest.previousDigestS3Bucket && digest.previousDigestS3Object) {
      if (digest.previousDigestS3Bucket !== bucket) {
        bucket = digest.previousDigestS3Bucket;
        candidates = await listing(bucket);
      }
      current = digest.previousDigestS3Object;
      candidates = candidates.filter((k) => k !== current);
    } else {
      current = candidates.pop();
    }
  }

  output.out("");
  output.out(`Results requested for ${isoSeconds(startMs)} to ${isoSeconds(endMs)}`);
  if (digests === 0) {
    output.out("No digests found");
    return true;
  }
  output.out(`Results found for ${oldestStart ?? isoSeconds(startMs)} to ${newestEnd ?? isoSeconds(endMs)}:`);
  output.out("");
  const summary = (n: number, total: number, what: string) => `${n}/${total} ${what} files valid${n < total ? `, ${total - n}/${total} ${what} files INVALID` : ""}`;
  output.out(summary(validDigests, digests, "digest"));
  output.out(summary(validLogFiles, logFiles, "log"));
  return validDigests === digests && validLogFiles === logFiles;
}
