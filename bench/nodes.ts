/**
 * RegisterInstance and DiscoverInstances on several nodes sharing one PostgreSQL (or, for comparison, one node on
 * SQLite), through the real CLI and the official SDK, plus how long a registration through one node takes to be
 * discoverable through another.
 *
 *   npm run build && node dist/bench/nodes.js [--store postgres|sqlite] [--nodes 3] [--seconds 10]
 *                                             [--concurrency 16] [--connections 64]
 *
 * PostgreSQL: CAIRN_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test); the benchmark creates its
 * own database and drops it afterwards. Clients and connections are spread evenly over the nodes.
 */
import os from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import autocannon from "autocannon";
import {
  CreateHttpNamespaceCommand,
  CreateServiceCommand,
  DiscoverInstancesCommand,
  GetOperationCommand,
  RegisterInstanceCommand,
  ServiceDiscoveryClient,
} from "@aws-sdk/client-servicediscovery";
import { startCairn, type CairnProcess } from "../test/support/cairn-process.js";
import { startCluster } from "../test/support/cluster.js";
import { signedCloudMapRequest } from "../test/support/raw.js";
import { benchFlags, closedLoop, percentile } from "./support.js";

const flags = benchFlags({ store: "postgres", nodes: "1", seconds: "10", concurrency: "16", connections: "64" });
const nodeCount = Number(flags.nodes);
const seconds = Number(flags.seconds);
const concurrency = Number(flags.concurrency);
const connections = Number(flags.connections);
const env = { CAIRN_LIMIT_INSTANCES_PER_SERVICE: "1000000000", CAIRN_LIMIT_INSTANCES_PER_NAMESPACE: "1000000000" };

function client(node: CairnProcess): ServiceDiscoveryClient {
  return new ServiceDiscoveryClient({ endpoint: node.url, region: "us-east-1", credentials: node.credentials, disableHostPrefix: true, maxAttempts: 1 });
}

async function registerLoad(clients: ServiceDiscoveryClient[], namespaceId: string) {
  const services: string[] = [];
  for (let i = 0; i < concurrency; i++) {
    const { Service } = await clients[i % clients.length]!.send(new CreateServiceCommand({ Name: `load-${i}`, NamespaceId: namespaceId }));
    services.push(Service!.Id!);
  }
  let n = 0;
  return closedLoop(concurrency, seconds, (worker) => {
    const i = n++;
    return clients[worker % clients.length]!.send(
      new RegisterInstanceCommand({
        ServiceId: services[worker]!,
        InstanceId: `i-${i}`,
        Attributes: { AWS_INSTANCE_IPV4: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, AWS_INSTANCE_PORT: "8080" },
      }),
    );
  });
}

async function discoverLoad(nodes: CairnProcess[], clients: ServiceDiscoveryClient[], namespaceId: string) {
  const { Service } = await clients[0]!.send(new CreateServiceCommand({ Name: "api", NamespaceId: namespaceId }));
  for (let i = 0; i < 100; i++) {
    await clients[i % clients.length]!.send(
      new RegisterInstanceCommand({
        ServiceId: Service!.Id!,
        InstanceId: `api-${i}`,
        Attributes: { AWS_INSTANCE_IPV4: `10.0.0.${i}`, AWS_INSTANCE_PORT: "8080", stage: "prod", version: `1.4.${i % 7}`, zone: `us-east-1${"abc"[i % 3]}` },
      }),
    );
  }
  await sleep(500);
  const perNode = Math.max(1, Math.round(connections / nodes.length));
  const runs = await Promise.all(
    nodes.map(async (node) => {
      const signed = await signedCloudMapRequest(node.url, node.credentials, "DiscoverInstances", { NamespaceName: "bench", ServiceName: "api" }, { host: `data-127.0.0.1:${node.port}` });
      return autocannon({ url: node.url, connections: perNode, duration: seconds, method: "POST", headers: signed.headers, body: signed.body.toString() });
    }),
  );
  return {
    rps: runs.reduce((sum, r) => sum + r.requests.average, 0),
    p50: Math.max(...runs.map((r) => r.latency.p50)),
    p99: Math.max(...runs.map((r) => r.latency.p99)),
    failures: runs.reduce((sum, r) => sum + r.non2xx + r.errors + r.timeouts, 0),
  };
}

/** Register through node 1, poll DiscoverInstances on node 2 until the instance is there: 50 samples. */
async function propagation(clients: ServiceDiscoveryClient[], namespaceId: string) {
  const { Service } = await clients[0]!.send(new CreateServiceCommand({ Name: "follow", NamespaceId: namespaceId }));
  await sleep(200);
  const delays: number[] = [];
  for (let i = 0; i < 50; i++) {
    await clients[0]!.send(new RegisterInstanceCommand({ ServiceId: Service!.Id!, InstanceId: `f-${i}`, Attributes: { AWS_INSTANCE_IPV4: "10.1.1.1" } }));
    const t0 = performance.now();
    for (;;) {
      const out = await clients[1]!.send(new DiscoverInstancesCommand({ NamespaceName: "bench", ServiceName: "follow", MaxResults: 1000 }));
      if (out.Instances?.some((x) => x.InstanceId === `f-${i}`)) break;
      if (performance.now() - t0 > 5000) throw new Error("not propagated within 5 s");
    }
    delays.push(performance.now() - t0);
  }
  delays.sort((a, b) => a - b);
  return { p50: percentile(delays, 50), p99: percentile(delays, 99), max: delays[delays.length - 1]! };
}

const cluster =
  flags.store === "sqlite"
    ? await startCairn({ spawn: true, env }).then((node) => ({ nodes: [node], stop: async () => void (await node.stop()) }))
    : await startCluster(nodeCount, { env });
const clients = cluster.nodes.map(client);
try {
  const { OperationId } = await clients[0]!.send(new CreateHttpNamespaceCommand({ Name: "bench" }));
  const namespaceId = (await clients[0]!.send(new GetOperationCommand({ OperationId }))).Operation!.Targets!.NAMESPACE!;
  console.log(`${flags.store}, ${cluster.nodes.length} node(s), node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}`);
  const reg = await registerLoad(clients, namespaceId);
  console.log(`RegisterInstance, ${concurrency} clients, ${seconds} s: ${reg.rps.toFixed(0)} req/s, p50 ${reg.p50.toFixed(1)} ms, p99 ${reg.p99.toFixed(1)} ms, ${reg.errors} errors`);
  const disc = await discoverLoad(cluster.nodes, clients, namespaceId);
  console.log(`DiscoverInstances, ${connections} connections, ${seconds} s: ${disc.rps.toFixed(0)} req/s, p50 ${disc.p50} ms, p99 ${disc.p99} ms, ${disc.failures} failures`);
  if (cluster.nodes.length > 1) {
    const p = await propagation(clients, namespaceId);
    console.log(`registered through node 1 -> discoverable through node 2: p50 ${p.p50.toFixed(1)} ms, p99 ${p.p99.toFixed(1)} ms, max ${p.max.toFixed(1)} ms`);
  }
} finally {
  for (const c of clients) c.destroy();
  await cluster.stop();
}
