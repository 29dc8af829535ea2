/**
 * LookupEvents at scale: loads N events (default 1,000,000) into a fresh SQLite store through the Store's own
 * append path, starts Cairn on it (startServer, on a worker thread) and measures LookupEvents latency through
 * the AWS SDK v3 for each lookup attribute, for a time range alone, and for deep paging. Then the same queries
 * against the store directly, without HTTP, SigV4 or recording.
 *
 *   node dist/bench/lookup.js [--events 1000000] [--samples 300] [--data-dir DIR] [--reuse]
 *
 * `--reuse` skips loading when DIR already holds a loaded store (the load takes minutes at 1M). Without --data-dir
 * the store goes to a temporary directory that is removed at the end.
 */
import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { CloudTrailClient, LookupEventsCommand, type LookupEventsCommandInput } from "@aws-sdk/client-cloudtrail";
import { buildEvent } from "../src/audit/record.js";
import type { Principal } from "../src/auth/principal.js";
import { errors as sdErrors } from "../src/generated/servicediscovery.js";
import { cloudtrailApi } from "../src/services/cloudtrail/index.js";
import type { ApiDef } from "../src/services/operation.js";
import { servicediscoveryApi } from "../src/services/servicediscovery/index.js";
import type { EventFilter, StoredEvent } from "../src/store/records.js";
import { openSqliteStore } from "../src/store/sqlite/open.js";
import { benchDataDir, benchFlags, percentile, startBenchServer } from "./support.js";

const flags = benchFlags({ events: "1000000", samples: "300", "data-dir": "", reuse: false });
const TOTAL = Number(flags.events);
const SAMPLES = Number(flags.samples);
const chosenDir = flags["data-dir"];
const dataDir = chosenDir || benchDataDir("lookup");
const reuse = flags.reuse;
const dbFile = path.join(dataDir, "cairn.db");
const account = { accountId: "111122223333", accessKeyId: "AKIABENCHLOOKUP00001", secretAccessKey: "bench-secret-bench-secret-bench-secret00" };
const DAY = 86_400_000;
const now = Date.now();
const oldest = now - 89 * DAY;

// A deterministic pseudo-random sequence, so that runs load the same data.
let seed = 42;
function rand(): number {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

/** Operation mix of a busy Cloud Map control plane, by weight. */
const MIX: Array<[ApiDef, string, number]> = ([
  [servicediscoveryApi, "RegisterInstance", 20],
  [servicediscoveryApi, "DeregisterInstance", 10],
  [servicediscoveryApi, "GetInstance", 10],
  [servicediscoveryApi, "ListInstances", 15],
  [servicediscoveryApi, "GetService", 10],
  [servicediscoveryApi, "GetOperation", 10],
  [servicediscoveryApi, "GetNamespace", 5],
  [servicediscoveryApi, "ListNamespaces", 5],
  [servicediscoveryApi, "CreateService", 2],
  [servicediscoveryApi, "CreateHttpNamespace", 1],
  [cloudtrailApi, "LookupEvents", 7],
] as Array<[ApiDef, string, number]>).filter(([api, op]) => op in api.operations);
const WEIGHT = MIX.reduce((s, [, , w]) => s + w, 0);
const USERS = ["root", ...Array.from({ length: 49 }, (_, i) => `user-${i}`)];
const KEYS = Array.from({ length: 200 }, (_, i) => `AKIABENCH${String(i).padStart(11, "0")}`);
const NAMESPACES = Array.from({ length: 200 }, (_, i) => `ns-bench${String(i).padStart(8, "0")}`);
const SERVICES = Array.from({ length: 5000 }, (_, i) => `srv-bench${String(i).padStart(8, "0")}`);
const REGIONS = ["us-east-1", "us-east-1", "us-east-1", "us-east-1", "us-east-1", "us-east-1", "eu-west-1"];

function input(op: string): Record<string, unknown> {
  const service = pick(SERVICES);
  switch (op) {
    case "RegisterInstance":
      return { ServiceId: service, InstanceId: `i-${Math.floor(rand() * 100_000)}`, CreatorRequestId: randomUUID(), Attributes: { AWS_INSTANCE_IPV4: "10.0.0.12", AWS_INSTANCE_PORT: "8080" } };
    case "DeregisterInstance":
    case "GetInstance":
      return { ServiceId: service, InstanceId: `i-${Math.floor(rand() * 100_000)}` };
    case "ListInstances":
      return { ServiceId: service, MaxResults: 100 };
    case "GetService":
      return { Id: service };
    case "GetOperation":
      return { OperationId: `${randomUUID().replace(/-/g, "")}-abcdefgh` };
    case "GetNamespace":
      return { Id: pick(NAMESPACES) };
    case "CreateService":
      return { Name: `svc-${Math.floor(rand() * 1e6)}`, NamespaceId: pick(NAMESPACES), CreatorRequestId: randomUUID() };
    case "CreateHttpNamespace":
      return { Name: `ns-${Math.floor(rand() * 1e6)}`, CreatorRequestId: randomUUID() };
    case "LookupEvents":
      return { LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "RegisterInstance" }], MaxResults: 50 };
    default:
      return {};
  }
}

