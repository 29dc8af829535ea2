import { describe, test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { gunzipSync } from "node:zlib";
import { CreateTrailCommand, StartLoggingCommand, StopLoggingCommand } from "@aws-sdk/client-cloudtrail";
import { GetObjectCommand, ListObjectsCommand, S3Client } from "@aws-sdk/client-s3";
import { CreateHttpNamespaceCommand, ListNamespacesCommand } from "@aws-sdk/client-servicediscovery";
import { startCairn, testAccount, type CairnProcess } from "../support/cairn-process.js";
import { cloudMap } from "../support/clients.js";
import { cloudTrail } from "../support/cloudtrail.js";
import { expectError, uniqueName } from "../support/cloudmap.js";
import { s3ServerAvailable, startS3Server, type S3Server } from "../support/s3-server.js";
import { eventually, runValidateLogs, type DeliveredRecord } from "../support/trails.js";

const BUCKET = "audit-s3";

/** The AWS CLI, when installed and recent enough for AWS_ENDPOINT_URL_S3 (v1 ≥ 1.29, v2 ≥ 2.13); else why not. */
function awsCli(): { ok: true } | { ok: false; why: string } {
  const run = spawnSync("aws", ["--version"], { encoding: "utf8" });
  if (run.error || run.status !== 0) return { ok: false, why: "the AWS CLI is not installed" };
  const m = /aws-cli\/(\d+)\.(\d+)/.exec(run.stdout + run.stderr);
  if (!m) return { ok: false, why: `unrecognised AWS CLI version: ${run.stdout}` };
  const [major, minor] = [Number(m[1]), Number(m[2])];
  const recent = major === 1 ? minor >= 29 : major === 2 ? minor >= 13 : major > 2;
  return recent ? { ok: true } : { ok: false, why: `aws-cli/${major}.${minor} predates AWS_ENDPOINT_URL_S3 (needs 1.29+ or 2.13+)` };
}

async function objects(s3: S3Client, prefix: string): Promise<string[]> {
  const out = await s3.send(new ListObjectsCommand({ Bucket: BUCKET, Prefix: prefix }));
  return (out.Contents ?? []).map((o) => o.Key!).sort();
}

async function records(s3: S3Client, keys: string[]): Promise<DeliveredRecord[]> {
  const all: DeliveredRecord[] = [];
  for (const Key of keys) {
    const body = await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key }))).Body!.transformToByteArray();
    all.push(...(JSON.parse(gunzipSync(body).toString()) as { Records: DeliveredRecord[] }).Records);
  }
  return all;
}

