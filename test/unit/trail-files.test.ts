import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash, createPublicKey, generateKeyPairSync, verify } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { digestJson, digestSigningString, signDigest, type DigestInput } from "../../src/delivery/digest.js";
import { digestKey, logFileKey, uniqueSuffix } from "../../src/delivery/keys.js";
import { buildLogFiles } from "../../src/delivery/log-file.js";
import { fingerprintOf } from "../../src/delivery/signing-keys.js";

const VECTOR_DIGEST =
  '{"awsAccountId":"210987654321","digestStartTime":"2025-03-04T04:00:12Z","digestEndTime":"2025-03-04T05:00:12Z","digestS3Bucket":"audit-bucket","digestS3Object":"ct/AWSLogs/210987654321/CloudTrail-Digest/us-east-1/2025/03/04/210987654321_CloudTrail-Digest_us-east-1_main-trail_us-east-1_20250304T050012Z.json.gz","digestPublicKeyFingerprint":"5f1c0a9e3b7d4c2a8e6f0b1d3c5a7e9f","digestSignatureAlgorithm":"SHA256withRSA","newestEventTime":"2025-03-04T04:52:40Z","oldestEventTime":"2025-03-04T04:41:03Z","previousDigestS3Bucket":null,"previousDigestS3Object":null,"previousDigestHashValue":null,"previousDigestHashAlgorithm":null,"previousDigestSignature":null,"logFiles":[{"s3Bucket":"audit-bucket","s3Object":"ct/AWSLogs/210987654321/CloudTrail/us-east-1/2025/03/04/210987654321_CloudTrail_us-east-1_20250304T0455Z_k3JfQ9xTb2WmZr7L.json.gz","hashValue":"d2a84f4b8b650937ec8f73cd8be2c74add5a911ba64df27458ed8229da804a26","hashAlgorithm":"SHA-256","newestEventTime":"2025-03-04T04:52:40Z","oldestEventTime":"2025-03-04T04:41:03Z"}]}';

/** A known digest (the test vector), as the signer's own input. */
const VECTOR_INPUT: DigestInput = {
  accountId: "210987654321",
  startTime: Date.parse("2025-03-04T04:00:12Z"),
  endTime: Date.parse("2025-03-04T05:00:12Z"),
  bucket: "audit-bucket",
  key: "ct/AWSLogs/210987654321/CloudTrail-Digest/us-east-1/2025/03/04/210987654321_CloudTrail-Digest_us-east-1_main-trail_us-east-1_20250304T050012Z.json.gz",
  fingerprint: "5f1c0a9e3b7d4c2a8e6f0b1d3c5a7e9f",
  logFiles: [
    {
      s3Bucket: "audit-bucket",
      s3Object: "ct/AWSLogs/210987654321/CloudTrail/us-east-1/2025/03/04/210987654321_CloudTrail_us-east-1_20250304T0455Z_k3JfQ9xTb2WmZr7L.json.gz",
      hashValue: "d2a84f4b8b650937ec8f73cd8be2c74add5a911ba64df27458ed8229da804a26",
      oldestEventTime: "2025-03-04T04:41:03Z",
      newestEventTime: "2025-03-04T04:52:40Z",
    },
  ],
};

describe("key layout and file names", () => {
  test("log file keys use the delivery minute, digest keys the end second", () => {
    const at = Date.parse("2025-03-04T04:55:31.250Z");
    assert.equal(
      logFileKey({ prefix: "ct", accountId: "210987654321", region: "us-east-1", deliveredAt: at, unique: "k3JfQ9xTb2WmZr7L" }),
      "ct/AWSLogs/210987654321/CloudTrail/us-east-1/2025/03/04/210987654321_CloudTrail_us-east-1_20250304T0455Z_k3JfQ9xTb2WmZr7L.json.gz",
    );
    assert.equal(
      logFileKey({ accountId: "210987654321", region: "eu-west-1", deliveredAt: at, unique: "AAAAAAAAAAAAAAAA" }),
      "AWSLogs/210987654321/CloudTrail/eu-west-1/2025/03/04/210987654321_CloudTrail_eu-west-1_20250304T0455Z_AAAAAAAAAAAAAAAA.json.gz",
    );
    assert.equal(
      digestKey({ prefix: "ct", accountId: "210987654321", region: "us-east-1", trailName: "main-trail", homeRegion: "us-east-1", endTime: Date.parse("2025-03-04T05:00:12Z") }),
      VECTOR_INPUT.key,
    );
  });

  test("the unique part is 16 alphanumerics, the same for the same seed", () => {
    assert.match(uniqueSuffix("trail/42"), /^[A-Za-z0-9]{16}$/);
    assert.equal(uniqueSuffix("trail/42"), uniqueSuffix("trail/42"));
    assert.notEqual(uniqueSuffix("trail/42"), uniqueSuffix("trail/43"));
  });

  test("log files are gzip {Records:[…]} of the stored records, hashed uncompressed, split at the size cap", () => {
    const events = [1, 2, 3].map((i) => ({
      seq: i,
      accountId: "210987654321",
      region: "us-east-1",
      eventTime: new Date(Date.UTC(2025, 2, 4, 4, 40 + i)),
      eventName: "GetNamespace",
      eventSource: "servicediscovery.amazonaws.com",
      readOnly: true,
      record: JSON.stringify({ eventVersion: "1.11", n: i, pad: "x".repeat(40) }),
    }));
    const batch = { accountId: "210987654321", region: "us-east-1", deliveredAt: Date.UTC(2025, 2, 4, 5), seed: "t/3" };
    const [one] = buildLogFiles(batch, events);
    const json = gunzipSync(one!.body);
    assert.equal(json.toString(), `{"Records":[${events.map((e) => e.record).join(",")}]}`);
    assert.equal(one!.hashValue, createHash("sha256").update(json).digest("hex"));
    assert.equal(one!.oldestEventTime, "2025-03-04T04:41:00Z");
    assert.equal(one!.newestEventTime, "2025-03-04T04:43:00Z");
    const split = buildLogFiles(batch, events, 180);
    assert.equal(split.length, 2);
    assert.deepEqual(split.map((f) => f.events), [2, 1]);
    assert.ok(split.every((f) => gunzipSync(f.body).length <= 180));
    assert.notEqual(split[0]!.key, split[1]!.key);
  });
});