function syntheticEvent(i: number): StoredEvent {
  let r = rand() * WEIGHT;
  let chosen = MIX[0]!;
  for (const m of MIX) {
    r -= m[2];
    if (r <= 0) {
      chosen = m;
      break;
    }
  }
  const [api, operation] = chosen;
  const user = rand() < 0.3 ? "root" : pick(USERS);
  const accessKeyId = pick(KEYS);
  const principal: Principal = { type: "Root", accountId: account.accountId, arn: `arn:aws:iam::${account.accountId}:root`, principalId: account.accountId, accessKeyId };
  const callInput = input(operation);
  const failed = rand() < 0.05;
  const event = buildEvent(
    { requestId: randomUUID(), sourceIp: "10.1.2.3", userAgent: "aws-sdk-js/3.1137.0 ua/2.1 os/linux lang/js md/nodejs#20.20.2 api/servicediscovery#3.1137.0" },
    {
      api,
      operation,
      principal,
      region: pick(REGIONS),
      input: callInput,
      output: failed ? undefined : { OperationId: "xk3f6tq2n7v9m4hj5r8w2c6p1s0d3b7e-ab12cd34" },
      error: failed ? sdErrors.ServiceNotFound(`Service not found: ${String(callInput.ServiceId)}`) : undefined,
      resources: api.operations[operation]!.resources?.(callInput, undefined) ?? [],
      // Appended in time order, as a server appends them.
      eventTime: new Date(oldest + Math.floor((i / TOTAL) * (now - oldest - 60_000))),
    },
  );
  // Only root exists today; IAM users arrive later. Spread Username over 50 values so its index is exercised.
  return { ...event, username: user };
}

async function load(): Promise<void> {
  const store = await openSqliteStore(dbFile);
  const t0 = performance.now();
  const chunk = 10_000;
  for (let i = 0; i < TOTAL; i += chunk) {
    await store.transaction(async (tx) => {
      for (let j = i; j < Math.min(TOTAL, i + chunk); j++) await tx.events.append(syntheticEvent(j));
    });
    if ((i / chunk) % 10 === 0) process.stdout.write(`\rloaded ${i + chunk} events`);
  }
  await store.close();
  const seconds = (performance.now() - t0) / 1000;
  console.log(`\rloaded ${TOTAL} events in ${seconds.toFixed(0)} s (${(TOTAL / seconds).toFixed(0)} events/s), database ${(fs.statSync(dbFile).size / 1e9).toFixed(2)} GB`);
}

interface Scenario {
  name: string;
  input(): LookupEventsCommandInput;
  /** Follow NextToken this many pages and time the last one. */
  pages?: number;
}

function attribute(key: string, values: () => string): LookupEventsCommandInput {
  return { LookupAttributes: [{ AttributeKey: key as never, AttributeValue: values() }] };
}

