import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { CreateTrailCommand, DeleteTrailCommand, GetTrailCommand, GetTrailStatusCommand, PutEventSelectorsCommand, StartLoggingCommand, StopLoggingCommand, type CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { CreateHttpNamespaceCommand, ListNamespacesCommand, type ServiceDiscoveryClient } from "@aws-sdk/client-servicediscovery";
import { testAccount } from "../support/cairn-process.js";
import { cloudMap } from "../support/clients.js";
import { cloudTrail } from "../support/cloudtrail.js";
import { expectError, uniqueName } from "../support/cloudmap.js";
import { bucket, bucketKeys, cairnFor, countByRequest, deliveredRecords, eventually, runValidateLogs } from "../support/trails.js";

const FAST = ["--delivery-interval", "1", "--digest-interval", "1"];

async function requestIdOf(call: Promise<{ $metadata: { requestId?: string } }>): Promise<string> {
  const id = (await call).$metadata.requestId;
  assert.ok(id);
  return id;
}

/** A few Cloud Map calls, writes and reads; their request IDs. */
async function someCalls(sd: ServiceDiscoveryClient, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    ids.push(await requestIdOf(sd.send(new CreateHttpNamespaceCommand({ Name: uniqueName("d") }))));
    ids.push(await requestIdOf(sd.send(new ListNamespacesCommand({}))));
  }
  return ids;
}

/** Waits until the trail's bucket holds an event of this request. */
function deliveredEventually(dir: string, requestId: string): Promise<true> {
  return eventually(() => (countByRequest(deliveredRecords(dir)).has(requestId) ? true : undefined), `delivery of request ${requestId}`);
}

async function startedTrail(ct: CloudTrailClient, Name: string, S3BucketName: string, extra: { S3KeyPrefix?: string; EnableLogFileValidation?: boolean } = {}): Promise<{ arn: string; startRequest: string }> {
  const { TrailARN } = await ct.send(new CreateTrailCommand({ Name, S3BucketName, ...extra }));
  return { arn: TrailARN!, startRequest: await requestIdOf(ct.send(new StartLoggingCommand({ Name }))) };
}

