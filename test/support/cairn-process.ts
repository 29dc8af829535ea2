import type { ChildProcess } from "node:child_process";
import type { CommanderError } from "commander";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { flagNames, serveCommand, shutDown, startServe } from "../../src/cli/serve-command.js";
import { CLI, launchCairn } from "../../src/embed/launch.js";
import { TEST_STORE, createTestDatabase } from "./postgres.js";

export { CLI };

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/**
 * A Cairn under test: by default a `cairn serve` running inside the test's own process (see startCairn), or a
 * child process (`SpawnedCairn`) when started with `spawn: true`.
 */
export interface CairnProcess {
  url: string;
  port: number;
  /** The DNS port, when started with a non-zero --dns-port. */
  dnsPort?: number;
  dataDir: string;
  /** The store URL the server runs on: its `--store`, else the data dir's own `sqlite:<data-dir>/cairn.db`. */
  store: string;
  accountId: string;
  credentials: Credentials;
  /** What `cairn serve` printed so far (its own lines and its JSON logs). */
  output(): string;
  /** What SIGTERM does: drain, close the store; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** `cairn serve` as a child process, for what only a process has: signals, kill -9, its pid, its exit. */
export interface SpawnedCairn extends CairnProcess {
  child: ChildProcess;
  /** SIGKILL: no chance to flush anything. */
  kill(): Promise<void>;
}

export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "cairn-test-"));
}

export function testAccount(): { accountId: string; credentials: Credentials } {
  return {
    accountId: "123456789012",
    credentials: { accessKeyId: `AKIA${randomBytes(8).toString("hex").toUpperCase()}`, secretAccessKey: randomBytes(30).toString("base64") },
  };
}

const STORE_FILE = "test-store-url";

/**
 * The store a server on `dataDir` runs on: the `--store` in `args` if any. Otherwise the PostgreSQL run gives each
 * data dir a database of its own, remembered in the data dir so that a restart on the same data dir finds the same
 * store, and passes it with `--store`; the SQLite run leaves the default, the data dir's own cairn.db.
 */
async function chooseStore(dataDir: string, args: string[]): Promise<string> {
  const given = args.indexOf("--store");
  if (given >= 0) return args[given + 1]!;
  if (TEST_STORE === "sqlite") return `sqlite:${path.join(dataDir, "cairn.db")}`;
  const file = path.join(dataDir, STORE_FILE);
  if (!fs.existsSync(file)) fs.writeFileSync(file, await createTestDatabase());
  const url = fs.readFileSync(file, "utf8");
  args.push("--store", url);
  return url;
}

/** A `cairn serve` running on this test process's event loop. */
interface InProcessServe {
  url: string;
  dnsPort?: number;
  /** What the CLI would have printed: its own lines and its JSON log lines. */
  output(): string;
  /** What SIGTERM does to `cairn serve` (drain, close the store); resolves with the exit code it would have had. */
  stop(): Promise<number>;
}

/**
 * Runs `cairn serve <args>` in this process: the same flag parsing, configuration, server, store and sockets as the
 * CLI, minus the process. `env` is what the CLI would read as its environment; nothing in it reaches process.env.
 */
async function serveInProcess(args: string[], env: NodeJS.ProcessEnv): Promise<InProcessServe> {
  let output = "";
  const write = (text: string): void => {
    output += text;
  };
  const command = serveCommand()
    .exitOverride()
    .configureOutput({ writeOut: write, writeErr: write });
  try {
    command.parse(args, { from: "user" });
  } catch (error) {
    throw new Error(`cairn serve ${args.join(" ")}: ${(error as CommanderError).message}`);
  }
  let started: Awaited<ReturnType<typeof startServe>>;
  try {
    started = await startServe(command.opts(), flagNames(command), env, { write, logs: { write }, pretty: false });
  } catch (error) {
    throw new Error(`cairn did not start in-process: ${String(error)}\n${output}`);
  }
  const { server, logger } = started;
  let stopping: Promise<number> | undefined;
  return {
    url: server.url,
    dnsPort: server.dns?.port,
    output: () => output,
    stop() {
      stopping ??= shutDown(server, logger).then(
        () => 0,
        (error: unknown) => {
          write(`shutdown failed: ${String(error)}\n`);
          return 1;
        },
      );
      return stopping;
    },
  };
}

