import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { ServerConfig } from "../src/config.js";

export interface BenchServer {
  url: string;
  close(): Promise<void>;
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

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}
