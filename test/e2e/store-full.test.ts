import { after, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import {
  CreateHttpNamespaceCommand,
  CreateServiceCommand,
  DiscoverInstancesCommand,
  GetInstanceCommand,
  RegisterInstanceCommand,
  ServiceDiscoveryServiceException,
} from "@aws-sdk/client-servicediscovery";
import { startCairn, tempDataDir, testAccount, type SpawnedCairn } from "../support/cairn-process.js";
import { cloudMap } from "../support/clients.js";
import { createdNamespaceId } from "../support/cloudmap.js";
import { cloudTrail, lookupAll, recordOf } from "../support/cloudtrail.js";
import { POSTGRES_URL, TEST_STORE, createTestDatabase } from "../support/postgres.js";

/** Each file Cairn writes is capped at this size (RLIMIT_FSIZE): writes past it fail with EFBIG, as on a full disk. */
const FILE_LIMIT = 3_000_000;
/** On PostgreSQL, the database turns read-only after this many registrations. */
const WRITABLE_REGISTRATIONS = 20;

/**
 * How the store stops taking writes. SQLite: the server runs with its file sizes capped, so its own writes hit EFBIG.
 * PostgreSQL keeps its files in another process; what a server sees there is its database turning read-only, as after
 * a failover to a standby: the database defaults to read-only transactions and the server's pooled sessions are cut,
 * so the sessions it reconnects refuse every write (25006).
 */
interface WriteFailure {
  launcher?: string[];
  /** Called before each registration with the count acknowledged so far. */
  beforeRegistration(acknowledged: number): Promise<void>;
  /** Makes the store writable again. */
  end(): Promise<void>;
}

function fileSizeLimit(): WriteFailure {
  return { launcher: ["prlimit", `--fsize=${FILE_LIMIT}`, "--"], beforeRegistration: async () => undefined, end: async () => undefined };
}

function readOnlyDatabase(storeUrl: string): WriteFailure {
  const database = decodeURIComponent(new URL(storeUrl).pathname.slice(1));
  const admin = async (run: (client: pg.Client) => Promise<void>): Promise<void> => {
    // From another database: once read-only, the store's own database would refuse the ALTER that undoes it.
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      await run(client);
    } finally {
      await client.end();
    }
  };
  return {
    async beforeRegistration(acknowledged) {
      if (acknowledged !== WRITABLE_REGISTRATIONS) return;
      await admin(async (client) => {
        await client.query(`alter database "${database}" set default_transaction_read_only = on`);
        const { rows } = await client.query<{ pid: number }>("select pid from pg_stat_activity where datname = $1 and application_name in ('cairn', 'cairn writer')", [database]);
        await client.query("select pg_terminate_backend(pid) from unnest($1::int[]) as pid", [rows.map((r) => r.pid)]);
        // Wait until those sessions are gone, so that the server's next write runs on a reconnected, read-only session.
        while ((await client.query("select 1 from pg_stat_activity where pid = any($1::int[])", [rows.map((r) => r.pid)])).rowCount) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      });
    },
    end: () => admin(async (client) => void (await client.query(`alter database "${database}" reset default_transaction_read_only`))),
  };
}

let cairn: SpawnedCairn | undefined;
after(async () => {
  if (cairn && cairn.child.exitCode === null) await cairn.stop();
});

test("a store that cannot write answers 503 ServiceUnavailable and acknowledges nothing it did not keep", { timeout: 120_000 }, async () => {
  const dataDir = tempDataDir();
  const account = testAccount();
  const store = TEST_STORE === "postgres" ? await createTestDatabase() : undefined;
  const storeArgs = store ? ["--store", store] : [];
  const failure = store ? readOnlyDatabase(store) : fileSizeLimit();
  cairn = await startCairn({ spawn: true, dataDir, account, args: storeArgs, launcher: failure.launcher });
  const sd = cloudMap(cairn);
  const namespaceId = await createdNamespaceId(sd, new CreateHttpNamespaceCommand({ Name: "full" }));
  const service = await sd.send(new CreateServiceCommand({ Name: "api", NamespaceId: namespaceId }));
  const ServiceId = service.Service!.Id!;
  const bulky = { note: "x".repeat(900), more: "y".repeat(900), AWS_INSTANCE_IPV4: "10.0.0.1" };

  const acknowledged: string[] = [];
  let refused: ServiceDiscoveryServiceException | undefined;
  let refusedId = "";
  for (let i = 0; i < 990 && !refused; i++) {
    const InstanceId = `i-${i}`;
    await failure.beforeRegistration(acknowledged.length);
    try {
      await sd.send(new RegisterInstanceCommand({ ServiceId, InstanceId, Attributes: bulky }));
      acknowledged.push(InstanceId);
    } catch (error) {
      refused = error as ServiceDiscoveryServiceException;
      refusedId = InstanceId;
    }
  }
  assert.ok(refused, "the store stopped taking writes before the instance quota");
  assert.equal(refused.name, "ServiceUnavailable", cairn.output().split("\n").filter((l) => l.includes('"error"')).join("\n").slice(0, 2000));
  assert.equal(refused.$metadata.httpStatusCode, 503);
  assert.ok(acknowledged.length > 10);

  // The refused registration is not in the discovery view (only committed changes reach it); the server still answers.
  const found = await sd.send(new DiscoverInstancesCommand({ NamespaceName: "full", ServiceName: "api", MaxResults: 1000, HealthStatus: "ALL" }));
  const discovered = new Set(found.Instances!.map((i) => i.InstanceId));
  assert.equal(discovered.has(refusedId), false);
  assert.equal(discovered.size, acknowledged.length);
  assert.equal(await cairn.stop(), 0);

  // After a restart on a writable store: every acknowledged call is there with its event, the refused one is not.
  await failure.end();
  cairn = await startCairn({ spawn: true, dataDir, account, args: storeArgs });
  const restarted = cloudMap(cairn);
  await assert.rejects(restarted.send(new GetInstanceCommand({ ServiceId, InstanceId: refusedId })), { name: "InstanceNotFound" });
  await restarted.send(new GetInstanceCommand({ ServiceId, InstanceId: acknowledged.at(-1)! }));
  const events = await lookupAll(cloudTrail(cairn), { LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "RegisterInstance" }] });
  assert.equal(events.filter((e) => recordOf(e).errorCode === undefined).length, acknowledged.length);
});
