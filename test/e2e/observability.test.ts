import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { CreateHttpNamespaceCommand, GetNamespaceCommand, ListNamespacesCommand, type ServiceDiscoveryClient } from "@aws-sdk/client-servicediscovery";
import { startCairn, type CairnProcess } from "../support/cairn-process.js";
import { cloudMap } from "../support/clients.js";
import { uniqueName } from "../support/cloudmap.js";
import { parseExposition, type Exposition } from "../support/prometheus.js";
import { send, signedCloudMapRequest } from "../support/raw.js";

let cairn: CairnProcess;
let sd: ServiceDiscoveryClient;

async function metrics(): Promise<Exposition> {
  const res = await fetch(`${cairn.url}/_cairn/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
  return parseExposition(await res.text());
}

const requests = (m: Exposition, operation: string, outcome: string) =>
  m.value("cairn_requests_total", { api: "servicediscovery", operation, outcome });

before(async () => {
  cairn = await startCairn({ args: ["--log-level", "debug"] });
  sd = cloudMap(cairn);
});
after(async () => {
  await cairn.stop();
});

describe("metrics at /_cairn/metrics", () => {
  test("the exposition parses and lists every metric family Cairn defines", async () => {
    const m = await metrics();
    const families: Record<string, string> = {
      cairn_requests_total: "counter",
      cairn_request_duration_seconds: "histogram",
      cairn_events_recorded_total: "counter",
      cairn_store_transaction_duration_seconds: "histogram",
      cairn_trail_delivery_lag_seconds: "gauge",
      cairn_trail_files_delivered_total: "counter",
      cairn_trail_delivery_errors_total: "counter",
      cairn_dns_queries_total: "counter",
      cairn_health_check_results_total: "counter",
      cairn_health_transitions_total: "counter",
      cairn_process_cpu_user_seconds_total: "counter",
      cairn_nodejs_heap_size_used_bytes: "gauge",
    };
    for (const [name, type] of Object.entries(families)) assert.equal(m.types.get(name), type, name);
  });

  test("requests, outcomes, latencies, recorded events and store transactions move with calls", async () => {
    const before = await metrics();
    await sd.send(new CreateHttpNamespaceCommand({ Name: uniqueName("metrics") }));
    await sd.send(new ListNamespacesCommand({}));
    await assert.rejects(sd.send(new GetNamespaceCommand({ Id: "ns-doesnotexist0000" })));
    const after = await metrics();
    assert.equal(requests(after, "CreateHttpNamespace", "success") - requests(before, "CreateHttpNamespace", "success"), 1);
    assert.equal(requests(after, "ListNamespaces", "success") - requests(before, "ListNamespaces", "success"), 1);
    const notFound = { api: "servicediscovery", operation: "GetNamespace", outcome: "client_error", code: "NamespaceNotFound" };
    assert.equal(after.value("cairn_requests_total", notFound) - before.value("cairn_requests_total", notFound), 1);
    const latency = { api: "servicediscovery", operation: "CreateHttpNamespace" };
    assert.equal(after.value("cairn_request_duration_seconds_count", latency) - before.value("cairn_request_duration_seconds_count", latency), 1);
    assert.equal(after.value("cairn_request_duration_seconds_bucket", { ...latency, le: "+Inf" }) - before.value("cairn_request_duration_seconds_bucket", { ...latency, le: "+Inf" }), 1);
    // Three calls, three CloudTrail events (the failed one too).
    assert.equal(after.value("cairn_events_recorded_total") - before.value("cairn_events_recorded_total"), 3);
    assert.ok(after.value("cairn_store_transaction_duration_seconds_count", { result: "commit" }) > before.value("cairn_store_transaction_duration_seconds_count", { result: "commit" }));
  });
});

describe("structured logs", () => {
  test("one JSON line per request, with its facts and without any secret, signature or token", async () => {
    const created = await sd.send(new CreateHttpNamespaceCommand({ Name: uniqueName("logs") }));
    const failed = await sd.send(new GetNamespaceCommand({ Id: "ns-doesnotexist0001" })).catch((e: { $metadata: { requestId: string } }) => e);
    // A call with a session token the key does not have: refused, and neither token nor signature is logged.
    const sessionToken = `FwoGZXIvYXdzE${"Q".repeat(40)}SessionTokenMarker`;
    const withToken = await signedCloudMapRequest(cairn.url, { ...cairn.credentials, sessionToken }, "ListNamespaces", {});
    const refused = await send(withToken);
    assert.equal(refused.status, 400);
    const signed = await signedCloudMapRequest(cairn.url, cairn.credentials, "ListServices", {});
    const listed = await send(signed);
    assert.equal(listed.status, 200);
    const signatures = [withToken, signed].map((r) => /Signature=([0-9a-f]{64})/.exec(r.headers.authorization!)![1]!);
    assert.equal(await cairn.stop(), 0);

    const output = cairn.output();
    const lines = output.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>);
    const byRequest = (id: string) => lines.filter((l) => l.msg === "request" && l.requestId === id);
    const [createdLine] = byRequest(created.$metadata.requestId!);
    assert.ok(createdLine, "the CreateHttpNamespace line");
    assert.equal(byRequest(created.$metadata.requestId!).length, 1);
    assert.equal(createdLine.level, "info");
    assert.match(String(createdLine.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(createdLine.api, "servicediscovery");
    assert.equal(createdLine.operation, "CreateHttpNamespace");
    assert.equal(createdLine.principal, `arn:aws:iam::${cairn.accountId}:root`);
    assert.equal(createdLine.sourceIp, "127.0.0.1");
    assert.equal(createdLine.status, 200);
    assert.equal(typeof createdLine.durationMs, "number");
    const [failedLine] = byRequest(failed.$metadata.requestId!);
    assert.equal(failedLine?.errorCode, "NamespaceNotFound");
    assert.equal(failedLine?.status, 400);
    const refusedLine = byRequest(String(refused.headers["x-amzn-requestid"]))[0];
    assert.equal(refusedLine?.principal, undefined, "no principal for a call that failed SigV4");
    assert.ok(lines.some((l) => l.msg === "shutting down: draining requests in flight"));

    for (const secret of [cairn.credentials.secretAccessKey, sessionToken, ...signatures]) {
      assert.equal(output.includes(secret), false, "a secret, token or signature reached the log");
    }
    // The startup line stays a plain line for people and scripts.
    assert.match(output, /^cairn listening on http:\/\/127\.0\.0\.1:\d+$/m);
  });
});
