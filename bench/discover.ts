/**
 * DiscoverInstances throughput and latency through Cairn's full pipeline (routing, SigV4 verification,
 * decoding, model validation, handler, encoding, the request's log line), against a bare node:http server
 * answering the same bytes (the ceiling for this machine), in one run.
 *
 *   npm run build && node dist/bench/discover.js [--duration 15] [--connections 64] [--warmup 3] [--profile <dir>] [--log-level info] [--as-user]
 *
 * Setup: one HTTP namespace, one service, 100 instances each with AWS_INSTANCE_IPV4, AWS_INSTANCE_PORT
 * and 3 custom attributes. Every request is the same SigV4-signed DiscoverInstances call, sent to a
 * `data-` Host as the SDKs do; Cairn verifies its signature each time. The load comes from wrk in its own
 * process (bench/wrk.ts). Cairn runs with its defaults: request logging at info, one JSON line per call to
 * stdout, read and dropped by this process as a log shipper would. `--profile <dir>` writes a V8 CPU
 * profile of the Cairn process (open it in Chrome DevTools) to see where the time goes. `--as-user` signs the calls
 * with an IAM user's key whose policy allows DiscoverInstances on a condition, so every call is also authorised.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import {
  CreateHttpNamespaceCommand,
  CreateServiceCommand,
  GetOperationCommand,
  RegisterInstanceCommand,
  ServiceDiscoveryClient,
} from "@aws-sdk/client-servicediscovery";
import type { Credentials } from "../test/support/cairn-process.js";
import { send, signedCloudMapRequest } from "../test/support/raw.js";
import { benchFlags, cpuSeconds, spawnCairn, startBare } from "./support.js";
import { wrk, type LoadFigures } from "./wrk.js";

const flags = benchFlags({ duration: "15", warmup: "3", connections: "64", instances: "100", profile: "", "log-level": "info", json: "", "as-user": false });
const duration = Number(flags.duration);
const warmup = Number(flags.warmup);
const connections = Number(flags.connections);
const instanceCount = Number(flags.instances);

async function setup(sd: ServiceDiscoveryClient): Promise<void> {
  const { OperationId } = await sd.send(new CreateHttpNamespaceCommand({ Name: "bench" }));
  const op = await sd.send(new GetOperationCommand({ OperationId }));
  const namespaceId = op.Operation!.Targets!.NAMESPACE!;
  const { Service } = await sd.send(new CreateServiceCommand({ Name: "api", NamespaceId: namespaceId }));
  for (let i = 0; i < instanceCount; i++) {
    await sd.send(
      new RegisterInstanceCommand({
        ServiceId: Service!.Id!,
        InstanceId: `api-${String(i).padStart(3, "0")}`,
        Attributes: {
          AWS_INSTANCE_IPV4: `10.0.${i >> 8}.${i & 255}`,
          AWS_INSTANCE_PORT: "8080",
          stage: "prod",
          version: `1.4.${i % 7}`,
          zone: `us-east-1${"abc"[i % 3]}`,
        },
      }),
    );
  }
}

/** An IAM user allowed DiscoverInstances in the bench namespace only (a condition to evaluate on every call). */
async function discoveringUser(endpoint: string, root: Credentials): Promise<Credentials> {
  const client = new IAMClient({ endpoint, region: "us-east-1", credentials: root });
  await client.send(new CreateUserCommand({ UserName: "discoverer" }));
  const policy = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "servicediscovery:DiscoverInstances", Resource: "*", Condition: { StringEquals: { "servicediscovery:NamespaceName": "bench" } } }],
  };
  await client.send(new PutUserPolicyCommand({ UserName: "discoverer", PolicyName: "discover", PolicyDocument: JSON.stringify(policy) }));
  const { AccessKey } = await client.send(new CreateAccessKeyCommand({ UserName: "discoverer" }));
  return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
}

/** The load's figures, and the server's CPU time per request over the measured run (warm-up excluded). */
async function measure(url: string, pid: number, headers: Record<string, string>, body: string): Promise<LoadFigures & { cpuUs?: number }> {
  const load = (seconds: number) => wrk(url, { connections, seconds, requests: [{ headers, body }] });
  if (warmup > 0) await load(warmup);
  const cpuBefore = cpuSeconds(pid);
  const figures = await load(duration);
  const cpuAfter = cpuSeconds(pid);
  const cpuUs = cpuBefore === undefined || cpuAfter === undefined ? undefined : ((cpuAfter - cpuBefore) * 1e6) / figures.requests;
  return { ...figures, cpuUs };
}