describe("trail delivery to a folder bucket", () => {
  test("delivers exactly the events of the logging period, once each, in AWS's files; StopLogging stops it", async (t) => {
    const cairn = await cairnFor(t, { args: FAST });
    const ct = cloudTrail(cairn);
    const sd = cloudMap(cairn);
    const dir = bucket(cairn, "audit-bucket");
    const witnessDir = bucket(cairn, "witness-bucket");
    const before = await someCalls(sd, 2);
    const { startRequest } = await startedTrail(ct, "main", "audit-bucket", { S3KeyPrefix: "ct" });
    const during = await someCalls(sd, 15);
    const stopRequest = await requestIdOf(ct.send(new StopLoggingCommand({ Name: "main" })));
    const afterStop = await someCalls(sd, 3);
    // A second trail logging after the stop shows when the worker has passed those later calls.
    await startedTrail(ct, "witness", "witness-bucket");
    const late = await someCalls(sd, 1);
    await deliveredEventually(witnessDir, late[late.length - 1]!);
    await deliveredEventually(dir, stopRequest);

    const counts = countByRequest(deliveredRecords(dir));
    const expected = [startRequest, ...during, stopRequest];
    for (const id of expected) assert.equal(counts.get(id), 1, `request ${id} delivered exactly once`);
    for (const id of [...before, ...afterStop, ...late]) assert.ok(!counts.has(id), `request ${id} outside the logging period is not delivered`);
    assert.equal(counts.size, expected.length, "nothing else is delivered");

    const keys = bucketKeys(dir).filter((k) => k.includes("/CloudTrail/"));
    for (const key of keys) {
      assert.match(key, new RegExp(`^ct/AWSLogs/${cairn.accountId}/CloudTrail/us-east-1/\\d{4}/\\d{2}/\\d{2}/${cairn.accountId}_CloudTrail_us-east-1_\\d{8}T\\d{4}Z_[A-Za-z0-9]{16}\\.json\\.gz$`));
      const json = gunzipSync(fs.readFileSync(path.join(dir, key))).toString("utf8");
      assert.ok(json.startsWith('{"Records":[{"eventVersion":"1.11"'), "gzip JSON {Records:[…]} of CloudTrail records");
    }
    const status = await ct.send(new GetTrailStatusCommand({ Name: "main" }));
    assert.equal(status.IsLogging, false);
    assert.ok(status.LatestDeliveryTime && status.StartLoggingTime && status.StopLoggingTime);
    assert.ok(status.StopLoggingTime >= status.StartLoggingTime);
    assert.equal(status.LatestDeliveryError, undefined);
    assert.equal(status.LatestDigestDeliveryTime, undefined, "no digests without log file validation");
    assert.equal(await cairn.stop(), 0);
  });

  test("event selectors choose what is delivered (write-only)", async (t) => {
    const cairn = await cairnFor(t, { args: FAST });
    const ct = cloudTrail(cairn);
    const sd = cloudMap(cairn);
    const dir = bucket(cairn, "audit-bucket");
    await ct.send(new CreateTrailCommand({ Name: "writes", S3BucketName: "audit-bucket" }));
    await ct.send(new PutEventSelectorsCommand({ TrailName: "writes", EventSelectors: [{ ReadWriteType: "WriteOnly" }] }));
    await ct.send(new StartLoggingCommand({ Name: "writes" }));
    const calls = await someCalls(sd, 3);
    const stop = await requestIdOf(ct.send(new StopLoggingCommand({ Name: "writes" })));
    await deliveredEventually(dir, stop);
    const records = deliveredRecords(dir);
    assert.ok(records.length > 0);
    assert.ok(records.every((r) => r.readOnly === false), "only write events");
    const counts = countByRequest(records);
    calls.forEach((id, i) => assert.equal(counts.get(id), i % 2 === 0 ? 1 : undefined, "creates in, lists out"));
    await cairn.stop();
  });

  test("kill -9 mid-interval, then restart: every event still delivered exactly once", async (t) => {
    const account = testAccount();
    const first = await cairnFor(t, { spawn: true, account, args: FAST });
    const dir = bucket(first, "audit-bucket");
    const ct1 = cloudTrail(first);
    const { startRequest } = await startedTrail(ct1, "crash", "audit-bucket", { EnableLogFileValidation: true });
    const early = await someCalls(cloudMap(first), 10);
    await deliveredEventually(dir, early[3]!);
    // More calls, and the kill lands while they wait for (or are in) the next delivery.
    const unsent = await someCalls(cloudMap(first), 10);
    await first.kill();

    const second = await cairnFor(t, { dataDir: first.dataDir, account, args: FAST });
    const later = await someCalls(cloudMap(second), 5);
    const stop = await requestIdOf(cloudTrail(second).send(new StopLoggingCommand({ Name: "crash" })));
    await deliveredEventually(dir, stop);
    const counts = countByRequest(deliveredRecords(dir));
    for (const id of [startRequest, ...early, ...unsent, ...later, stop]) assert.equal(counts.get(id), 1, `request ${id} delivered exactly once`);
    await second.stop();
  });

  test("a multi-region trail delivers each region's events under that region, with a digest chain per region", async (t) => {
    const cairn = await cairnFor(t, { args: FAST });
    const dir = bucket(cairn, "audit-bucket");
    const ct = cloudTrail(cairn);
    const startTime = new Date(Date.now() - 60_000).toISOString();
    const { TrailARN } = await ct.send(new CreateTrailCommand({ Name: "everywhere", S3BucketName: "audit-bucket", IsMultiRegionTrail: true, EnableLogFileValidation: true }));
    await ct.send(new StartLoggingCommand({ Name: "everywhere" }));
    const home = await someCalls(cloudMap(cairn), 1);
    const away = await someCalls(cloudMap(cairn, "eu-west-1"), 1);
    const stop = await requestIdOf(ct.send(new StopLoggingCommand({ Name: "everywhere" })));
    await deliveredEventually(dir, stop);
    await deliveredEventually(dir, away[1]!);
    const records = deliveredRecords(dir);
    for (const id of away) assert.equal(records.find((r) => r.requestID === id)?.awsRegion, "eu-west-1");
    for (const id of home) assert.equal(records.find((r) => r.requestID === id)?.awsRegion, "us-east-1");
    const keys = bucketKeys(dir);
    const euLogs = keys.filter((k) => k.includes("/CloudTrail/eu-west-1/"));
    assert.ok(euLogs.length > 0 && euLogs.every((k) => k.includes("_CloudTrail_eu-west-1_")));
    await eventually(
      () => (bucketKeys(dir).some((k) => /\/CloudTrail-Digest\/eu-west-1\/.*_CloudTrail-Digest_eu-west-1_everywhere_us-east-1_\d{8}T\d{6}Z\.json\.gz$/.test(k)) ? true : undefined),
      "a digest of eu-west-1's files, named with the home region",
    );
    const args = ["--trail-arn", TrailARN!, "--start-time", startTime, "--buckets-dir", path.join(cairn.dataDir, "buckets"), "--region", "eu-west-1"];
    const validated = await runValidateLogs(cairn, args);
    assert.equal(validated.code, 0, validated.stdout + validated.stderr);
    assert.match(validated.stdout, /Log file\ts3:\/\/audit-bucket\/AWSLogs\/\d+\/CloudTrail\/eu-west-1\/.*\tvalid/);
  });

  test("GetTrailStatus reports a missing bucket, and delivery resumes without loss once it is back", async (t) => {
    const cairn = await cairnFor(t, { args: FAST });
    const dir = bucket(cairn, "audit-bucket");
    const ct = cloudTrail(cairn);
    await startedTrail(ct, "fragile", "audit-bucket");
    const first = await someCalls(cloudMap(cairn), 1);
    await deliveredEventually(dir, first[1]!);
    const kept = path.join(cairn.dataDir, "kept-bucket");
    fs.renameSync(dir, kept);
    const during = await someCalls(cloudMap(cairn), 2);
    const failed = await eventually(async () => {
      const s = await ct.send(new GetTrailStatusCommand({ Name: "fragile" }));
      return s.LatestDeliveryError ? s : undefined;
    }, "a delivery error");
    assert.equal(failed.LatestDeliveryError, "NoSuchBucket");
    fs.renameSync(kept, dir);
    await deliveredEventually(dir, during[during.length - 1]!);
    const status = await eventually(async () => {
      const s = await ct.send(new GetTrailStatusCommand({ Name: "fragile" }));
      return s.LatestDeliveryError === undefined ? s : undefined;
    }, "the error to clear");
    assert.ok(status.LatestDeliveryTime! > failed.LatestDeliveryTime!);
    const counts = countByRequest(deliveredRecords(dir));
    for (const id of [...first, ...during]) assert.equal(counts.get(id), 1);
  });

  test("DeleteTrail delivers the events up to the call and a final digest; the files stay", async (t) => {
    const cairn = await cairnFor(t, { args: FAST });
    const dir = bucket(cairn, "audit-bucket");
    const ct = cloudTrail(cairn);
    const startTime = new Date(Date.now() - 60_000).toISOString();
    const { arn } = await startedTrail(ct, "doomed", "audit-bucket", { EnableLogFileValidation: true });
    const calls = await someCalls(cloudMap(cairn), 2);
    const deleted = await requestIdOf(ct.send(new DeleteTrailCommand({ Name: "doomed" })));
    await deliveredEventually(dir, deleted);
    for (const id of calls) assert.equal(countByRequest(deliveredRecords(dir)).get(id), 1);
    await expectError(ct.send(new GetTrailCommand({ Name: "doomed" })), "TrailNotFoundException");
    // The digest chain ends with a digest listing the file that holds the DeleteTrail call.
    const validated = await eventually(async () => {
      const run = await runValidateLogs(cairn, ["--trail-arn", arn, "--start-time", startTime, "--buckets-dir", path.join(cairn.dataDir, "buckets"), "--s3-bucket", "audit-bucket"]);
      const logs = bucketKeys(dir).filter((k) => k.includes("/CloudTrail/")).length;
      return run.code === 0 && run.stdout.includes(`${logs}/${logs} log files valid`) ? run : undefined;
    }, "a final digest covering every log file");
    assert.match(validated.stdout, /digest files valid/);
  });

  test("SIGTERM flushes pending deliveries before exit", async (t) => {
    const cairn = await cairnFor(t, { args: ["--delivery-interval", "3600"] });
    const dir = bucket(cairn, "audit-bucket");
    const { startRequest } = await startedTrail(cloudTrail(cairn), "flush", "audit-bucket");
    const calls = await someCalls(cloudMap(cairn), 3);
    assert.equal(deliveredRecords(dir).length, 0, "nothing delivered before the interval");
    assert.equal(await cairn.stop(), 0);
    const counts = countByRequest(deliveredRecords(dir));
    for (const id of [startRequest, ...calls]) assert.equal(counts.get(id), 1);
  });
});