async function setUp(t: TestContext): Promise<{ cairn: CairnProcess; s3server: S3Server; s3: S3Client }> {
  const account = testAccount();
  const s3server = await startS3Server(account.credentials.accessKeyId, [BUCKET]);
  t.after(() => s3server.stop());
  // Cairn reaches the S3 server with the standard AWS credential variables.
  const cairn = await startCairn({
    spawn: true,
    account,
    args: ["--delivery-interval", "1", "--digest-interval", "1", "--s3-endpoint", s3server.endpoint],
    env: { AWS_ACCESS_KEY_ID: account.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: account.credentials.secretAccessKey, AWS_REGION: "us-east-1" },
  });
  t.after(() => cairn.kill());
  const s3 = new S3Client({
    endpoint: s3server.endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: account.credentials,
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  return { cairn, s3server, s3 };
}

describe("trail delivery to an S3-compatible server", { skip: s3ServerAvailable() ? false : "the s3rver devDependency is not installed" }, () => {
  test("delivers each event once, signs digests in S3 metadata, and validate-logs (Cairn's and the AWS CLI's) accepts them", async (t) => {
    const { cairn, s3server, s3 } = await setUp(t);
    const ct = cloudTrail(cairn);
    const sd = cloudMap(cairn);
    await expectError(ct.send(new CreateTrailCommand({ Name: "nobucket", S3BucketName: "missing-bucket" })), "S3BucketDoesNotExistException");

    const startTime = new Date(Date.now() - 60_000);
    const { TrailARN } = await ct.send(new CreateTrailCommand({ Name: "s3trail", S3BucketName: BUCKET, S3KeyPrefix: "org", EnableLogFileValidation: true }));
    const ids = [(await ct.send(new StartLoggingCommand({ Name: "s3trail" }))).$metadata.requestId!];
    for (let i = 0; i < 10; i++) {
      const out = await sd.send(new CreateHttpNamespaceCommand({ Name: uniqueName("s3") }));
      ids.push(out.$metadata.requestId!);
      ids.push((await sd.send(new ListNamespacesCommand({}))).$metadata.requestId!);
      if (i === 4) await eventually(async () => ((await objects(s3, "org/AWSLogs/")).some((k) => k.includes("/CloudTrail/")) ? true : undefined), "a first delivery");
    }
    ids.push((await ct.send(new StopLoggingCommand({ Name: "s3trail" }))).$metadata.requestId!);
    const stopId = ids[ids.length - 1]!;
    // After the stop, the last log file is listed by the chain's final digest.
    await eventually(async () => {
      const keys = await objects(s3, "org/AWSLogs/");
      const logs = keys.filter((k) => k.includes("/CloudTrail/"));
      if (!(await records(s3, logs)).some((r) => r.requestID === stopId)) return undefined;
      const listed = new Set<string>();
      for (const Key of keys.filter((k) => k.includes("/CloudTrail-Digest/"))) {
        const body = await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key }))).Body!.transformToByteArray();
        for (const f of (JSON.parse(gunzipSync(body).toString()) as { logFiles: { s3Object: string }[] }).logFiles) listed.add(f.s3Object);
      }
      return logs.every((k) => listed.has(k)) ? true : undefined;
    }, "delivery of the StopLogging call and the final digest");

    const keys = await objects(s3, "org/AWSLogs/");
    const delivered = await records(s3, keys.filter((k) => k.includes("/CloudTrail/")));
    const counts = new Map<string, number>();
    for (const r of delivered) counts.set(r.requestID, (counts.get(r.requestID) ?? 0) + 1);
    for (const id of ids) assert.equal(counts.get(id), 1, `request ${id} delivered exactly once`);
    assert.equal(counts.size, ids.length, "nothing else delivered");

    const digests = keys.filter((k) => k.includes("/CloudTrail-Digest/"));
    assert.ok(digests.length >= 1);
    for (const Key of digests) {
      const { Metadata } = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key }));
      assert.match(Metadata!.signature!, /^[0-9a-f]{512}$/);
      assert.equal(Metadata!["signature-algorithm"], "SHA256withRSA");
    }

    const ours = await runValidateLogs(cairn, ["--trail-arn", TrailARN!, "--start-time", startTime.toISOString(), "--s3-endpoint", s3server.endpoint]);
    assert.equal(ours.code, 0, ours.stdout + ours.stderr);
    assert.match(ours.stdout, new RegExp(`${digests.length}/${digests.length} digest files valid`));

    const cli = awsCli();
    if (!cli.ok) {
      t.diagnostic(`AWS CLI validate-logs not run: ${cli.why}`);
      return;
    }
    const run = spawnSync(
      "aws",
      ["cloudtrail", "validate-logs", "--trail-arn", TrailARN!, "--start-time", startTime.toISOString(), "--endpoint-url", cairn.url, "--region", "us-east-1", "--verbose"],
      {
        encoding: "utf8",
        env: {
          ...process.env,
          AWS_ACCESS_KEY_ID: cairn.credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: cairn.credentials.secretAccessKey,
          AWS_ENDPOINT_URL_S3: s3server.endpoint,
          AWS_S3_ADDRESSING_STYLE: "path",
          AWS_CONFIG_FILE: "/dev/null",
          AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
        },
        timeout: 120_000,
      },
    );
    assert.equal(run.status, 0, `aws cloudtrail validate-logs:\n${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, new RegExp(`${digests.length}/${digests.length} digest files valid`));
    assert.match(run.stdout, /log files valid/);
    t.diagnostic(`aws cloudtrail validate-logs: ${run.stdout.trim().split("\n").slice(-2).join("; ")}`);
  });
});
