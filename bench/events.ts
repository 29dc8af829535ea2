/**
 * The event bus: what matching and the outbox cost a recorded call, how fast the worker delivers, and the latency a
 * management call gains when its bus has 100 rules.
 *
 *   node dist/bench/events.js [--events 20000] [--deliveries 3000] [--seconds 5] [--rounds 3]
 *
 * 1. In process, on a fresh SQLite store: CloudTrail records (real CreateHttpNamespace records from buildEvent)
 *    written 100 per transaction, with a plain append (the anchor), and through the feed with 100 live rules that
 *    none match, and with 100 rules of which one matches (one outbox row per event), the rules already in memory.
 *    Wall time and CPU time.
 * 2. The delivery worker draining `--deliveries` outbox rows to a loopback receiver in this process.
 * 3. A server on a worker thread: CreateHttpNamespace from one client, p50/p99, with no rule, with 100 rules that
 *    do not match, and with 100 rules of which one matches; runs alternate, median of the rounds.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { CreateApiDestinationCommand, CreateConnectionCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import { CreateHttpNamespaceCommand, ServiceDiscoveryClient } from "@aws-sdk/client-servicediscovery";
import { buildEvent } from "../src/audit/record.js";
import { SecretBox } from "../src/auth/secret-box.js";
import { DEFAULT_LIMITS } from "../src/config.js";
import { EventDeliveryWorker } from "../src/event-delivery/worker.js";
import { HealthCheckTargets } from "../src/health/target-rule.js";
import { EventFeed } from "../src/services/events/feed.js";
import { RuleCache } from "../src/services/events/rule-cache.js";
import { servicediscoveryApi } from "../src/services/servicediscovery/index.js";
import { openSqliteStore } from "../src/store/sqlite/open.js";
import type { StoredEvent } from "../src/store/records.js";
import { benchAccount, benchDataDir, benchFlags, closedLoop, startBenchServer, type LoopFigures } from "./support.js";

const flags = benchFlags({ events: "20000", deliveries: "3000", seconds: "5", rounds: "3" });
const EVENTS = Number(flags.events);
const DELIVERIES = Number(flags.deliveries);
const accountId = "111122223333";
const region = "us-east-1";
const principal = { type: "Root" as const, accountId, arn: `arn:aws:iam::${accountId}:root`, principalId: accountId, accessKeyId: "AKIABENCHEVENTS00001" };

function record(i: number): StoredEvent {
  return buildEvent(
    { requestId: randomUUID(), sourceIp: "10.1.2.3", userAgent: "aws-sdk-js/3.1137.0" },
    { api: servicediscoveryApi, operation: "CreateHttpNamespace", principal, region, input: { Name: `ns-${i}`, CreatorRequestId: randomUUID() }, output: { OperationId: randomUUID() }, resources: [], eventTime: new Date() },
  );
}

/** A pattern on one Cloud Map operation's CloudTrail events. */
const onOperation = (name: string) => JSON.stringify({ source: ["aws.servicediscovery"], "detail-type": ["AWS API Call via CloudTrail"], detail: { eventName: [name] } });

