import fs from "node:fs";
import path from "node:path";
import { startCairn, tempDataDir, testAccount, type SpawnedCairn, type SpawnOptions } from "./cairn-process.js";
import { startCairnWithDns } from "./dns.js";
import { createTestDatabase } from "./postgres.js";

export interface Cluster {
  storeUrl: string;
  nodes: SpawnedCairn[];
  /** Stops every node still running. */
  stop(): Promise<void>;
}

export interface ClusterOptions {
  env?: Record<string, string>;
  /** More `cairn serve` flags, the same for every node. */
  args?: string[];
  /** Gives every node a DNS listener of its own (its `dnsPort`). */
  dns?: boolean;
}

/**
 * Several `cairn serve` processes on one fresh PostgreSQL database, each with its own data dir, as an operator runs
 * them: the first node creates the account and `secrets.key`; the others get a copy of that key (every node must
 * seal and unseal secrets with the same one).
 */
export async function startCluster(size: number, options: ClusterOptions = {}): Promise<Cluster> {
  const storeUrl = await createTestDatabase();
  const account = testAccount();
  // Cluster tests' health checks probe loopback endpoints, which Cairn refuses unless allowed.
  const args = ["--store", storeUrl, "--health-check-targets", "127.0.0.0/8", ...(options.args ?? [])];
  const start = (node: Omit<SpawnOptions, "spawn">): Promise<SpawnedCairn> =>
    options.dns ? startCairnWithDns({ spawn: true, ...node }) : startCairn({ spawn: true, ...node });
  const first = await start({ account, args, env: options.env });
  const others = await Promise.all(
    Array.from({ length: size - 1 }, () => {
      const dataDir = tempDataDir();
      fs.copyFileSync(path.join(first.dataDir, "secrets.key"), path.join(dataDir, "secrets.key"));
      return start({ dataDir, account, args, env: options.env });
    }),
  );
  const nodes = [first, ...others];
  return {
    storeUrl,
    nodes,
    async stop() {
      await Promise.all(nodes.filter((n) => n.child.exitCode === null && n.child.signalCode === null).map((n) => n.stop()));
    },
  };
}