describe("digest signing", () => {
  test("the digest JSON of the test vector is byte for byte the expected one, with its hash and signing string", () => {
    const json = digestJson(VECTOR_INPUT);
    assert.equal(json, VECTOR_DIGEST);
    assert.equal(Buffer.byteLength(json), 1029);
    const hash = createHash("sha256").update(json).digest("hex");
    assert.equal(hash, "e3f5c7a4eb47c77bcd367b0355072f840f7ae2bc794d294d01417a3814aea4e7");
    const data = digestSigningString({ digestEndTime: "2025-03-04T05:00:12Z", bucket: "audit-bucket", key: VECTOR_INPUT.key, hashHex: hash, previousSignature: null });
    assert.equal(data, `2025-03-04T05:00:12Z\naudit-bucket/${VECTOR_INPUT.key}\n${hash}\nnull`);
    assert.equal(createHash("sha256").update(data).digest("hex"), "e95be0fad7c47724ce6f0bebdb1d782f3c0e3a8158cb7804cb38150d4e54bae7");
  });

  test("a signed digest verifies with node's crypto against the PKCS#1 public key, and chains to the previous one", () => {
    const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const der = publicKey.export({ type: "pkcs1", format: "der" });
    const input = { ...VECTOR_INPUT, fingerprint: fingerprintOf(der) };
    const first = signDigest(input, privateKey);
    const raw = gunzipSync(first.body);
    assert.equal(first.hash, createHash("sha256").update(raw).digest("hex"), "the hashed bytes are the gzipped bytes");
    assert.match(first.signature, /^[0-9a-f]{512}$/);
    assert.deepEqual(first.metadata, { signature: first.signature, "signature-algorithm": "SHA256withRSA" });
    const key = createPublicKey({ key: der, format: "der", type: "pkcs1" });
    const signed = `2025-03-04T05:00:12Z\naudit-bucket/${input.key}\n${first.hash}\nnull`;
    assert.ok(verify("sha256", Buffer.from(signed), key, Buffer.from(first.signature, "hex")));
    assert.ok(!verify("sha256", Buffer.from(signed.replace("null", "nul1")), key, Buffer.from(first.signature, "hex")));

    const next = { ...input, startTime: input.endTime, endTime: input.endTime + 3_600_000, key: "k2", logFiles: [], previous: { bucket: "audit-bucket", key: input.key, hash: first.hash, signature: first.signature } };
    const second = signDigest(next, privateKey);
    const parsed = JSON.parse(gunzipSync(second.body).toString()) as Record<string, unknown>;
    assert.equal(parsed.previousDigestSignature, first.signature);
    assert.equal(parsed.previousDigestHashValue, first.hash);
    assert.equal(parsed.previousDigestHashAlgorithm, "SHA-256");
    assert.equal(parsed.newestEventTime, null, "an empty interval has null event times");
    assert.deepEqual(parsed.logFiles, []);
    const data2 = `${parsed.digestEndTime as string}\naudit-bucket/k2\n${second.hash}\n${first.signature}`;
    assert.ok(verify("sha256", Buffer.from(data2), key, Buffer.from(second.signature, "hex")));
  });

  test("the fingerprint is the MD5 of the DER key", () => {
    const der = Buffer.from("MIIBCgKCAQEA", "base64");
    assert.equal(fingerprintOf(der), createHash("md5").update(der).digest("hex"));
  });
});
