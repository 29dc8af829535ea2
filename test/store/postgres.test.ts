import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import pg from "pg";
import type { StoreChange } from "../../src/store/changes.js";
import { openPostgresStore } from "../../src/store/postgres/open.js";
import type { Store } from "../../src/store/store.js";
import { POSTGRES_URL, TEST_STORE, createTestDatabase } from "../support/postgres.js";
import { runStoreConformance, type StoreImplementation } from "./conformance.js";
import { namespace, sleep, until } from "./fixtures.js";

const skip = TEST_STORE === "postgres" ? false : "the PostgreSQL store runs in the PostgreSQL pass (npm run test:postgres)";

async function query<R extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<pg.QueryResult<R>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query<R>(text, values);
  } finally {
    await client.end();
  }
}

/** Cuts the store's sessions (the pool's, application_name "cairn", and the writer's) and waits until they are gone. */
async function cutPoolSessions(database: string): Promise<void> {
  const { rows } = await query<{ pid: number }>(POSTGRES_URL, "select pid from pg_stat_activity where datname = $1 and application_name in ('cairn', 'cairn writer')", [database]);
  const pids = rows.map((r) => r.pid);
  await query(POSTGRES_URL, "select pg_terminate_backend(pid) from unnest($1::int[]) as pid", [pids]);
  while ((await query(POSTGRES_URL, "select 1 from pg_stat_activity where pid = any($1::int[])", [pids])).rowCount) await sleep(50);
}

const postgresStore: StoreImplementation = {
  create: createTestDatabase,
  open: (url) => openPostgresStore(url),
  shared: true,
  committedTagKeys: async (url, arn) =>
    (await query<{ tag_key: string }>(url, "select tag_key from tags where resource_arn = $1 order by tag_key", [arn])).rows.map((r) => r.tag_key),
  // As after a failover to a standby: the database turns read-only and the store's sessions are cut, so the ones it
  // reconnects refuse every write (25006). Undone from another database, which the read-only one would refuse.
  async refuseWrites(url) {
    const database = decodeURIComponent(new URL(url).pathname.slice(1));
    await query(POSTGRES_URL, `alter database "${database}" set default_transaction_read_only = on`);
    await cutPoolSessions(database);
    return async () => {
      await query(POSTGRES_URL, `alter database "${database}" reset default_transaction_read_only`);
      await cutPoolSessions(database);
    };
  },
};

runStoreConformance("PostgreSQL", postgresStore, { skip });

/** The PostgreSQL store's own ways beyond the contract: sessions that die, and a feed that reconnects. */
describe("PostgreSQL store: lost sessions", { skip }, () => {
  const opened: Store[] = [];
  const open = async (url: string) => {
    const store = await openPostgresStore(url);
    opened.push(store);
    return store;
  };
  after(async () => {
    for (const store of opened) await store.close();
  });

  test("a lease passes on when its holder is killed with -9", async () => {
    const url = await createTestDatabase();
    const storeModule = new URL("../../src/store/postgres/open.js", import.meta.url).href;
    // Another process takes the lease and says so; then it dies without a word.
    const holder = spawn(
      process.execPath,
      ["--input-type=module", "-e", `const { openPostgresStore } = await import(${JSON.stringify(storeModule)});
        const store = await openPostgresStore(process.argv[1]);
        const lease = store.lease("delivery");
        const timer = setInterval(() => { if (lease.held) { console.log("held"); clearInterval(timer); } }, 20);`, url],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    const exited = new Promise((resolve) => holder.once("exit", resolve));
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout!.on("data", (d: Buffer) => d.toString().includes("held") && resolve());
        holder.once("exit", () => reject(new Error("the holder exited")));
      });
      const store = await open(url);
      const lease = store.lease("delivery");
      await sleep(1_200);
      assert.equal(lease.held, false, "held by the other process");
      holder.kill("SIGKILL");
      await exited;
      await until("this node to take over", () => lease.held);
    } finally {
      holder.kill("SIGKILL");
    }
  });

  test("after its connection is cut, a listener reconnects, is told to resync, and hears changes again", async () => {
    const url = await createTestDatabase();
    const [writer, listener] = [await open(url), await open(url)];
    const heard: StoreChange[] = [];
    let resyncs = 0;
    listener.watch({ changed: (c) => heard.push(c), resync: () => resyncs++ });
    await until("listening", () => resyncs === 1);
    const { rowCount } = await query(url, "select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'cairn changes' and datname = current_database()");
    assert.ok((rowCount ?? 0) >= 1, "the listening session was cut");
    await until("a resync after reconnecting", () => resyncs === 2);
    await writer.transaction((tx) => tx.namespaces.insert(namespace("ns-after")));
    await until("the change after reconnecting", () => heard.some((c) => c.kind === "namespace" && c.id === "ns-after"));
  });
});
