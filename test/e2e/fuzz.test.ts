/**
 * 10,000 seeded hostile requests for every operation of every API Cairn serves (driven by the models, so new
 * operations are fuzzed without touching this file): mutated, truncated, oversized and type-confused inputs,
 * broken bodies, broken signatures and broken HTTP. Cairn must answer every one with an AWS-shaped error (JSON,
 * or XML for awsQuery APIs) or a success, never a 5xx, never a stack trace; it must still be healthy afterwards;
 * and the store must hold exactly what it held before, except for what the few calls that legitimately succeeded
 * changed. Request #i is generated from seed + i alone: FUZZ_SEED=<seed> replays a run, FUZZ_REQUESTS=<n> shortens it.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateHttpNamespaceCommand,
  CreateServiceCommand,
  ListNamespacesCommand,
  RegisterInstanceCommand,
  TagResourceCommand,
} from "@aws-sdk/client-servicediscovery";
import { apiTables } from "../support/api-tables.js";
import { startCairn, type SpawnedCairn } from "../support/cairn-process.js";
import { cloudMap } from "../support/clients.js";
import { createdNamespaceId } from "../support/cloudmap.js";
import { Random } from "../support/fuzz/random.js";
import { fuzzRequest, type FuzzRequest } from "../support/fuzz/requests.js";
import { closeAgent, sendFuzz, type FuzzResponse } from "../support/fuzz/send.js";
import { snapshotDiff, storeSnapshot, unexplainedChanges } from "../support/fuzz/snapshot.js";

const TOTAL = Number(process.env.FUZZ_REQUESTS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261124);
const CONCURRENCY = 32;
/** The server's own API table: an API or operation added there is fuzzed too. */
const APIS = apiTables();
const STACK_TRACE = /\n\s+at |\.[cm]?js:\d+|node:internal/;

let cairn: SpawnedCairn;

before(async () => {
  // Its own process: hostile input must not bring it down, and the test checks that it is still running.
  cairn = await startCairn({ spawn: true });
});
after(async () => {
  closeAgent();
  if (cairn.child.exitCode === null) await cairn.stop();
});

/** Real resources for the fuzzer to aim at: their IDs, ARNs and names seed its strings. */
async function fixtures(): Promise<string[]> {
  const sd = cloudMap(cairn);
  const namespaceId = await createdNamespaceId(sd, new CreateHttpNamespaceCommand({ Name: "fuzz-ns", Tags: [{ Key: "team", Value: "fuzz" }] }));
  const service = await sd.send(new CreateServiceCommand({ Name: "fuzz-svc", NamespaceId: namespaceId, HealthCheckCustomConfig: {} }));
  await sd.send(new RegisterInstanceCommand({ ServiceId: service.Service!.Id, InstanceId: "i-fuzz", Attributes: { AWS_INSTANCE_IPV4: "10.0.0.1", color: "blue" } }));
  await sd.send(new TagResourceCommand({ ResourceARN: service.Service!.Arn, Tags: [{ Key: "tier", Value: "web" }] }));
  return [namespaceId, service.Service!.Id!, service.Service!.Arn!, `arn:aws:servicediscovery:us-east-1:${cairn.accountId}:namespace/${namespaceId}`,
    "fuzz-ns", "fuzz-svc", "i-fuzz", cairn.accountId, "AWS_INSTANCE_IPV4", "10.0.0.1", "color", "blue", "team", "EventName", "CreateHttpNamespace", "HEALTHY", "UNHEALTHY"];
}

function problem(index: number, request: FuzzRequest, response: FuzzResponse | undefined, what: string): string {
  return `request #${index} (seed ${SEED}) ${request.label}: ${what}${response ? ` — ${response.status} ${response.body.slice(0, 300)}` : ""}`;
}

/** An AWS-shaped answer: success JSON, or an error with __type and Message, and never a stack trace. */
function check(index: number, request: FuzzRequest, response: FuzzResponse): string | undefined {
  if (response.status >= 500) return problem(index, request, response, "5xx");
  if (STACK_TRACE.test(response.body)) return problem(index, request, response, "stack trace in the body");
  if (response.body.startsWith("<")) {
    // awsQuery APIs (STS, IAM) answer XML: an error is an <ErrorResponse> with a Code and a Message.
    if (response.status >= 400 && !/<Code>[^<]+<\/Code>[\s\S]*<Message>/.test(response.body)) return problem(index, request, response, "XML error without Code and Message");
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body || "{}");
  } catch {
    return problem(index, request, response, "body is neither JSON nor XML");
  }
  if (response.status >= 400) {
    const error = parsed as { __type?: unknown; Message?: unknown };
    if (typeof error.__type !== "string" || typeof error.Message !== "string") return problem(index, request, response, "error without __type and Message");
  }
  return undefined;
}

test(`${TOTAL} fuzzed requests: no 5xx, no crash, the store changed only by the calls that succeeded`, { timeout: 300_000 }, async () => {
  const corpus = { strings: await fixtures() };
  const before = await storeSnapshot(cairn.store);
  const problems: string[] = [];
  /** Bodies and answers of the calls that succeeded and may change the store: the only explanations allowed for a store change. */
  const succeededChanges: string[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < TOTAL) {
      const index = next++;
      const request = fuzzRequest(APIS, new Random(SEED + index), corpus);
      let response: FuzzResponse;
      try {
        response = await sendFuzz(cairn.url, cairn.credentials, request);
      } catch (error) {
        const code = (error as { code?: string }).code;
        // Over 1 MiB: Cairn answers 413 and closes before reading the rest, so the write may fail first.
        if (request.body.length > 1024 * 1024 && (code === "EPIPE" || code === "ECONNRESET")) continue;
        problems.push(problem(index, request, undefined, `no answer: ${String(error)}`));
        continue;
      }
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      const found = check(index, request, response);
      if (found) problems.push(found);
      if (response.status === 200 && !request.api.operations[request.operation]!.readOnly) {
        succeededChanges.push(`${request.body.toString("utf8")} ${response.body}`);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  assert.deepEqual(problems.slice(0, 20), [], `${problems.length} bad answers`);

  // Still alive and still serving.
  assert.equal(cairn.child.exitCode, null, "the server is still running");
  const health = await fetch(`${cairn.url}/_cairn/health`);
  assert.equal(health.status, 200);
  const listed = await cloudMap(cairn).send(new ListNamespacesCommand({}));
  assert.ok(listed.Namespaces?.some((n) => n.Name === "fuzz-ns"));

  // Every row that changed must belong to a call that succeeded: some identifier of the row was in its request or answer.
  const changed = snapshotDiff(before, await storeSnapshot(cairn.store));
  if (process.env.FUZZ_DEBUG) (await import("node:fs")).writeFileSync(process.env.FUZZ_DEBUG, JSON.stringify({ changed, succeededChanges }, null, 1));
  assert.deepEqual(unexplainedChanges(before, changed, succeededChanges), [], "rows changed by rejected calls");
  // The check means something only if successful changes are the exception.
  assert.ok(succeededChanges.length < TOTAL / 20, `${succeededChanges.length} changing calls succeeded`);
  assert.ok((statuses.get(400) ?? 0) > TOTAL / 2, `most requests are rejected: ${JSON.stringify([...statuses])}`);

  // No request made Cairn log an unexpected failure.
  const errors = cairn.output().split("\n").filter((l) => l.includes('"level":"error"'));
  assert.deepEqual(errors.slice(0, 5), []);
  assert.equal(await cairn.stop(), 0);
});
