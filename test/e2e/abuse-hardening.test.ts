/**
 * Issue 15, points 4 to 7, from the attacker's side against a real `cairn serve`: reads that would create keys,
 * health checks aimed at internal addresses, trail prefixes that would escape or jam a folder bucket, and files
 * readable by other users.
 */
import { describe, test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { CreateTrailCommand, GetTrailStatusCommand, ListPublicKeysCommand, StartLoggingCommand } from "@aws-sdk/client-cloudtrail";
import { ListInstancesCommand, RegisterInstanceCommand, type ServiceDiscoveryClient } from "@aws-sdk/client-servicediscovery";
import { tempDataDir } from "../support/cairn-process.js";
import { cloudMap } from "../support/clients.js";
import { cloudTrail } from "../support/cloudtrail.js";
import { expectError } from "../support/cloudmap.js";
import { createTestDatabase, TEST_STORE } from "../support/postgres.js";
import { parseExposition } from "../support/prometheus.js";
import { namespace, register, service } from "../support/registry.js";
import { bucket, bucketKeys, cairnFor, eventually } from "../support/trails.js";

const FAST = ["--delivery-interval", "1", "--digest-interval", "1"];

const modeOf = (file: string): number => fs.statSync(file).mode & 0o777;

/** A loopback HTTP endpoint that counts the requests it gets. */
async function endpoint(t: TestContext): Promise<{ port: number; hits: () => number }> {
  let hits = 0;
  const server = http.createServer((_req, res) => {
    hits++;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return { port: (server.address() as AddressInfo).port, hits: () => hits };
}

function registerAt(sd: ServiceDiscoveryClient, ServiceId: string, InstanceId: string, address: string, port: number): Promise<unknown> {
  const family = address.includes(":") ? "AWS_INSTANCE_IPV6" : "AWS_INSTANCE_IPV4";
  return sd.send(new RegisterInstanceCommand({ ServiceId, InstanceId, Attributes: { [family]: address, AWS_INSTANCE_PORT: String(port) } }));
}

describe("abuse hardening", () => {
  test("ListPublicKeys only lists: no key until a trail signs a digest in the region, then the signing key", async (t) => {
    const cairn = await cairnFor(t, { args: FAST });
    const us = cloudTrail(cairn);
    const paris = cloudTrail(cairn, "eu-west-3");
    assert.deepEqual((await us.send(new ListPublicKeysCommand({}))).PublicKeyList, [], "a read creates no key");
    assert.deepEqual((await paris.send(new ListPublicKeysCommand({}))).PublicKeyList, []);
    assert.deepEqual((await us.send(new ListPublicKeysCommand({}))).PublicKeyList, [], "nor does a second read");

    const dir = bucket(cairn, "signed");
    await us.send(new CreateTrailCommand({ Name: "signed", S3BucketName: "signed", EnableLogFileValidation: true }));
    await us.send(new StartLoggingCommand({ Name: "signed" }));
    const digest = await eventually(() => bucketKeys(dir).find((k) => k.includes("/CloudTrail-Digest/") && k.endsWith(".json.gz")), "a digest");
    const fingerprint = (JSON.parse(gunzipSync(fs.readFileSync(path.join(dir, digest))).toString("utf8")) as { digestPublicKeyFingerprint: string }).digestPublicKeyFingerprint;
    const keys = (await us.send(new ListPublicKeysCommand({}))).PublicKeyList!;
    assert.deepEqual(keys.map((k) => k.Fingerprint), [fingerprint], "the key that signed the digest");
    assert.ok(keys[0]!.ValidityStartTime! <= new Date() && keys[0]!.ValidityEndTime! > new Date());
    assert.deepEqual((await paris.send(new ListPublicKeysCommand({}))).PublicKeyList, [], "no digest was signed in eu-west-3");
  });

  test("health checks refuse loopback, link-local and private endpoints unless allowed; Cairn's own ports never", async (t) => {
    const target = await endpoint(t);
    // A long interval: the prober's first round ran at start, so nothing registered here is ever probed.
    const strict = await cairnFor(t, { args: ["--health-interval", "3600"] });
    const sd = cloudMap(strict);
    const ns = await namespace(sd, "http");
    const checked = await service(sd, { NamespaceId: ns.id, HealthCheckConfig: { Type: "HTTP", ResourcePath: "/admin", FailureThreshold: 1 } });
    const refused: [string, RegExp][] = [
      ["127.0.0.1", /loopback range 127\.0\.0\.0\/8/],
      ["169.254.169.254", /link-local range 169\.254\.0\.0\/16/],
      ["10.0.0.1", /private range 10\.0\.0\.0\/8/],
      ["192.168.1.1", /private range 192\.168\.0\.0\/16/],
      ["::1", /loopback range ::1\/128/],
      ["fd00::1", /unique local/],
    ];
    for (const [address, why] of refused) {
      await expectError(registerAt(sd, checked.Id!, `i-${address.replace(/[.:]/g, "-")}`, address, target.port), "InvalidInput", why);
    }
    assert.deepEqual((await sd.send(new ListInstancesCommand({ ServiceId: checked.Id! }))).Instances, [], "refused registrations change nothing");
    const unchecked = await service(sd, { NamespaceId: ns.id });
    await register(sd, unchecked.Id!, "plain", { AWS_INSTANCE_IPV4: "10.0.0.1", AWS_INSTANCE_PORT: "80" });

    const allowing = await cairnFor(t, { args: ["--health-interval", "0.2", "--health-check-targets", "127.0.0.0/8"] });
    const sd2 = cloudMap(allowing);
    const ns2 = await namespace(sd2, "http");
    const checked2 = await service(sd2, { NamespaceId: ns2.id, HealthCheckConfig: { Type: "HTTP", ResourcePath: "/health", FailureThreshold: 1 } });
    await register(sd2, checked2.Id!, "web", { AWS_INSTANCE_IPV4: "127.0.0.1", AWS_INSTANCE_PORT: String(target.port) });
    await eventually(() => (target.hits() > 0 ? true : undefined), "a probe of the allowed loopback endpoint", 10_000);
    await expectError(registerAt(sd2, checked2.Id!, "self", "127.0.0.1", allowing.port), "InvalidInput", /Cairn's own listening ports/);
    await expectError(registerAt(sd2, checked2.Id!, "meta", "169.254.169.254", 80), "InvalidInput", /link-local/);

    // Restarted without the option, the prober re-checks the rule: the instance registered meanwhile is not probed.
    await allowing.stop();
    const hits = target.hits();
    const restarted = await cairnFor(t, {
      dataDir: allowing.dataDir,
      account: { accountId: allowing.accountId, credentials: allowing.credentials },
      args: ["--health-interval", "0.2"],
    });
    await eventually(() => (/instance web of service \S+ is not checked\. .*loopback range/.test(restarted.output()) ? true : undefined), "the prober's refusal in the log", 10_000);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(target.hits(), hits, "no probe after the restart");
  });

  test("trail prefixes such as ../x and /abs stay inside the folder bucket and delivery goes on; symbolic links are not followed", async (t) => {
    const cairn = await cairnFor(t, { args: FAST });
    const ct = cloudTrail(cairn);
    const dir = bucket(cairn, "jail");
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), "cairn-outside-"));
    t.after(() => fs.rmSync(outside, { recursive: true, force: true }));
    for (const [Name, S3KeyPrefix] of [["escape", "../escaped"], ["absolute", "/abs"], ["dots", "a/./b/../%"]] as const) {
      await ct.send(new CreateTrailCommand({ Name, S3BucketName: "jail", S3KeyPrefix }));
      await ct.send(new StartLoggingCommand({ Name }));
    }
    const linked = bucket(cairn, "linked");
    fs.symlinkSync(outside, path.join(linked, "AWSLogs"));
    await ct.send(new CreateTrailCommand({ Name: "linked", S3BucketName: "linked" }));
    await ct.send(new StartLoggingCommand({ Name: "linked" }));
    fs.symlinkSync(outside, path.join(cairn.dataDir, "buckets", "elsewhere"));
    await expectError(ct.send(new CreateTrailCommand({ Name: "elsewhere", S3BucketName: "elsewhere" })), "S3BucketDoesNotExistException");

    for (const Name of ["escape", "absolute", "dots"]) {
      const status = await eventually(async () => {
        const s = await ct.send(new GetTrailStatusCommand({ Name }));
        return s.LatestDeliveryTime || s.LatestDeliveryError ? s : undefined;
      }, `a delivery of ${Name}`, 15_000);
      assert.equal(status.IsLogging, true);
      assert.equal(status.LatestDeliveryError, undefined, Name);
    }
    const delivered = (folder: string) => bucketKeys(dir).some((k) => k.startsWith(`${folder}/AWSLogs/${cairn.accountId}/CloudTrail/us-east-1/`) && k.endsWith(".json.gz"));
    for (const folder of ["%2E%2E/escaped", "%/abs", "a/%2E/b/%2E%2E/%25"]) assert.ok(delivered(folder), `log files under ${folder}`);
    assert.equal(fs.existsSync(path.join(cairn.dataDir, "buckets", "escaped")), false, "nothing written beside the bucket");

    const status = await eventually(async () => {
      const s = await ct.send(new GetTrailStatusCommand({ Name: "linked" }));
      return s.LatestDeliveryError ? s : undefined;
    }, "the delivery error of the trail whose bucket holds a symbolic link", 15_000);
    assert.equal(status.LatestDeliveryError, "AccessDenied");
    assert.deepEqual(fs.readdirSync(outside), [], "nothing written through the link");
    const metrics = parseExposition(await (await fetch(`${cairn.url}/_cairn/metrics`)).text());
    assert.ok(metrics.value("cairn_trail_delivery_errors_total", { kind: "log" }) >= 1, "the failure is counted");
  });

  test("the data dir Cairn creates is 0700; its store, keys, credentials and delivered files are 0600", async (t) => {
    const dataDir = path.join(tempDataDir(), "fresh", "data");
    // No operator-chosen credentials: Cairn generates them and writes root-credentials.json.
    const args = TEST_STORE === "postgres" ? ["--store", await createTestDatabase(), ...FAST] : FAST;
    const cairn = await cairnFor(t, { dataDir, args, env: { CAIRN_ACCOUNT_ID: "", CAIRN_ROOT_ACCESS_KEY_ID: "", CAIRN_ROOT_SECRET_ACCESS_KEY: "" } });
    const creds = JSON.parse(fs.readFileSync(path.join(dataDir, "root-credentials.json"), "utf8")) as { accountId: string; accessKeyId: string; secretAccessKey: string };
    const ct = cloudTrail({ ...cairn, credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey } });
    const dir = bucket(cairn, "private");
    await ct.send(new CreateTrailCommand({ Name: "private", S3BucketName: "private", EnableLogFileValidation: true }));
    await ct.send(new StartLoggingCommand({ Name: "private" }));
    const keys = await eventually(() => {
      // Written files only: a temporary one may be renamed meanwhile.
      const all = bucketKeys(dir).filter((k) => !path.basename(k).startsWith(".tmp-"));
      return all.some((k) => k.includes("/CloudTrail/")) && all.some((k) => k.includes("/CloudTrail-Digest/") && k.endsWith(".json.gz")) ? all : undefined;
    }, "a log file and a digest");

    assert.equal(modeOf(dataDir), 0o700, "data dir");
    assert.equal(modeOf(path.dirname(dataDir)), 0o700, "the parent Cairn created too");
    const files = ["secrets.key", "root-credentials.json", ...(TEST_STORE === "sqlite" ? ["cairn.db", "cairn.db-wal", "cairn.db-shm"] : [])];
    for (const file of files) assert.equal(modeOf(path.join(dataDir, file)), 0o600, file);
    assert.equal(modeOf(path.join(dataDir, "buckets")), 0o700, "buckets dir");
    for (const key of keys) assert.equal(modeOf(path.join(dir, key)), 0o600, key);
    assert.ok(keys.some((k) => k.endsWith(".metadata.json")), "digest sidecars are among them");
  });
});
