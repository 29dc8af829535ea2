/**
 * RegisterInstance throughput and latency as users' clients would load it: `cairn serve` in its own process
 * (SQLite, recording on, `synchronous = FULL`), wrk in its own process replaying pre-signed, unique requests.
 *
 *   npm run build && node dist/bench/writes.js [--connections 64] [--duration 15] [--warmup 3] [--rate 5000] [--services 100] [--profile DIR] [--store URL [--nodes N]]
 *
 * Setup: `--services` HTTP namespaces with one service each (quotas raised through CAIRN_LIMIT_*), then
 * `rate × (warmup + duration)` RegisterInstance requests, each a new instance id, spread round-robin over the
 * services and signed with SigV4 (valid 15 minutes). wrk (`apt-get install wrk`) sends each request exactly
 * once (wrkReplay in bench/wrk.ts): a warm-up run, then the measured run on requests never sent before.
 * `--profile DIR` writes a V8 CPU profile of the Cairn process. `--store URL` runs Cairn on that store (an empty
 * PostgreSQL database, `postgres://…`) instead of SQLite in its data dir; with `--nodes N`, N nodes on it, each
 * loaded by a wrk of its own with its share of the connections and of the requests (signed for its address): the
 * rate is theirs summed, the latencies the highest of the nodes'.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { CreateHttpNamespaceCommand, CreateServiceCommand, GetOperationCommand, ServiceDiscoveryClient } from "@aws-sdk/client-servicediscovery";
import { NodeSha256 } from "../test/support/node-sha256.js";
import { CLOUD_MAP_TARGET } from "../test/support/raw.js";
import { benchFlags, spawnCairn } from "./support.js";
import { wrkReplay } from "./wrk.js";

const flags = benchFlags({ connections: "64", duration: "15", warmup: "3", rate: "5000", services: "100", threads: "2", "log-level": "warn", profile: "", store: "", nodes: "1" });
const connections = Number(flags.connections);
const duration = Number(flags.duration);
const warmup = Number(flags.warmup);
const rate = Number(flags.rate);
const serviceCount = Number(flags.services);
const nodeCount = Number(flags.nodes);
if (nodeCount > 1 && !flags.store) throw new Error("--nodes needs --store: nodes share a PostgreSQL store");

async function setupServices(sd: ServiceDiscoveryClient): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < serviceCount; i++) {
    const { OperationId } = await sd.send(new CreateHttpNamespaceCommand({ Name: `bench-${i}` }));
    const namespaceId = (await sd.send(new GetOperationCommand({ OperationId }))).Operation!.Targets!.NAMESPACE!;
    ids.push((await sd.send(new CreateServiceCommand({ Name: "api", NamespaceId: namespaceId }))).Service!.Id!);
  }
  return ids;
}

/** Raw HTTP/1.1 RegisterInstance requests, NUL-separated, as replay.lua reads them. */
async function signRequests(port: number, signer: SignatureV4, services: string[], from: number, count: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (let n = from; n < from + count; n++) {
    const body = JSON.stringify({
      ServiceId: services[n % services.length],
      InstanceId: `i-${n.toString(36).padStart(8, "0")}`,
      Attributes: { AWS_INSTANCE_IPV4: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`, AWS_INSTANCE_PORT: "8080", stage: "prod" },
    });
    const request = new HttpRequest({
      method: "POST",
      protocol: "http:",
      hostname: "127.0.0.1",
      port,
      path: "/",
      headers: { host: `127.0.0.1:${port}`, "content-type": "application/x-amz-json-1.1", "x-amz-target": `${CLOUD_MAP_TARGET}.RegisterInstance` },
      body,
    });
    const signed = await signer.sign(request);
    const head = Object.entries(signed.headers).map(([k, v]) => `${k}: ${v}\r\n`).join("");
    parts.push(Buffer.from(`POST / HTTP/1.1\r\n${head}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}\0`));
  }
  return Buffer.concat(parts);
}

/** CPU seconds (user + system) the process has used so far. */
function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

process.env.CAIRN_LIMIT_NAMESPACES_PER_REGION = String(serviceCount + 10);
process.env.CAIRN_LIMIT_INSTANCES_PER_SERVICE = "1000000";
process.env.CAIRN_LIMIT_INSTANCES_PER_NAMESPACE = "1000000";
const serve = {
  args: ["--log-level", flags["log-level"], ...(flags.store ? ["--store", flags.store] : [])],
  nodeArgs: flags.profile ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(flags.profile)}`] : [],
};
const first = await spawnCairn(serve);
const nodes = [first, ...(await Promise.all(Array.from({ length: nodeCount - 1 }, () => spawnCairn({ ...serve, siblingOf: first }))))];
const work = fs.mkdtempSync(path.join(os.tmpdir(), "cairn-bench-writes-"));
try {
  const sd = new ServiceDiscoveryClient({ endpoint: first.url, region: "us-east-1", credentials: first.credentials });
  const services = await setupServices(sd);
  const signer = new SignatureV4({ credentials: first.credentials, region: "us-east-1", service: "servicediscovery", sha256: NodeSha256 });
  // Each node's share of the requests, signed for its address: the warm-up's, then the measured run's.
  const perNode = { warm: Math.ceil((rate * warmup) / nodeCount), measure: Math.ceil((rate * duration) / nodeCount) };
  const files = await Promise.all(
    nodes.map(async (node, k) => {
      const warm = path.join(work, `warmup-${k}.http`);
      const measure = path.join(work, `measure-${k}.http`);
      const base = k * (perNode.warm + perNode.measure);
      fs.writeFileSync(warm, await signRequests(node.port, signer, services, base, perNode.warm));
      fs.writeFileSync(measure, await signRequests(node.port, signer, services, base + perNode.warm, perNode.measure));
      return { warm, measure };
    }),
  );
  const load = () => os.loadavg().map((l) => l.toFixed(2)).join(" ");
  process.stderr.write(
    `cairn ${nodes.map((n) => n.url).join(", ")}: ${serviceCount} services, ${connections} connections, ${warmup} s warm-up + ${duration} s; load average ${load()}\n`,
  );
  const replay = async (which: "warm" | "measure", seconds: number) => {
    const each = await Promise.all(
      nodes.map((node, k) => wrkReplay(node.url, { connections: Math.ceil(connections / nodeCount), seconds, threads: Number(flags.threads) }, files[k]![which])),
    );
    return {
      requestsPerSecond: each.reduce((sum, f) => sum + f.requestsPerSecond, 0),
      requests: each.reduce((sum, f) => sum + f.requests, 0),
      p50: Math.max(...each.map((f) => f.p50)),
      p99: Math.max(...each.map((f) => f.p99)),
      max: Math.max(...each.map((f) => f.max)),
      non2xx: each.reduce((sum, f) => sum + f.non2xx, 0),
      errors: each.reduce((sum, f) => sum + f.errors, 0),
      unsent: each.reduce((sum, f) => sum + f.unsent, 0),
    };
  };
  const cpu = () => nodes.reduce((sum, node) => sum + cpuSeconds(node.pid), 0);
  if (warmup > 0) await replay("warm", warmup);
  const cpuBefore = cpu();
  const f = await replay("measure", duration);
  const cpuPerRequest = ((cpu() - cpuBefore) / f.requests) * 1e6;
  const report = [
    `node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}; load average after: ${load()}`,
    "",
    "| RegisterInstance | requests/s | p50 | p99 | max | requests | non-2xx | errors | unsent (ran out) | server CPU per request |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    `| ${nodeCount > 1 ? `${nodeCount} nodes, ` : ""}${connections} connections, ${duration} s | ${Math.round(f.requestsPerSecond).toLocaleString("en-US")} | ${f.p50.toFixed(1)} ms | ${f.p99.toFixed(1)} ms | ${f.max.toFixed(1)} ms | ${f.requests} | ${f.non2xx} | ${f.errors} | ${f.unsent} | ${cpuPerRequest.toFixed(0)} µs |`,
  ].join("\n");
  process.stdout.write(report + "\n");
  if (f.non2xx + f.errors > 0 || f.unsent > 0) process.exitCode = 1;
} finally {
  await Promise.all(nodes.map((node) => node.stop()));
  for (const node of nodes) fs.rmSync(node.dataDir, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
}