/** A store with `rules` rules on the default bus (the first matching CreateHttpNamespace when `oneMatches`), each with an API destination target. */
async function storeWithRules(label: string, rules: number, oneMatches: boolean, endpoint = "http://127.0.0.1:9/") {
  const dataDir = benchDataDir(label);
  const store = await openSqliteStore(path.join(dataDir, "cairn.db"));
  const box = SecretBox.open(dataDir);
  const scope = { accountId, region, eventBusName: "default" };
  const connectionArn = `arn:aws:events:${region}:${accountId}:connection/c/${randomUUID()}`;
  const destinationArn = `arn:aws:events:${region}:${accountId}:api-destination/d/${randomUUID()}`;
  await store.transaction(async (tx) => {
    await tx.eventConnections.insertConnection({ accountId, region, name: "c", arn: connectionArn, authorizationType: "API_KEY", state: "AUTHORIZED", authPublic: {}, authSealed: box.seal(JSON.stringify({ ApiKeyAuthParameters: { ApiKeyName: "k", ApiKeyValue: "v" } })), createdAt: 0, modifiedAt: 0 });
    await tx.eventConnections.insertDestination({ accountId, region, name: "d", arn: destinationArn, connectionArn, invocationEndpoint: endpoint, httpMethod: "POST", rateLimitPerSecond: 1_000_000, state: "ACTIVE", createdAt: 0, modifiedAt: 0 });
    for (let r = 0; r < rules; r++) {
      const name = `rule-${r}`;
      await tx.eventRules.put({ ...scope, name, arn: `arn:aws:events:${region}:${accountId}:rule/${name}`, eventPattern: onOperation(oneMatches && r === 0 ? "CreateHttpNamespace" : `Other${r}`), state: "ENABLED", createdBy: accountId, createdAt: 0 });
      await tx.eventRules.putTarget(scope, name, { Id: "t", Arn: destinationArn });
    }
  });
  return { store, box, dataDir };
}

type Mode = "plain append" | "100 rules, none match" | "100 rules, one matches";

async function recordingRun(mode: Mode): Promise<{ perSecond: number; cpuMicros: number; outbox: number }> {
  const { store, dataDir } = await storeWithRules(`events-${mode.replace(/\W+/g, "-")}`, mode === "plain append" ? 0 : 100, mode === "100 rules, one matches");
  const feed = new EventFeed(new RuleCache());
  const events = Array.from({ length: EVENTS }, (_, i) => record(i));
  // Steady state: the bus's rules are in memory (a cold bus is read once per call until a transaction commits).
  await store.transaction((tx) => feed.record(tx, record(-1)));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < EVENTS; i += 100) {
    await store.transaction(async (tx) => {
      for (const e of events.slice(i, i + 100)) await (mode === "plain append" ? tx.events.append(e) : feed.record(tx, e));
    });
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const outbox = await store.transaction((tx) => tx.eventOutbox.count());
  await store.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  return { perSecond: EVENTS / seconds, cpuMicros: (cpu.user + cpu.system) / EVENTS, outbox: outbox - (mode === "100 rules, one matches" ? 1 : 0) };
}

async function deliveryRun(): Promise<number> {
  let received = 0;
  const receiver = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      received++;
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`;
  const { store, box, dataDir } = await storeWithRules("events-delivery", 1, true, endpoint);
  const feed = new EventFeed(new RuleCache());
  for (let i = 0; i < DELIVERIES; i += 100) {
    await store.transaction(async (tx) => {
      for (let j = i; j < Math.min(DELIVERIES, i + 100); j++) await feed.record(tx, record(j));
    });
  }
  const worker = new EventDeliveryWorker({ store, box, targets: new HealthCheckTargets({ allowed: ["127.0.0.0/8"], ownPorts: () => [] }), mayRun: () => true, log: () => undefined });
  const t0 = performance.now();
  while ((await store.transaction((tx) => tx.eventOutbox.count())) > 0) await worker.cycle();
  const seconds = (performance.now() - t0) / 1000;
  await store.close();
  await new Promise((resolve) => receiver.close(resolve));
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (received < DELIVERIES) throw new Error(`only ${received} of ${DELIVERIES} delivered`);
  return DELIVERIES / seconds;
}

type CallMode = "no rule" | "100 rules, none match" | "100 rules, one matches";

async function callRun(mode: CallMode, seconds: number): Promise<LoopFigures> {
  const account = benchAccount();
  const dataDir = benchDataDir("events-calls");
  const receiver = http.createServer((req, res) => req.resume().on("end", () => res.writeHead(200).end()));
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const server = await startBenchServer({
    dataDir,
    store: `sqlite:${path.join(dataDir, "cairn.db")}`,
    bootstrap: account,
    healthCheckTargets: ["127.0.0.0/8"],
    limits: { ...DEFAULT_LIMITS, namespacesPerRegion: 1_000_000 },
  });
  const client = { endpoint: server.url, region, credentials: { accessKeyId: account.accessKeyId, secretAccessKey: account.secretAccessKey }, maxAttempts: 1 };
  const sd = new ServiceDiscoveryClient({ ...client, disableHostPrefix: true });
  const eb = new EventBridgeClient(client);
  try {
    if (mode !== "no rule") {
      const { ConnectionArn } = await eb.send(new CreateConnectionCommand({ Name: "c", AuthorizationType: "API_KEY", AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: "k", ApiKeyValue: "v" } } }));
      const { ApiDestinationArn } = await eb.send(
        new CreateApiDestinationCommand({ Name: "d", ConnectionArn, InvocationEndpoint: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`, HttpMethod: "POST" }),
      );
      for (let r = 0; r < 100; r++) {
        const matches = mode === "100 rules, one matches" && r === 0;
        await eb.send(new PutRuleCommand({ Name: `rule-${r}`, EventPattern: onOperation(matches ? "CreateHttpNamespace" : `Other${r}`) }));
        await eb.send(new PutTargetsCommand({ Rule: `rule-${r}`, Targets: [{ Id: "t", Arn: ApiDestinationArn }] }));
      }
    }
    let n = 0;
    return await closedLoop(1, seconds, () => sd.send(new CreateHttpNamespaceCommand({ Name: `n-${n++}` })));
  } finally {
    sd.destroy();
    eb.destroy();
    await server.close();
    await new Promise((resolve) => receiver.close(resolve));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`node ${process.version}; ${EVENTS} records, ${DELIVERIES} deliveries, ${flags.rounds} rounds of ${flags.seconds} s`);

