/**
 * What a large registry costs in memory: `cairn serve`'s resident set size (RSS) with 100,000 instances over 100
 * services, once the discovery view is loaded and again after DiscoverInstances load on every service.
 *
 *   npm run build && node dist/bench/memory.js [--instances 100000] [--services 100] [--seconds 15] [--warmup 3] [--connections 64]
 *
 * Registering 100,000 instances through the API takes a while, so the bench creates the namespace and the services
 * through the API, stops Cairn, writes the instances straight into its SQLite store through the store's own
 * `instances.put` (the rows RegisterInstance writes), and starts `cairn serve` again on that data dir: the view is
 * loaded from the store at start, as after any restart. Each instance carries AWS_INSTANCE_IPV4, AWS_INSTANCE_PORT and
 * 3 custom attributes, like bench/discover. The load is wrk (bench/wrk.ts) cycling through one pre-signed
 * DiscoverInstances call per service: a warm-up (each service's first call encodes its instances), then the
 * measured run. RSS and its peak (VmHWM) come from /proc/<pid>/status (Linux).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { CreateHttpNamespaceCommand, CreateServiceCommand, DiscoverInstancesCommand, GetOperationCommand, ServiceDiscoveryClient } from "@aws-sdk/client-servicediscovery";
import { openSqliteStore } from "../src/store/sqlite/open.js";
import { signedCloudMapRequest } from "../test/support/raw.js";
import { benchFlags, spawnCairn, type SpawnedCairn } from "./support.js";
import { wrk, type WrkRequest } from "./wrk.js";

const flags = benchFlags({ instances: "100000", services: "100", seconds: "15", warmup: "3", connections: "64" });
const instanceCount = Number(flags.instances);
const serviceCount = Number(flags.services);
const perService = Math.ceil(instanceCount / serviceCount);
const NAMESPACE = "memory";

function memoryOf(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb("VmRSS"), peak: kb("VmHWM") };
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const client = (cairn: SpawnedCairn) => new ServiceDiscoveryClient({ endpoint: cairn.url, region: "us-east-1", credentials: cairn.credentials, disableHostPrefix: true });
const serviceName = (s: number) => `svc-${String(s).padStart(3, "0")}`;

async function createServices(cairn: SpawnedCairn): Promise<{ namespaceId: string; serviceIds: string[] }> {
  const sd = client(cairn);
  const { OperationId } = await sd.send(new CreateHttpNamespaceCommand({ Name: NAMESPACE }));
  const op = await sd.send(new GetOperationCommand({ OperationId }));
  const namespaceId = op.Operation!.Targets!.NAMESPACE!;
  const serviceIds: string[] = [];
  for (let s = 0; s < serviceCount; s++) {
    const { Service } = await sd.send(new CreateServiceCommand({ Name: serviceName(s), NamespaceId: namespaceId }));
    serviceIds.push(Service!.Id!);
  }
  return { namespaceId, serviceIds };
}

/** The rows RegisterInstance writes, one transaction per service. */
async function seedInstances(dataDir: string, accountId: string, namespaceId: string, serviceIds: string[]): Promise<number> {
  const store = await openSqliteStore(path.join(dataDir, "cairn.db"));
  let written = 0;
  try {
    for (const [s, serviceId] of serviceIds.entries()) {
      const count = Math.min(perService, instanceCount - written);
      await store.transaction(async (tx) => {
        const now = new Date();
        for (let i = 0; i < count; i++) {
          const n = written + i;
          await tx.instances.put({
            serviceId,
            id: `i-${String(s).padStart(3, "0")}-${String(i).padStart(4, "0")}`,
            namespaceId,
            attributes: {
              AWS_INSTANCE_IPV4: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
              AWS_INSTANCE_PORT: "8080",
              stage: "prod",
              version: `1.4.${n % 7}`,
              zone: `us-east-1${"abc"[n % 3]}`,
            },
            createdByAccount: accountId,
            healthStatus: "UNKNOWN",
            createDate: now,
            updateDate: now,
          });
        }
        await tx.services.bumpRevision(serviceId, now.getTime());
      });
      written += count;
    }
  } finally {
    await store.close();
  }
  return written;
}