describe("digests and validate-logs on a folder bucket", () => {
  test("validate-logs passes on untouched output and catches a changed log file, a deleted log file and a deleted digest", async (t) => {
    const cairn = await cairnFor(t, { args: FAST });
    const ct = cloudTrail(cairn);
    const dir = bucket(cairn, "audit-bucket");
    const startTime = new Date(Date.now() - 60_000).toISOString();
    const { arn } = await startedTrail(ct, "signed", "audit-bucket", { S3KeyPrefix: "p", EnableLogFileValidation: true });
    // Calls spread over several digest intervals, so the chain has several links with log files.
    for (let round = 0; round < 4; round++) {
      const ids = await someCalls(cloudMap(cairn), 2);
      await deliveredEventually(dir, ids[ids.length - 1]!);
    }
    const stop = await requestIdOf(ct.send(new StopLoggingCommand({ Name: "signed" })));
    await deliveredEventually(dir, stop);
    const digestKeys = () => bucketKeys(dir).filter((k) => k.includes("/CloudTrail-Digest/") && k.endsWith(".json.gz"));
    const listed = () =>
      new Set(digestKeys().flatMap((k) => (JSON.parse(gunzipSync(fs.readFileSync(path.join(dir, k))).toString()) as { logFiles: { s3Object: string }[] }).logFiles.map((f) => f.s3Object)));
    // The file holding the StopLogging call is listed by the final digest, the last one of the chain.
    await eventually(() => {
      const files = bucketKeys(dir).filter((k) => k.includes("/CloudTrail/"));
      const inDigests = listed();
      return files.every((k) => inDigests.has(k)) ? true : undefined;
    }, "the final digest");
    const digests = digestKeys();
    assert.ok(digests.length >= 3, `a chain of digests (${digests.length})`);
    for (const key of digests) {
      assert.match(key, new RegExp(`^p/AWSLogs/${cairn.accountId}/CloudTrail-Digest/us-east-1/\\d{4}/\\d{2}/\\d{2}/${cairn.accountId}_CloudTrail-Digest_us-east-1_signed_us-east-1_\\d{8}T\\d{6}Z\\.json\\.gz$`));
      const meta = JSON.parse(fs.readFileSync(path.join(dir, `${key}.metadata.json`), "utf8")) as Record<string, string>;
      assert.match(meta.signature!, /^[0-9a-f]{512}$/);
      assert.equal(meta["signature-algorithm"], "SHA256withRSA");
    }
    const first = JSON.parse(gunzipSync(fs.readFileSync(path.join(dir, digests[0]!))).toString()) as Record<string, unknown>;
    assert.equal(first.previousDigestSignature, null, "the chain starts with a starting digest");
    const second = JSON.parse(gunzipSync(fs.readFileSync(path.join(dir, digests[1]!))).toString()) as Record<string, unknown>;
    assert.equal(second.previousDigestS3Object, digests[0]);
    assert.equal(second.digestStartTime, first.digestEndTime);

    const args = ["--trail-arn", arn, "--start-time", startTime, "--buckets-dir", path.join(cairn.dataDir, "buckets")];
    const clean = await runValidateLogs(cairn, args);
    assert.equal(clean.code, 0, clean.stdout + clean.stderr);
    assert.match(clean.stdout, new RegExp(`${digests.length}/${digests.length} digest files valid`));
    assert.match(clean.stdout, /Log file\ts3:\/\/audit-bucket\/p\/AWSLogs\/.*\tvalid/);

    // The log files listed by digests, newest last.
    const logKeys = bucketKeys(dir).filter((k) => k.includes("/CloudTrail/"));
    assert.ok(logKeys.length >= 3);
    const changed = path.join(dir, logKeys[0]!);
    const original = fs.readFileSync(changed);
    const json = gunzipSync(original);
    json[json.indexOf("eventName") + 20] ^= 1;
    fs.writeFileSync(changed, gzipSync(json));
    const tampered = await runValidateLogs(cairn, args);
    assert.equal(tampered.code, 1);
    assert.match(tampered.stderr, new RegExp(`Log file\\ts3://audit-bucket/${logKeys[0]}\\tINVALID: hash value doesn't match`));
    fs.writeFileSync(changed, original);

    fs.rmSync(path.join(dir, logKeys[1]!));
    const deletedLog = await runValidateLogs(cairn, args);
    assert.equal(deletedLog.code, 1);
    assert.match(deletedLog.stderr, new RegExp(`Log file\\ts3://audit-bucket/${logKeys[1]}\\tINVALID: not found`));

    fs.rmSync(path.join(dir, digests[1]!));
    const deletedDigest = await runValidateLogs(cairn, args);
    assert.equal(deletedDigest.code, 1);
    assert.match(deletedDigest.stderr, new RegExp(`Digest file\\ts3://audit-bucket/${digests[1]}\\tINVALID: not found`));
    assert.match(deletedDigest.stdout, new RegExp(`Digest file\\ts3://audit-bucket/${digests[0]}\\tvalid`), "the walk goes on past the gap");
    await cairn.stop();
  });
});
