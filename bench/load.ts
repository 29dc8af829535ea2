/**
 * Load test: many concurrent SDK clients for a fixed time against `cairn serve`, on loopback only, mixing
 * writes (RegisterInstance / DeregisterInstance), discovery (DiscoverInstances) and LookupEvents, with
 * request logging at info (to a file) and AWS-shaped throttling on. Fails (exit 1) on any error other than
 * the intended throttling, or if the store holds a different number of CloudTrail events than the recorded
 * calls that were answered.
 *
 *   npm run build && node dist/bench/load.js [--clients 200] [--seconds 60] [--throttle 5]
 *
 * `--throttle` is the scale factor given to Cairn: at 5 × AWS's rates, Cloud Map changes are held to 100/s and
 * LookupEvents to 10/s, so both are throttled under this load; at 100 nothing is.
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import BetterSqlite3 from "better-sqlite3";
import { CloudTrailClient, LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import {
  CreateHttpNamespaceCommand,
  CreateServiceCommand,
  DeregisterInstanceCommand,
  DiscoverInstancesCommand,
  GetOperationCommand,
  RegisterInstanceCommand,
  ServiceDiscoveryClient,
} from "@aws-sdk/client-servicediscovery";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { benchFlags, percentile, spawnCairn } from "./support.js";

const flags = benchFlags({ clients: "200", seconds: "60", throttle: "5", services: "10" });
const CLIENTS = Number(flags.clients);
const SECONDS = Number(flags.seconds);
const SERVICES = Number(flags.services);
/** Each client keeps at most this many of its own instances registered (200 × 3 stays under the 1,000/service quota). */
const LIVE_PER_CLIENT = 3;

type Op = "RegisterInstance" | "DeregisterInstance" | "DiscoverInstances" | "LookupEvents";
const RECORDED: ReadonlySet<Op> = new Set(["RegisterInstance", "DeregisterInstance", "LookupEvents"]);

async function startServer() {
  const logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cairn-load-log-")), "cairn.log");
  const cairn = await spawnCairn({ args: ["--throttle", flags.throttle], logFile });
  return { ...cairn, dbFile: path.join(cairn.dataDir, "cairn.db"), logFile };
}

/** Server-side durations by operation, from the request log lines (arrival to answer, as Cairn measured them). */
function serverDurations(logFile: string): Map<string, number[]> {
  const byOperation = new Map<string, number[]>();
  for (const line of fs.readFileSync(logFile, "utf8").split("\n")) {
    if (!line.startsWith("{")) continue;
    const entry = JSON.parse(line) as { msg?: string; operation?: string; durationMs?: number };
    if (entry.msg !== "request" || entry.operation === undefined || entry.durationMs === undefined) continue;
    if (!byOperation.has(entry.operation)) byOperation.set(entry.operation, []);
    byOperation.get(entry.operation)!.push(entry.durationMs);
  }
  return byOperation;
}

function countEvents(dbFile: string): number {
  const db = new BetterSqlite3(dbFile, { readonly: true });
  try {
    return (db.prepare("SELECT count(*) AS n FROM events").get() as { n: number }).n;
  } finally {
    db.close();
  }
}

const server = await startServer();
const requestHandler = new NodeHttpHandler({ httpAgent: new http.Agent({ keepAlive: true, maxSockets: CLIENTS }) });
const common = { endpoint: server.url, region: "us-east-1", credentials: server.credentials, maxAttempts: 1, requestHandler };
const sd = new ServiceDiscoveryClient({ ...common, disableHostPrefix: true });
const ct = new CloudTrailClient(common);

const { OperationId } = await sd.send(new CreateHttpNamespaceCommand({ Name: "load" }));
const namespaceId = (await sd.send(new GetOperationCommand({ OperationId }))).Operation!.Targets!.NAMESPACE!;
const services: string[] = [];
for (let i = 0; i < SERVICES; i++) {
  services.push((await sd.send(new CreateServiceCommand({ Name: `svc-${i}`, NamespaceId: namespaceId, HealthCheckCustomConfig: {} }))).Service!.Id!);
}
// Let the setup's events commit, then count from here.
const eventsBefore = countEvents(server.dbFile);

const latencies = new Map<Op, number[]>();
const answered = new Map<Op, number>();
const throttled = new Map<Op, number>();
const errors = new Map<string, number>();
let recordedErrors = 0;
const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