// 1. Recording with the feed.
await recordingRun("plain append"); // JIT warm-up, discarded
const recorded: Record<Mode, { perSecond: number[]; cpu: number[]; outbox: number }> = {
  "plain append": { perSecond: [], cpu: [], outbox: 0 },
  "100 rules, none match": { perSecond: [], cpu: [], outbox: 0 },
  "100 rules, one matches": { perSecond: [], cpu: [], outbox: 0 },
};
for (let r = 0; r < Number(flags.rounds); r++) {
  for (const mode of Object.keys(recorded) as Mode[]) {
    const res = await recordingRun(mode);
    recorded[mode].perSecond.push(res.perSecond);
    recorded[mode].cpu.push(res.cpuMicros);
    recorded[mode].outbox = res.outbox;
  }
}
const anchor = median(recorded["plain append"].perSecond);
for (const [mode, r] of Object.entries(recorded)) {
  const rate = median(r.perSecond);
  console.log(`record, ${mode}: ${rate.toFixed(0)} events/s (${(rate / anchor).toFixed(2)}× plain), ${median(r.cpu).toFixed(1)} µs CPU/event, ${r.outbox} outbox rows`);
}

// 2. Delivery.
const delivered = await deliveryRun();
console.log(`deliver to a loopback receiver: ${delivered.toFixed(0)} deliveries/s (${(delivered / anchor).toFixed(3)}× plain recording)`);

// 3. A management call's latency.
await callRun("no rule", 1); // warm-up, discarded
const calls: Record<CallMode, LoopFigures[]> = { "no rule": [], "100 rules, none match": [], "100 rules, one matches": [] };
for (let r = 0; r < Number(flags.rounds); r++) {
  for (const mode of Object.keys(calls) as CallMode[]) calls[mode].push(await callRun(mode, Number(flags.seconds)));
}
const base = median(calls["no rule"].map((f) => f.p50));
for (const [mode, figures] of Object.entries(calls)) {
  const p50 = median(figures.map((f) => f.p50));
  console.log(`CreateHttpNamespace, 1 client, ${mode}: p50 ${p50.toFixed(2)} ms (${(p50 / base).toFixed(2)}× no rule), p99 ${median(figures.map((f) => f.p99)).toFixed(2)} ms, ${median(figures.map((f) => f.rps)).toFixed(0)} req/s`);
}
