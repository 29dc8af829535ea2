import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { CLI, launchCairn } from "../../src/embed/launch.js";
import { TEST_STORE, createTestDatabase } from "./postgres.js";

export { CLI };

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

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
  child: ChildProcess;
  output(): string;
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
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

/**
 * Starts `cairn serve` as users do, on a free port and its own data dir, and waits for the listening line.
 * The same data dir and account can be passed again to restart on the same store.
 */
export async function startCairn(options: {
  dataDir?: string;
  account?: { accountId: string; credentials: Credentials };
  args?: string[];
  env?: Record<string, string>;
  /** Options for node itself (e.g. --cpu-prof in benchmarks). */
  nodeArgs?: string[];
  /** A command that runs Cairn, e.g. `["prlimit", "--fsize=2000000", "--"]` to cap its file sizes. */
  launcher?: string[];
} = {}): Promise<CairnProcess> {
  const dataDir = options.dataDir ?? tempDataDir();
  const account = options.account ?? testAccount();
  const args = [...(options.args ?? [])];
  const store = await chooseStore(dataDir, args);
  const launched = await launchCairn(
    [...(options.launcher ?? []), process.execPath, ...(options.nodeArgs ?? []), CLI, "serve", "--port", "0", "--dns-port", "0", "--data-dir", dataDir, ...args],
    {
      ...process.env,
      CAIRN_ACCOUNT_ID: account.accountId,
      CAIRN_ROOT_ACCESS_KEY_ID: account.credentials.accessKeyId,
      CAIRN_ROOT_SECRET_ACCESS_KEY: account.credentials.secretAccessKey,
      ...options.env,
    },
  );
  const { child, url, exited } = launched;
  return {
    url,
    port: Number(new URL(url).port),
    dnsPort: launched.dnsPort,
    dataDir,
    store,
    accountId: account.accountId,
    credentials: account.credentials,
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
}