async function client(n: number, until: number): Promise<void> {
  const serviceIndex = n % SERVICES;
  const ServiceId = services[serviceIndex]!;
  const live: string[] = [];
  let next = 0;
  while (performance.now() < until) {
    const roll = Math.random();
    const op: Op =
      roll < 0.3 ? (live.length >= LIVE_PER_CLIENT ? "DeregisterInstance" : "RegisterInstance") : roll < 0.45 ? (live.length > 0 ? "DeregisterInstance" : "RegisterInstance") : roll < 0.9 ? "DiscoverInstances" : "LookupEvents";
    const started = performance.now();
    try {
      if (op === "RegisterInstance") {
        const InstanceId = `c${n}-${next++}`;
        await sd.send(new RegisterInstanceCommand({ ServiceId, InstanceId, Attributes: { AWS_INSTANCE_IPV4: `10.0.${n % 250}.${next % 250}`, client: String(n) } }));
        live.push(InstanceId);
      } else if (op === "DeregisterInstance") {
        // Removed from the client's list only once deregistered: a throttled call leaves the instance registered.
        await sd.send(new DeregisterInstanceCommand({ ServiceId, InstanceId: live[0]! }));
        live.shift();
      } else if (op === "DiscoverInstances") {
        await sd.send(new DiscoverInstancesCommand({ NamespaceName: "load", ServiceName: `svc-${serviceIndex}`, HealthStatus: "ALL" }));
      } else {
        await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "RegisterInstance" }], MaxResults: 10 }));
      }
      bump(answered, op);
      if (!latencies.has(op)) latencies.set(op, []);
      latencies.get(op)!.push(performance.now() - started);
    } catch (error) {
      const name = (error as Error).name;
      if (name === "ThrottlingException" || name === "RequestLimitExceeded") {
        bump(throttled, op);
        continue;
      }
      bump(errors, `${op}: ${name}: ${(error as Error).message}`);
      // An AWS error answer to an authenticated call is recorded too (with its errorCode).
      if (RECORDED.has(op) && (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== undefined) recordedErrors++;
    }
  }
}

console.log(`${CLIENTS} clients for ${SECONDS} s against ${server.url} (throttle ×${flags.throttle}), node ${process.version}, ${os.cpus().length} CPUs`);
const started = performance.now();
await Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n, started + SECONDS * 1000)));
const elapsed = (performance.now() - started) / 1000;
const exitCode = await server.stop();
const eventsAfter = countEvents(server.dbFile);
requestHandler.destroy();

const inServerAll = serverDurations(server.logFile);
const rows: string[] = [];
let total = 0;
let recordedCalls = recordedErrors;
for (const op of ["RegisterInstance", "DeregisterInstance", "DiscoverInstances", "LookupEvents"] as const) {
  const sorted = (latencies.get(op) ?? []).sort((a, b) => a - b);
  const n = answered.get(op) ?? 0;
  total += n;
  if (RECORDED.has(op)) recordedCalls += n;
  const inServer = (inServerAll.get(op) ?? []).sort((a, b) => a - b);
  const ms = (values: number[]) => `${percentile(values, 50).toFixed(1)} | ${percentile(values, 99).toFixed(1)} | ${(values.at(-1) ?? NaN).toFixed(1)}`;
  rows.push(`| ${op} | ${n} | ${(n / elapsed).toFixed(0)} | ${throttled.get(op) ?? 0} | ${ms(sorted)} | ${ms(inServer)} |`);
}
console.log("\nclient: as the SDK saw it; server: from arrival to answer, from the request log (throttled answers included)");
console.log("\n| call | answered | per s | throttled | client p50 ms | p99 | max | server p50 ms | p99 | max |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
console.log(rows.join("\n"));
console.log(`\ntotal ${total} answered calls, ${(total / elapsed).toFixed(0)}/s; log ${(fs.statSync(server.logFile).size / 1e6).toFixed(1)} MB at ${server.logFile}`);
console.log(`events recorded during the run: ${eventsAfter - eventsBefore}; recorded calls answered (errors included): ${recordedCalls}; server exit code ${exitCode}`);

let failed = false;
if (errors.size > 0) {
  failed = true;
  console.log("\nerrors other than throttling:");
  for (const [what, n] of errors) console.log(`  ${n} × ${what}`);
}
if (eventsAfter - eventsBefore !== recordedCalls) {
  failed = true;
  console.log("\nFAIL: the event count differs from the recorded calls answered");
}
if (exitCode !== 0) failed = true;
console.log(failed ? "\nFAIL" : "\nOK: no errors other than intended throttling; one event per recorded call");
process.exit(failed ? 1 : 0);
