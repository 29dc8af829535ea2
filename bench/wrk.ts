/**
 * Load from `wrk` (https://github.com/wg/wrk, `apt-get install wrk`) in its own process: pre-signed requests
 * replayed on keep-alive connections, as a fleet of clients would send them, with no load generator sharing the
 * server's or the benchmark's event loop. Figures come from wrk's own `done` hook as one JSON line.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

export interface LoadFigures {
  requestsPerSecond: number;
  /** Latencies in ms. */
  p50: number;
  p99: number;
  max: number;
  requests: number;
  non2xx: number;
  errors: number;
}

export interface WrkRequest {
  headers: Record<string, string>;
  body: string;
}

export interface WrkOptions {
  connections: number;
  seconds: number;
  threads?: number;
  /** POSTs to `/`, sent in turn on each connection; one alone is replayed as is (wrk's fastest path). */
  requests: WrkRequest[];
}

const run = promisify(execFile);

// Lua string literal of printable ASCII: a JSON string is one as long as it holds no \u escape.
function luaString(text: string): string {
  if (!/^[\x20-\x7e]*$/.test(text)) throw new Error("wrk requests are printable ASCII here");
  return JSON.stringify(text);
}

function luaHeaders(headers: Record<string, string>): string {
  const fields = Object.entries(headers)
    // wrk writes Content-Length itself from the body.
    .filter(([name]) => name.toLowerCase() !== "content-length")
    // wrk adds its own `Host` unless one is spelt exactly so: two Host headers, the first one wins, half the time
    // the wrong one (Lua's table order).
    .map(([name, value]) => `[${luaString(name.toLowerCase() === "host" ? "Host" : name)}] = ${luaString(value)}`);
  return `{ ${fields.join(", ")} }`;
}

function script(requests: readonly WrkRequest[]): string {
  const [only] = requests;
  const send =
    requests.length === 1
      ? [`wrk.method = "POST"`, `wrk.body = ${luaString(only!.body)}`, `wrk.headers = ${luaHeaders(only!.headers)}`]
      : [
          "local requests = {",
          ...requests.map((r) => `  wrk.format("POST", "/", ${luaHeaders(r.headers)}, ${luaString(r.body)}),`),
          "}",
          "local next = 0",
          "function request()",
          "  next = next % #requests + 1",
          "  return requests[next]",
          "end",
        ];
  return [
    ...send,
    "function done(summary, latency, requests)",
    "  local e = summary.errors",
    '  io.write(string.format(\'WRK {"requests":%d,"us":%d,"non2xx":%d,"errors":%d,"p50":%d,"p99":%d,"max":%d}\\n\',',
    "    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,",
    "    latency:percentile(50), latency:percentile(99), latency.max))",
    "end",
  ].join("\n");
}

export async function wrk(url: string, options: WrkOptions): Promise<LoadFigures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cairn-wrk-"));
  try {
    const file = path.join(dir, "request.lua");
    fs.writeFileSync(file, script(options.requests));
    return await runWrk(url, options, file, {});
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Sends each of many pre-signed requests once (bench/replay.lua): `file` holds raw HTTP/1.1 requests, each followed
 * by a NUL byte. `unsent` counts the requests wrk wanted beyond the file's (sent again, so not new).
 */
export async function wrkReplay(url: string, options: Omit<WrkOptions, "requests">, file: string): Promise<LoadFigures & { unsent: number }> {
  const script = fileURLToPath(new URL("../../bench/replay.lua", import.meta.url));
  const threads = options.threads ?? 2;
  const figures = await runWrk(url, { ...options, threads }, script, { REPLAY_FILE: file, REPLAY_THREADS: String(threads) });
  return { ...figures, unsent: figures.unsent ?? 0 };
}

async function runWrk(url: string, options: Omit<WrkOptions, "requests">, script: string, env: Record<string, string>): Promise<LoadFigures & { unsent?: number }> {
  const args = ["-t", String(options.threads ?? 2), "-c", String(options.connections), "-d", `${options.seconds}s`, "--timeout", "10s", "-s", script, url];
  const { stdout } = await run("wrk", args, { maxBuffer: 1 << 20, env: { ...process.env, ...env } }).catch((error: NodeJS.ErrnoException) => {
    throw error.code === "ENOENT" ? new Error("wrk is not installed (apt-get install wrk)") : error;
  });
  const line = /^WRK (\{.*\})$/m.exec(stdout);
  if (!line) throw new Error(`wrk printed no figures:\n${stdout}`);
  const f = JSON.parse(line[1]!) as { requests: number; us: number; non2xx: number; errors: number; p50: number; p99: number; max: number; unsent?: number };
  return {
    requestsPerSecond: f.requests / (f.us / 1e6),
    p50: f.p50 / 1000,
    p99: f.p99 / 1000,
    max: f.max / 1000,
    requests: f.requests,
    non2xx: f.non2xx,
    errors: f.errors,
    unsent: f.unsent,
  };
}
