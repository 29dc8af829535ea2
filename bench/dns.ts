/**
 * DNS queries per second and latency against a 100-instance service, over UDP on loopback.
 *
 *   npm run build && node dist/bench/dns.js [--duration 10] [--warmup 2] [--inflight 64] [--sockets 4] [--instances 100] [--profile DIR]
 *
 * Setup: `cairn serve` (the real CLI, its own process) with DNS on a free port and rate limiting off (all the
 * load comes from one address); one private DNS namespace,
 * one A service and one SRV service (MULTIVALUE), each with `--instances` instances registered through the
 * SDK. So every answer holds 8 records chosen at random out of 100.
 *
 * Load: this process keeps `--inflight` queries outstanding over `--sockets` UDP sockets; each answer is
 * timed (send to receive) and immediately replaced by the next query. Queries carry EDNS0 with a 1232-byte
 * UDP size, as stub resolvers and recursors do today, so the SRV answer (8 targets) fits in one datagram.
 * A query unanswered after 1 s is counted as lost and sent again. Load generator and server share the
 * machine's cores. `--profile DIR` writes a V8 CPU profile of the Cairn process.
 *
 * In the same run, `bench/bare-dns-server.js`: a bare node:dgram server sending back one of Cairn's own
 * answers for each query, doing nothing else: the ceiling for Node's UDP on this machine.
 */
import dgram from "node:dgram";
import os from "node:os";
import path from "node:path";
import * as packet from "dns-packet";
import { CreatePrivateDnsNamespaceCommand, CreateServiceCommand, GetOperationCommand, RegisterInstanceCommand, ServiceDiscoveryClient } from "@aws-sdk/client-servicediscovery";
import { cloudMap } from "../test/support/clients.js";
import { startCairnWithDns } from "../test/support/dns.js";
import { benchFlags, percentile, startBare } from "./support.js";

const flags = benchFlags({ duration: "10", warmup: "2", inflight: "64", sockets: "4", instances: "100", profile: "" });
const duration = Number(flags.duration);
const warmup = Number(flags.warmup);
const inflight = Number(flags.inflight);
const socketCount = Number(flags.sockets);
const instanceCount = Number(flags.instances);
const ZONE = "bench.internal";
const LOST_MS = 1000;

/** One query over UDP: Cairn's answer bytes, for the bare server to repeat. */
function sampleAnswer(port: number, template: Buffer): Promise<Buffer> {
  const socket = dgram.createSocket("udp4");
  return new Promise((resolve) => {
    socket.once("message", (msg) => {
      socket.close();
      resolve(msg);
    });
    socket.send(template, port, "127.0.0.1");
  });
}

async function setup(sd: ServiceDiscoveryClient): Promise<void> {
  const { OperationId } = await sd.send(new CreatePrivateDnsNamespaceCommand({ Name: ZONE, Vpc: "vpc-bench" }));
  const namespaceId = (await sd.send(new GetOperationCommand({ OperationId }))).Operation!.Targets!.NAMESPACE!;
  for (const [name, type] of [["api", "A"], ["_api._tcp", "SRV"]] as const) {
    const { Service } = await sd.send(
      new CreateServiceCommand({ Name: name, NamespaceId: namespaceId, DnsConfig: { RoutingPolicy: "MULTIVALUE", DnsRecords: [{ Type: type, TTL: 60 }] } }),
    );
    for (let i = 0; i < instanceCount; i++) {
      await sd.send(
        new RegisterInstanceCommand({
          ServiceId: Service!.Id!,
          InstanceId: `api-${String(i).padStart(3, "0")}`,
          Attributes: { AWS_INSTANCE_IPV4: `10.0.${i >> 8}.${i & 255}`, AWS_INSTANCE_PORT: "8080" },
        }),
      );
    }
  }
}

interface Figures {
  qps: number;
  p50: number;
  p99: number;
  answered: number;
  lost: number;
  bytes: number;
  records: number;
}

