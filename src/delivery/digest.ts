import { createHash, createSign, type KeyObject } from "node:crypto";
import { gzipSync } from "node:zlib";
import type { DigestLink } from "../store/trail-records.js";
import { isoSeconds } from "../protocol/timestamps.js";

export const SIGNATURE_ALGORITHM = "SHA256withRSA";

export interface DigestLogFile {
  s3Bucket: string;
  s3Object: string;
  hashValue: string;
  oldestEventTime: string;
  newestEventTime: string;
}

export interface DigestInput {
  accountId: string;
  startTime: number;
  endTime: number;
  bucket: string;
  key: string;
  fingerprint: string;
  previous?: DigestLink;
  logFiles: DigestLogFile[];
}

/** CloudTrail's digest file: every field, in AWS's order; `previousDigest*` present (null) at a chain start. */
export function digestJson(d: DigestInput): string {
  const times = d.logFiles.flatMap((f) => [f.oldestEventTime, f.newestEventTime]).sort();
  return JSON.stringify({
    awsAccountId: d.accountId,
    digestStartTime: isoSeconds(d.startTime),
    digestEndTime: isoSeconds(d.endTime),
    digestS3Bucket: d.bucket,
    digestS3Object: d.key,
    digestPublicKeyFingerprint: d.fingerprint,
    digestSignatureAlgorithm: SIGNATURE_ALGORITHM,
    newestEventTime: times.length > 0 ? times[times.length - 1] : null,
    oldestEventTime: times.length > 0 ? times[0] : null,
    previousDigestS3Bucket: d.previous?.bucket ?? null,
    previousDigestS3Object: d.previous?.key ?? null,
    previousDigestHashValue: d.previous?.hash ?? null,
    previousDigestHashAlgorithm: d.previous ? "SHA-256" : null,
    previousDigestSignature: d.previous?.signature ?? null,
    logFiles: d.logFiles.map((f) => ({
      s3Bucket: f.s3Bucket,
      s3Object: f.s3Object,
      hashValue: f.hashValue,
      hashAlgorithm: "SHA-256",
      newestEventTime: f.newestEventTime,
      oldestEventTime: f.oldestEventTime,
    })),
  });
}

/** CloudTrail's digest signing string: `{end}\n{bucket}/{key}\n{sha256 hex of the digest}\n{previous signature or null}`. */
export function digestSigningString(p: { digestEndTime: string; bucket: string; key: string; hashHex: string; previousSignature: string | null }): string {
  return `${p.digestEndTime}\n${p.bucket}/${p.key}\n${p.hashHex}\n${p.previousSignature ?? "null"}`;
}

export interface SignedDigest {
  /** gzip of the JSON; the JSON is what was hashed. */
  body: Buffer;
  hash: string;
  /** Lower-case hex RSASSA-PKCS1-v1_5/SHA-256 signature. */
  signature: string;
  /** S3 user metadata of the digest object. */
  metadata: Record<string, string>;
}

/** Hashes, signs (SHA256withRSA) and compresses one digest, the same bytes for all three. */
export function signDigest(d: DigestInput, privateKey: KeyObject): SignedDigest {
  const json = Buffer.from(digestJson(d), "utf8");
  const hash = createHash("sha256").update(json).digest("hex");
  const data = digestSigningString({
    digestEndTime: isoSeconds(d.endTime),
    bucket: d.bucket,
    key: d.key,
    hashHex: hash,
    previousSignature: d.previous?.signature ?? null,
  });
  const signature = createSign("sha256").update(data, "utf8").sign(privateKey).toString("hex");
  return { body: gzipSync(json), hash, signature, metadata: { signature, "signature-algorithm": SIGNATURE_ALGORITHM } };
}