async function main(): Promise<void> {
  if (!(reuse && fs.existsSync(dbFile))) await load();
  const store = await openSqliteStore(dbFile);
  // Values that exist, drawn from the loaded data itself.
  const sample = await store.transaction((tx) =>
    tx.events.lookup({ accountId: account.accountId, region: "us-east-1", from: new Date(0), to: new Date(now + DAY), limit: 50 }),
  );
  await store.close();
  const eventIds = sample.events.map((e) => e.eventId);
  const names = MIX.map(([, op]) => op);
  const instanceNames = Array.from({ length: 1000 }, (_, i) => `i-${i * 97}`);
  const resourceTypes = ["AWS::ServiceDiscovery::Service", "AWS::ServiceDiscovery::Instance", "AWS::ServiceDiscovery::HttpNamespace", "AWS::ServiceDiscovery::Namespace"];
  const window = (span: number) => () => {
    const end = oldest + span + rand() * (now - oldest - span);
    return { StartTime: new Date(end - span), EndTime: new Date(end) };
  };

  const scenarios: Scenario[] = [
    { name: "no filter (last 90 days, first page)", input: () => ({}) },
    { name: "time range alone: random 1 hour", input: window(3_600_000) },
    { name: "time range alone: random 1 day", input: window(DAY) },
    { name: "time range alone: random 30 days", input: window(30 * DAY) },
    { name: "EventName", input: () => attribute("EventName", () => pick(names)) },
    { name: "EventName (rarest: CreateHttpNamespace)", input: () => attribute("EventName", () => "CreateHttpNamespace") },
    { name: "EventSource", input: () => attribute("EventSource", () => pick(["servicediscovery.amazonaws.com", "cloudtrail.amazonaws.com"])) },
    { name: "ReadOnly", input: () => attribute("ReadOnly", () => pick(["true", "false"])) },
    { name: "Username", input: () => attribute("Username", () => pick(USERS)) },
    { name: "AccessKeyId", input: () => attribute("AccessKeyId", () => pick(KEYS)) },
    { name: "EventId", input: () => attribute("EventId", () => pick(eventIds)) },
    { name: "ResourceType", input: () => attribute("ResourceType", () => pick(resourceTypes)) },
    { name: "ResourceName (service id)", input: () => attribute("ResourceName", () => pick(SERVICES)) },
    { name: "ResourceName (instance id)", input: () => attribute("ResourceName", () => pick(instanceNames)) },
    { name: "ResourceName (no match)", input: () => attribute("ResourceName", () => `srv-missing${Math.floor(rand() * 1e6)}`) },
    { name: "EventName + random 1 day", input: () => ({ ...attribute("EventName", () => pick(names)), ...window(DAY)() }) },
    { name: "Username + random 1 day", input: () => ({ ...attribute("Username", () => pick(USERS)), ...window(DAY)() }) },
    { name: "ResourceName + random 30 days", input: () => ({ ...attribute("ResourceName", () => pick(SERVICES)), ...window(30 * DAY)() }) },
    { name: "EventName, page 20 via NextToken", input: () => attribute("EventName", () => pick(names)), pages: 20 },
  ];

  const server = await startBenchServer({ dataDir, store: `sqlite:${dbFile}`, bootstrap: account });
  const ct = new CloudTrailClient({
    endpoint: server.url,
    region: "us-east-1",
    credentials: { accessKeyId: account.accessKeyId, secretAccessKey: account.secretAccessKey },
    maxAttempts: 1,
  });
  const rows: string[] = [];
  try {
    // Warm-up: JIT, SigV4 key cache, SQLite page cache.
    for (let i = 0; i < 50; i++) await ct.send(new LookupEventsCommand(pick(scenarios).input()));
    for (const scenario of scenarios) {
      const samples = scenario.pages ? Math.max(10, Math.floor(SAMPLES / 10)) : SAMPLES;
      const times: number[] = [];
      let results = 0;
      for (let i = 0; i < samples; i++) {
        const input = scenario.input();
        let token: string | undefined;
        for (let p = 1; p < (scenario.pages ?? 1); p++) {
          token = (await ct.send(new LookupEventsCommand({ ...input, NextToken: token }))).NextToken;
          if (!token) break;
        }
        const t0 = performance.now();
        const out = await ct.send(new LookupEventsCommand({ ...input, NextToken: token }));
        times.push(performance.now() - t0);
        results += out.Events!.length;
      }
      times.sort((a, b) => a - b);
      const row = `| ${scenario.name} | ${samples} | ${(results / samples).toFixed(1)} | ${percentile(times, 50).toFixed(2)} | ${percentile(times, 99).toFixed(2)} | ${times.at(-1)!.toFixed(2)} |`;
      rows.push(row);
      console.log(row);
    }
  } finally {
    ct.destroy();
    await server.close();
  }

  // The same lookups against the store alone: what the indexes cost, without HTTP, SigV4 and recording.
  const direct = await openSqliteStore(dbFile);
  const storeRows: string[] = [];
  const filters: Array<[string, () => EventFilter | undefined]> = [
    ["no filter", () => undefined],
    ["EventName", () => ({ key: "EventName", value: pick(names) })],
    ["EventSource", () => ({ key: "EventSource", value: pick(["servicediscovery.amazonaws.com", "cloudtrail.amazonaws.com"]) })],
    ["ReadOnly", () => ({ key: "ReadOnly", value: rand() < 0.5 })],
    ["Username", () => ({ key: "Username", value: pick(USERS) })],
    ["AccessKeyId", () => ({ key: "AccessKeyId", value: pick(KEYS) })],
    ["EventId", () => ({ key: "EventId", value: pick(eventIds) })],
    ["ResourceType", () => ({ key: "ResourceType", value: pick(resourceTypes) })],
    ["ResourceName", () => ({ key: "ResourceName", value: pick(SERVICES) })],
  ];
  try {
    for (const [name, filter] of filters) {
      const times: number[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        const { StartTime, EndTime } = window(DAY)();
        const query = { accountId: account.accountId, region: "us-east-1", from: i % 2 ? StartTime : new Date(now - 90 * DAY), to: i % 2 ? EndTime : new Date(now), limit: 50, filter: filter() };
        const t0 = performance.now();
        await direct.transaction((tx) => tx.events.lookup(query));
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      const row = `| ${name} | ${SAMPLES} | ${percentile(times, 50).toFixed(2)} | ${percentile(times, 99).toFixed(2)} | ${times.at(-1)!.toFixed(2)} |`;
      storeRows.push(row);
      console.log(`store: ${row}`);
    }
  } finally {
    await direct.close();
  }

  console.log(`\nLookupEvents through the SDK, ${TOTAL} events, node ${process.version}\n`);
  console.log("| lookup | samples | avg events returned | p50 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|---:|");
  console.log(rows.join("\n"));
  console.log("\nStore only (EventRepo.lookup, 50 per page; half default window, half random 1-day windows)\n");
  console.log("| filter | samples | p50 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|");
  console.log(storeRows.join("\n"));
  if (chosenDir) console.log(`\ndata dir: ${dataDir} (kept; rerun with --data-dir ${dataDir} --reuse)`);
  else fs.rmSync(dataDir, { recursive: true, force: true });
}

await main();