function query(name: string, type: "A" | "SRV"): Buffer {
  return packet.encode({
    type: "query",
    id: 0,
    flags: packet.RECURSION_DESIRED,
    questions: [{ name, type }],
    additionals: [{ name: ".", type: "OPT", udpPayloadSize: 1232, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }],
  });
}

/** Keeps `inflight` queries outstanding for `seconds`; IDs index the send times. */
async function load(port: number, template: Buffer, seconds: number): Promise<Figures> {
  const sockets = await Promise.all(
    Array.from({ length: socketCount }, () => new Promise<dgram.Socket>((resolve) => {
      const s = dgram.createSocket("udp4");
      s.bind(0, "127.0.0.1", () => resolve(s));
    })),
  );
  const sentAt = new Float64Array(65536);
  const latencies: number[] = [];
  let lost = 0;
  let bytes = 0;
  let records = 0;
  let nextId = 1;
  let running = true;
  const send = (socket: dgram.Socket): void => {
    const id = nextId;
    nextId = nextId === 65535 ? 1 : nextId + 1;
    const msg = Buffer.from(template);
    msg.writeUInt16BE(id, 0);
    sentAt[id] = performance.now();
    socket.send(msg, port, "127.0.0.1");
  };
  for (const socket of sockets) {
    socket.on("message", (msg) => {
      const id = msg.readUInt16BE(0);
      const started = sentAt[id]!;
      if (started === 0) return;
      sentAt[id] = 0;
      latencies.push(performance.now() - started);
      bytes = msg.length;
      records = msg.readUInt16BE(6);
      if (running) send(socket);
    });
  }
  const sweep = setInterval(() => {
    const now = performance.now();
    for (let id = 1; id < 65536; id++) {
      if (sentAt[id]! !== 0 && now - sentAt[id]! > LOST_MS) {
        sentAt[id] = 0;
        lost++;
        if (running) send(sockets[id % socketCount]!);
      }
    }
  }, 250);
  const started = performance.now();
  for (let i = 0; i < inflight; i++) send(sockets[i % socketCount]!);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  running = false;
  const elapsed = (performance.now() - started) / 1000;
  clearInterval(sweep);
  await new Promise((resolve) => setTimeout(resolve, 100));
  for (const s of sockets) s.close();
  latencies.sort((a, b) => a - b);
  return { qps: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), answered: latencies.length, lost, bytes, records };
}

const cairn = await startCairnWithDns({ spawn: true, args: ["--dns-rate-limit", "0"], nodeArgs: flags.profile ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(flags.profile)}`] : [] });
try {
  await setup(cloudMap(cairn));
  const rows: string[] = [];
  const measure = async (port: number, template: Buffer): Promise<Figures> => {
    if (warmup > 0) await load(port, template, warmup);
    return load(port, template, duration);
  };
  const row = (label: string, f: Figures) =>
    `| ${label} | ${Math.round(f.qps).toLocaleString("en-US")} | ${f.p50.toFixed(2)} ms | ${f.p99.toFixed(2)} ms | ` +
    `${f.answered.toLocaleString("en-US")} | ${f.lost} | ${f.records} records, ${f.bytes} bytes |`;
  for (const [label, name, type] of [["A", `api.${ZONE}`, "A"], ["SRV", `_api._tcp.${ZONE}`, "SRV"]] as const) {
    const template = query(name, type);
    rows.push(row(`Cairn, ${label} \`${name}\``, await measure(cairn.dnsPort, template)));
    const bare = await startBare("bare-dns-server.js", (await sampleAnswer(cairn.dnsPort, template)).toString("hex"));
    rows.push(row(`bare node:dgram, same ${label} bytes (ceiling)`, await measure(bare.port, template)));
    await bare.stop();
  }
  process.stdout.write(
    [
      `node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${os.platform()} ${os.release()}`,
      `${instanceCount} instances per service, ${inflight} queries in flight over ${socketCount} UDP sockets, ${warmup} s warm-up + ${duration} s per type`,
      "",
      "| server, question | queries/s | p50 | p99 | answered | lost | answer |",
      "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
      ...rows,
    ].join("\n") + "\n",
  );
} finally {
  await cairn.stop();
}
