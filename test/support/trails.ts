import fs from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { spawn } from "node:child_process";
import type { TestContext } from "node:test";
import { CLI, startCairn, type CairnProcess, type SpawnedCairn, type SpawnOptions, type StartOptions } from "./cairn-process.js";

/** Starts Cairn (see startCairn) for one test; it is stopped when the test ends (killed if spawned), even when the test fails. */
export async function cairnFor(t: TestContext, options: SpawnOptions): Promise<SpawnedCairn>;
export async function cairnFor(t: TestContext, options?: StartOptions | SpawnOptions): Promise<CairnProcess>;
export async function cairnFor(t: TestContext, options: StartOptions | SpawnOptions = {}): Promise<CairnProcess> {
  const cairn = await startCairn(options);
  t.after(() => ("kill" in cairn ? (cairn as SpawnedCairn).kill() : cairn.stop()));
  return cairn;
}

/** Creates the folder bucket `name` in Cairn's buckets dir and returns its path. */
export function bucket(cairn: CairnProcess, name: string): string {
  const dir = path.join(cairn.dataDir, "buckets", name);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Polls `probe` until it returns a value other than undefined, or fails after `ms`. */
export async function eventually<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Every file under a folder bucket, as keys relative to it. */
export function bucketKeys(bucketDir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const e of fs.readdirSync(path.join(bucketDir, rel), { withFileTypes: true })) {
      const key = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(key);
      else out.push(key);
    }
  };
  if (fs.existsSync(bucketDir)) walk("");
  return out.sort();
}

export type DeliveredRecord = Record<string, unknown> & { requestID: string; eventID: string; eventName: string; awsRegion: string };

/** The records of every log file (not digests) under a folder bucket. */
export function deliveredRecords(bucketDir: string): DeliveredRecord[] {
  return bucketKeys(bucketDir)
    .filter((k) => k.includes("/CloudTrail/") && k.endsWith(".json.gz"))
    .flatMap((k) => (JSON.parse(gunzipSync(fs.readFileSync(path.join(bucketDir, k))).toString("utf8")) as { Records: DeliveredRecord[] }).Records);
}

/** How many times each request ID was delivered. */
export function countByRequest(records: DeliveredRecord[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of records) counts.set(r.requestID, (counts.get(r.requestID) ?? 0) + 1);
  return counts;
}

/** Runs `cairn validate-logs` as users do; resolves to its exit code and output. */
export function runValidateLogs(cairn: CairnProcess, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, "validate-logs", "--endpoint-url", cairn.url, ...args], {
    env: {
      ...process.env,
      AWS_ACCESS_KEY_ID: cairn.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: cairn.credentials.secretAccessKey,
      AWS_REGION: "us-east-1",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, stdout, stderr })));
}