/** Instances DiscoverInstances returns over every service (each at most 1,000, the largest MaxResults). */
async function discoveredCount(cairn: SpawnedCairn): Promise<number> {
  const sd = client(cairn);
  let total = 0;
  for (let s = 0; s < serviceCount; s++) {
    const out = await sd.send(new DiscoverInstancesCommand({ NamespaceName: NAMESPACE, ServiceName: serviceName(s), MaxResults: 1000 }));
    total += out.Instances?.length ?? 0;
  }
  return total;
}

const first = await spawnCairn({ args: ["--log-level", "warn"] });
let cairn: SpawnedCairn | undefined;
try {
  const { namespaceId, serviceIds } = await createServices(first);
  const empty = memoryOf(first.pid);
  await first.stop();
  const t0 = performance.now();
  const seeded = await seedInstances(first.dataDir, first.accountId, namespaceId, serviceIds);
  const seedSeconds = (performance.now() - t0) / 1000;

  // Default settings (request logging at info), on the seeded data dir.
  const started = performance.now();
  cairn = await spawnCairn({ again: first });
  const startSeconds = (performance.now() - started) / 1000;
  const loaded = memoryOf(cairn.pid);
  await sleep(5000);
  const settled = memoryOf(cairn.pid);

  const requests: WrkRequest[] = [];
  for (let s = 0; s < serviceCount; s++) {
    const signed = await signedCloudMapRequest(cairn.url, cairn.credentials, "DiscoverInstances", { NamespaceName: NAMESPACE, ServiceName: serviceName(s) }, { host: `data-127.0.0.1:${cairn.port}` });
    requests.push({ headers: signed.headers, body: signed.body.toString() });
  }
  const load = (seconds: number) => wrk(cairn!.url, { connections: Number(flags.connections), seconds, requests });
  if (Number(flags.warmup) > 0) await load(Number(flags.warmup));
  const measured = await load(Number(flags.seconds));
  const afterLoad = memoryOf(cairn.pid);
  const discovered = await discoveredCount(cairn);
  const afterAll = memoryOf(cairn.pid);

  const row = (what: string, m: { rss: number; peak: number }) => `| ${what} | ${mb(m.rss)} | ${mb(m.peak)} |`;
  process.stdout.write(
    [
      `node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${os.totalmem() / 2 ** 30 | 0} GB; load average (1 min) ${os.loadavg()[0]!.toFixed(2)}`,
      `${seeded.toLocaleString("en-US")} instances over ${serviceCount} services written to the store in ${seedSeconds.toFixed(1)} s; cairn serve started on them in ${startSeconds.toFixed(1)} s`,
      `DiscoverInstances load after ${flags.warmup} s of warm-up: ${Math.round(measured.requestsPerSecond).toLocaleString("en-US")} req/s for ${flags.seconds} s over all ${serviceCount} services (p50 ${measured.p50.toFixed(2)} ms, p99 ${measured.p99.toFixed(2)} ms, ${measured.non2xx + measured.errors} non-2xx + errors); DiscoverInstances then returned ${discovered.toLocaleString("en-US")} instances`,
      "",
      "| cairn serve | RSS | peak RSS |",
      "| --- | ---: | ---: |",
      row(`${serviceCount} services, no instances`, empty),
      row(`${seeded.toLocaleString("en-US")} instances, just started (view loaded)`, loaded),
      row("5 s later, idle", settled),
      row(`after ${Number(flags.warmup) + Number(flags.seconds)} s of DiscoverInstances on every service`, afterLoad),
      row(`after DiscoverInstances of every instance (MaxResults 1000)`, afterAll),
    ].join("\n") + "\n",
  );
  if (discovered !== seeded || measured.non2xx + measured.errors > 0) process.exitCode = 1;
} finally {
  await cairn?.stop();
  fs.rmSync(first.dataDir, { recursive: true, force: true });
}
