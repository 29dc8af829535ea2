import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { newAccessKeyId, newAccountId, newSecretAccessKey } from "../auth/bootstrap.js";
import { onFreeDnsPort } from "./free-port.js";
import { CLI, launchCairn, type LaunchedCairn } from "./launch.js";
import { sigV4Headers } from "./sign.js";

export interface StartCairnOptions {
  /** Default region of the server and of the returned `region` (default `us-east-1`). */
  region?: string;
  /** The account to create (default: a random 12-digit id). */
  accountId?: string;
  /** The root access key to create (default: generated). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** More `cairn serve` flags, e.g. `["--allow-reset"]` or `["--store", "postgres://…"]`. */
  args?: string[];
  /** Serve `POST /_cairn/reset` (`--allow-reset`), so that `reset()` works (default false). */
  allowReset?: boolean;
  /** A `--init` JSON file to create namespaces, services, instances, IAM entities and trails from on start. */
  init?: string;
  /** Serve DNS on a free port (default true); false leaves `dnsPort` undefined. */
  dns?: boolean;
  /** Extra environment for the server process (`CAIRN_*` settings). */
  env?: Record<string, string>;
  /** How long to wait for the server to listen (default 20 s). */
  startTimeoutMs?: number;
}

export interface RunningCairn {
  /** `http://127.0.0.1:<port>`: every AWS API, `/_cairn/*` and the console. */
  endpoint: string;
  region: string;
  accountId: string;
  /** The account's root access key. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** DNS (UDP and TCP) on 127.0.0.1; undefined with `dns: false`. */
  dnsPort?: number;
  /** The server's process id. */
  pid: number;
  /** The temporary data dir (store, keys, folder buckets), removed by stop(). */
  dataDir: string;
  /**
   * Empties the server (every namespace, service, instance, trail, IAM entity and event; the account and its root
   * key stay), e.g. between tests; needs `allowReset: true`. Resolves once the store is empty.
   */
  reset(): Promise<void>;
  /** Stops the server (SIGTERM, as a service manager would) and removes its temporary data dir. */
  stop(): Promise<void>;
}

/**
 * Starts a real `cairn serve` as a child process on free ports, with a temporary data dir and a fresh account:
 * what a test suite needs before its first SDK call. The child is killed if this process exits first.
 */
export async function startCairn(options: StartCairnOptions = {}): Promise<RunningCairn> {
  const region = options.region ?? "us-east-1";
  const accountId = options.accountId ?? newAccountId();
  const credentials = options.credentials ?? { accessKeyId: newAccessKeyId("AKIA"), secretAccessKey: newSecretAccessKey() };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cairn-"));
  const env = {
    ...process.env,
    CAIRN_ACCOUNT_ID: accountId,
    CAIRN_ROOT_ACCESS_KEY_ID: credentials.accessKeyId,
    CAIRN_ROOT_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    ...options.env,
  };
  const flags = [...(options.allowReset ? ["--allow-reset"] : []), ...(options.init ? ["--init", path.resolve(options.init)] : [])];
  const serve = (dnsPort: number): Promise<LaunchedCairn> =>
    launchCairn(
      [process.execPath, CLI, "serve", "--host", "127.0.0.1", "--port", "0", "--dns-port", String(dnsPort), "--data-dir", dataDir, "--region", region, ...flags, ...(options.args ?? [])],
      env,
      options.startTimeoutMs,
    );
  let launched: LaunchedCairn;
  try {
    launched = options.dns === false ? await serve(0) : await onFreeDnsPort(serve);
  } catch (error) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const { child } = launched;
  // A test runner that exits without calling stop() must not leave a server behind.
  const orphaned = (): void => void child.kill("SIGKILL");
  process.once("exit", orphaned);
  let stopping: Promise<void> | undefined;
  return {
    endpoint: launched.url,
    region,
    accountId,
    credentials,
    dnsPort: launched.dnsPort,
    pid: child.pid!,
    dataDir,
    async reset() {
      if (!options.allowReset) throw new Error("reset() needs startCairn({ allowReset: true })");
      const url = new URL("/_cairn/reset", launched.url);
      const response = await fetch(url, { method: "POST", headers: sigV4Headers("POST", url, credentials, region, "cairn") });
      if (response.status !== 200) throw new Error(`reset failed: ${response.status} ${await response.text()}`);
    },
    stop() {
      stopping ??= (async () => {
        process.off("exit", orphaned);
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
        await launched.exited;
        fs.rmSync(dataDir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}