// `cairn serve` as users run it (on its own core), optionally under the V8 CPU profiler.
const cairn = await spawnCairn({
  args: ["--log-level", flags["log-level"]],
  nodeArgs: flags.profile ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(flags.profile)}`] : [],
});
const work = fs.mkdtempSync(path.join(os.tmpdir(), "cairn-bench-"));
try {
  const sd = new ServiceDiscoveryClient({ endpoint: cairn.url, region: "us-east-1", credentials: cairn.credentials, disableHostPrefix: true });
  await setup(sd);

  const caller = flags["as-user"] ? await discoveringUser(cairn.url, cairn.credentials) : cairn.credentials;
  // One signed request, replayed: SigV4 allows it for 15 minutes, and Cairn still verifies it every time.
  const dataHost = `data-127.0.0.1:${cairn.port}`;
  const signed = await signedCloudMapRequest(cairn.url, caller, "DiscoverInstances", { NamespaceName: "bench", ServiceName: "api" }, { host: dataHost });
  const body = signed.body.toString();
  const probe = await send(signed);
  const answer = probe.json() as { Instances: { Attributes: Record<string, string> }[] };
  if (probe.status !== 200 || answer.Instances.length !== instanceCount) throw new Error(`probe failed: ${probe.status} ${probe.body.slice(0, 300)}`);
  const bodyFile = path.join(work, "response.json");
  fs.writeFileSync(bodyFile, probe.body);
  const bare = await startBare("bare-server.js", bodyFile);
  const bareUrl = `http://127.0.0.1:${bare.port}`;

  process.stderr.write(`cairn ${cairn.url}: ${instanceCount} instances, ${probe.body.length}-byte response; ${connections} connections, ${warmup}s warm-up + ${duration}s\n`);
  const loadBefore = os.loadavg()[0]!;
  const viaCairn = await measure(cairn.url, cairn.pid, signed.headers, body);
  const viaBare = await measure(bareUrl, bare.pid, signed.headers, body);
  const loadAfter = os.loadavg()[0]!;
  await bare.stop();

  const ratio = viaCairn.requestsPerSecond / viaBare.requestsPerSecond;
  const ms = (v: number) => `${v.toFixed(2)} ms`;
  const cpu = (f: { cpuUs?: number }) => (f.cpuUs === undefined ? "n/a" : `${Math.round(f.cpuUs)} µs`);
  const row = (name: string, f: LoadFigures & { cpuUs?: number }) =>
    `| ${name} | ${Math.round(f.requestsPerSecond).toLocaleString("en-US")} | ${ms(f.p50)} | ${ms(f.p99)} | ${ms(f.max)} | ${cpu(f)} | ${f.requests.toLocaleString("en-US")} | ${f.non2xx + f.errors} |`;
  const report = [
    `node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${os.platform()} ${os.release()}`,
    `${instanceCount} instances × (IPv4, port, 3 custom attributes), response ${probe.body.length} bytes, wrk ${connections} connections, ${duration} s, log level ${flags["log-level"]}`,
    `load average (1 min) ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after`,
    "",
    "| server | requests/s | p50 | p99 | max | CPU / request | requests | non-2xx + errors |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    row(`Cairn DiscoverInstances (SigV4 verified${flags["as-user"] ? ", IAM user, policy evaluated" : ", root"})`, viaCairn),
    row("bare node:http, same bytes (ceiling)", viaBare),
    "",
    `Cairn / ceiling: ${(ratio * 100).toFixed(1)} %`,
    ...(viaCairn.cpuUs !== undefined && viaBare.cpuUs !== undefined ? [`CPU per request, Cairn / ceiling: ${(viaCairn.cpuUs / viaBare.cpuUs).toFixed(2)} ×`] : []),
  ].join("\n");
  process.stdout.write(report + "\n");
  if (flags.json) fs.writeFileSync(flags.json, JSON.stringify({ cairn: viaCairn, bare: viaBare, ratio, connections, duration, instances: instanceCount, logLevel: flags["log-level"], loadBefore, loadAfter }, null, 2));
  if (viaCairn.non2xx + viaCairn.errors > 0) process.exitCode = 1;
} finally {
  await cairn.stop();
  fs.rmSync(cairn.dataDir, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
}