export interface StartOptions {
  /** In this process (the default). */
  spawn?: false;
  dataDir?: string;
  account?: { accountId: string; credentials: Credentials };
  /** `cairn serve` flags, after `--port 0 --dns-port 0 --data-dir <dataDir>` (a later flag wins). */
  args?: string[];
  /** Environment for the server; in-process, only `CAIRN_*` settings (the rest would need the process's own). */
  env?: Record<string, string>;
  /** Only with `spawn: true`. */
  nodeArgs?: never;
  launcher?: never;
}

export interface SpawnOptions extends Omit<StartOptions, "spawn" | "nodeArgs" | "launcher"> {
  /** Run `cairn serve` as a child process (see startCairn for when a test needs one). */
  spawn: true;
  /** Options for node itself (e.g. --cpu-prof in benchmarks). */
  nodeArgs?: string[];
  /** A command that runs Cairn, e.g. `["prlimit", "--fsize=2000000", "--"]` to cap its file sizes. */
  launcher?: string[];
}

/**
 * Starts Cairn on free ports and its own data dir (and, with CAIRN_TEST_STORE=postgres, its own database) and waits
 * until it listens. The same data dir and account can be passed again to restart on the same store.
 *
 * By default the server runs inside the test's process: `cairn serve`'s own flag parsing, configuration, pipeline,
 * store and sockets, so an SDK client talks to it over a real socket exactly as to the CLI, but starting costs a few
 * milliseconds instead of a node process. Start it once per test file (`before`/`after`) and give each test its own
 * names. The test shares its event loop with the server: never block it (no spawnSync/execFileSync of something that
 * waits for the server).
 *
 * Pass `spawn: true` for a `SpawnedCairn`, a real `cairn serve` child process, only when the test is about the
 * process itself: CLI flags' exit codes, signals, kill -9 and what survives it, the init file, several nodes on one
 * store, resource caps (`launcher`), or an environment beyond `CAIRN_*` (the AWS SDK's own variables).
 *
 * @example
 * let cairn: CairnProcess;
 * before(async () => {
 *   cairn = await startCairn({ args: ["--health-interval", "1"] });
 * });
 * after(() => cairn.stop());
 * test("…", async () => {
 *   const sd = cloudMap(cairn); // support/clients.ts
 * });
 */
export async function startCairn(options: SpawnOptions): Promise<SpawnedCairn>;
export async function startCairn(options?: StartOptions | SpawnOptions): Promise<CairnProcess>;
export async function startCairn(options: StartOptions | SpawnOptions = {}): Promise<CairnProcess> {
  const dataDir = options.dataDir ?? tempDataDir();
  const account = options.account ?? testAccount();
  const args = [...(options.args ?? [])];
  const store = await chooseStore(dataDir, args);
  const serveArgs = ["--port", "0", "--dns-port", "0", "--data-dir", dataDir, ...args];
  const env = {
    ...process.env,
    CAIRN_ACCOUNT_ID: account.accountId,
    CAIRN_ROOT_ACCESS_KEY_ID: account.credentials.accessKeyId,
    CAIRN_ROOT_SECRET_ACCESS_KEY: account.credentials.secretAccessKey,
    ...options.env,
  };
  const started = { dataDir, store, accountId: account.accountId, credentials: account.credentials };
  if (!options.spawn) {
    const outside = Object.keys(options.env ?? {}).filter((name) => !name.startsWith("CAIRN_"));
    if (outside.length > 0) throw new Error(`an in-process Cairn cannot see ${outside.join(", ")}: use startCairn({ spawn: true, ... })`);
    const served = await serveInProcess(serveArgs, env);
    return { ...started, url: served.url, port: Number(new URL(served.url).port), dnsPort: served.dnsPort, output: served.output, stop: served.stop };
  }
  const launched = await launchCairn([...(options.launcher ?? []), process.execPath, ...(options.nodeArgs ?? []), CLI, "serve", ...serveArgs], env);
  const { child, url, exited } = launched;
  const spawned: SpawnedCairn = {
    ...started,
    url,
    port: Number(new URL(url).port),
    dnsPort: launched.dnsPort,
    child,
    output: launched.output,
    async stop() {
      child.kill("SIGTERM");
      return exited;
    },
    async kill() {
      child.kill("SIGKILL");
      await exited;
    },
  };
  return spawned;
}
