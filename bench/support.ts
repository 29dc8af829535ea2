import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { Worker } from "node:worker_threads";
import type { ServerConfig } from "../src/config.js";
import { CLI, tempDataDir, testAccount, type Credentials } from "../test/support/cairn-process.js";

export interface BenchServer {
  url: string;
  close(): Promise<void>;
}

type FlagDefaults = Record<string, string | boolean>;
type Flags<D extends FlagDefaults> = { [K in keyof D]: D[K] extends boolean ? boolean : string };

/**
 * The command line's `--name value` options (`--name` alone for those whose default is a boolean), each with its
 * default ("" for an optional value); an unknown option is an error.
 */
export function benchFlags<D extends FlagDefaults>(defaults: D): Flags<D> {
  const options: ParseArgsConfig["options"] = {};
  for (const [name, value] of Object.entries(defaults)) {
    options[name] = typeof value === "boolean" ? { type: "boolean", default: value } : { type: "string", default: value };
  }
  return parseArgs({ options }).values as Flags<D>;
}

export function benchAccount(): { accountId: string; accessKeyId: string; secretAccessKey: string } {
  return {
    accountId: "111122223333",
    accessKeyId: `AKIA${randomBytes(8).toString("hex").toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString("base64"),
  };
}

export function benchDataDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `cairn-bench-${label}-`));
}

/** Starts Cairn (startServer, in-process) on its own worker thread. */
export async function startBenchServer(overrides: Partial<ServerConfig>): Promise<BenchServer> {
  const worker = new Worker(new URL("./server-thread.js", import.meta.url), { workerData: overrides });
  const url = await new Promise<string>((resolve, reject) => {
    worker.once("error", reject);
    worker.once("message", (m: { url: string }) => resolve(m.url));
  });
  return {
    url,
    async close() {
      const closed = new Promise<void>((resolve) => worker.once("message", () => resolve()));
      worker.postMessage("close");
      await closed;
      await worker.terminate();
    },
  };
}

export interface SpawnedCairn {
  url: string;
  port: number;
  pid: number;
  accountId: string;
  dataDir: string;
  credentials: Credentials;
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
}

/**
 * `cairn serve` as users run it, in its own process on a fresh data dir. Unlike the tests' startCairn, it keeps
 * none of the output: after the listening line, stdout (the request log) goes to `logFile`, or is read and dropped
 * as a log shipper would.
 */
export async function spawnCairn(
  options: {
    args?: string[];
    nodeArgs?: string[];
    logFile?: string;
    /** Start again on a previous run's data. */
    again?: SpawnedCairn;
    /** Another node of this one's cluster (the same `--store`): its account, and a data dir of its own with its secrets key. */
    siblingOf?: SpawnedCairn;
  } = {},
): Promise<SpawnedCairn> {
  const { accountId, credentials } = options.again ?? options.siblingOf ?? testAccount();
  const dataDir = options.again?.dataDir ?? tempDataDir();
  if (options.siblingOf) fs.copyFileSync(path.join(options.siblingOf.dataDir, "secrets.key"), path.join(dataDir, "secrets.key"));
  const serve = [CLI, "serve", "--port", "0", "--dns-port", "0", "--data-dir", dataDir, ...(options.args ?? [])];
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...serve], {
    env: { ...process.env, CAIRN_ACCOUNT_ID: accountId, CAIRN_ROOT_ACCESS_KEY_ID: credentials.accessKeyId, CAIRN_ROOT_SECRET_ACCESS_KEY: credentials.secretAccessKey },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const url = await new Promise<string>((resolve, reject) => {
    let head = "";
    const onData = (d: Buffer): void => {
      head += d.toString();
      const m = /cairn listening on (http:\/\/\S+)/.exec(head);
      if (!m) return;
      child.stdout!.off("data", onData);
      if (options.logFile) child.stdout!.pipe(fs.createWriteStream(options.logFile));
      else child.stdout!.on("data", () => undefined);
      resolve(m[1]!);
    };
    child.stdout!.on("data", onData);
    void exited.then((code) => reject(new Error(`cairn exited with ${code} before listening:\n${head}`)));
  });
  return {
    url,
    port: Number(new URL(url).port),
    pid: child.pid!,
    accountId,
    dataDir,
    credentials,
    async stop() {
      child.kill("SIGTERM");
      return exited;
    },
  };
}

/**
 * CPU seconds (user + system) a process has used so far, from /proc (Linux); undefined elsewhere. CPU per request
 * depends far less on what else the shared machine is doing than requests per second do.
 */
export function cpuSeconds(pid: number): number | undefined {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th, in clock ticks.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** Starts a ceiling server (bare-server.js, bare-dns-server.js) in its own process; it prints "listening <port>". */
export function startBare(script: string, arg: string): Promise<{ port: number; pid: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [fileURLToPath(new URL(script, import.meta.url)), arg], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening (\d+)/.exec(out);
      if (m) {
        resolve({
          port: Number(m[1]),
          pid: child.pid!,
          stop: () =>
            new Promise<void>((done) => {
              child.once("exit", () => done());
              child.kill("SIGTERM");
            }),
        });
      }
    });
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

export interface LoopFigures {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

/**
 * `concurrency` workers each calling `call(worker)` back to back: one second of warm-up, then `seconds` measured.
 * Latencies are those of the calls answered without error while measuring.
 */
export async function closedLoop(concurrency: number, seconds: number, call: (worker: number) => Promise<unknown>): Promise<LoopFigures> {
  let measuring = false;
  let stop = false;
  let errors = 0;
  const latencies: number[] = [];
  const loop = async (worker: number): Promise<void> => {
    while (!stop) {
      const t0 = performance.now();
      try {
        await call(worker);
        if (measuring) latencies.push(performance.now() - t0);
      } catch {
        if (measuring) errors++;
      }
    }
  };
  const loops = Array.from({ length: concurrency }, (_, w) => loop(w));
  await sleep(1000);
  measuring = true;
  const t0 = performance.now();
  await sleep(seconds * 1000);
  measuring = false;
  const elapsed = (performance.now() - t0) / 1000;
  stop = true;
  await Promise.all(loops);
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}
