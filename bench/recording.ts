/**
 * What CloudTrail recording costs a write: the same Cloud Map write at a fixed concurrency against a server with
 * recording on and with it off (an internal switch, not a CLI flag), alternating, several rounds.
 *
 *   node dist/bench/recording.js [--op RegisterInstance|CreateService|CreateHttpNamespace|GetNamespace]
 *                                [--seconds 10] [--concurrency 16] [--rounds 3]
 *
 * The server runs in-process (startServer) on a worker thread, on a fresh SQLite data dir per run.
 */
import {
  CreateHttpNamespaceCommand,
  CreateServiceCommand,
  GetNamespaceCommand,
  GetOperationCommand,
  RegisterInstanceCommand,
  ServiceDiscoveryClient,
} from "@aws-sdk/client-servicediscovery";
import fs from "node:fs";
import path from "node:path";
import { DEFAULT_LIMITS } from "../src/config.js";
import { servicediscoveryApi } from "../src/services/servicediscovery/index.js";
import { benchAccount, benchDataDir, benchFlags, closedLoop, startBenchServer, type LoopFigures } from "./support.js";

type Op = "RegisterInstance" | "CreateService" | "CreateHttpNamespace" | "GetNamespace";

const available = (name: string): boolean => name in servicediscoveryApi.operations;
const defaultOp: Op = available("RegisterInstance") ? "RegisterInstance" : available("CreateService") ? "CreateService" : "CreateHttpNamespace";
const flags = benchFlags({ op: defaultOp as string, seconds: "10", concurrency: "16", rounds: "3" });
const op = flags.op as Op;
const seconds = Number(flags.seconds);
const concurrency = Number(flags.concurrency);
const rounds = Number(flags.rounds);

async function namespaceId(sd: ServiceDiscoveryClient, name: string): Promise<string> {
  const { OperationId } = await sd.send(new CreateHttpNamespaceCommand({ Name: name }));
  const { Operation } = await sd.send(new GetOperationCommand({ OperationId }));
  return Operation!.Targets!.NAMESPACE!;
}

/** One run: a fresh server, setup, one second of warm-up, then `seconds` of load. Returns requests per second. */
async function run(recording: boolean, runSeconds = seconds): Promise<LoopFigures> {
  const account = benchAccount();
  const dataDir = benchDataDir("recording");
  const server = await startBenchServer({
    dataDir,
    store: `sqlite:${path.join(dataDir, "cairn.db")}`,
    bootstrap: account,
    recordEvents: recording,
    limits: { ...DEFAULT_LIMITS, namespacesPerRegion: 1_000_000, instancesPerService: 1_000_000_000, instancesPerNamespace: 1_000_000_000 },
  });
  const sd = new ServiceDiscoveryClient({
    endpoint: server.url,
    region: "us-east-1",
    credentials: { accessKeyId: account.accessKeyId, secretAccessKey: account.secretAccessKey },
    disableHostPrefix: true,
    maxAttempts: 1,
  });
  try {
    const ns = await namespaceId(sd, "bench");
    const services: string[] = [];
    if (op === "RegisterInstance") {
      for (let i = 0; i < concurrency; i++) {
        const { Service } = await sd.send(new CreateServiceCommand({ Name: `svc-${i}`, NamespaceId: ns }));
        services.push(Service!.Id!);
      }
    }
    let n = 0;
    const call = (worker: number): Promise<unknown> => {
      const i = n++;
      switch (op) {
        case "RegisterInstance":
          return sd.send(
            new RegisterInstanceCommand({
              ServiceId: services[worker]!,
              InstanceId: `i-${i}`,
              Attributes: { AWS_INSTANCE_IPV4: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, AWS_INSTANCE_PORT: "8080" },
            }),
          );
        case "CreateService":
          return sd.send(new CreateServiceCommand({ Name: `s-${i}`, NamespaceId: ns }));
        case "CreateHttpNamespace":
          return sd.send(new CreateHttpNamespaceCommand({ Name: `n-${i}` }));
        case "GetNamespace":
          return sd.send(new GetNamespaceCommand({ Id: ns }));
      }
    };
    return await closedLoop(concurrency, runSeconds, call);
  } finally {
    sd.destroy();
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const results: Record<"on" | "off", number[]> = { on: [], off: [] };
console.log(`${op}: ${concurrency} concurrent clients, ${seconds} s per run, ${rounds} rounds, node ${process.version}`);
// A short run first, discarded: JIT warm-up of the client and of the server code.
await run(true, 2);
for (let r = 0; r < rounds; r++) {
  for (const recording of r % 2 === 0 ? [true, false] : [false, true]) {
    const res = await run(recording);
    results[recording ? "on" : "off"].push(res.rps);
    console.log(
      `round ${r + 1} recording ${recording ? "on " : "off"}: ${res.rps.toFixed(0)} req/s, p50 ${res.p50.toFixed(2)} ms, p99 ${res.p99.toFixed(2)} ms${res.errors ? `, ${res.errors} errors` : ""}`,
    );
  }
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const on = median(results.on);
const off = median(results.off);
console.log(`median: recording on ${on.toFixed(0)} req/s, off ${off.toFixed(0)} req/s; recording costs ${(100 * (1 - on / off)).toFixed(1)}% of throughput`);
