import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import type { KyselyStore } from "../../src/store/kysely-store.js";
import type { StoreChange } from "../../src/store/changes.js";
import type { StoredEvent } from "../../src/store/records.js";
import { TEST_STORE } from "../support/postgres.js";
import { openTestStore, testStoreUrl } from "../support/stores.js";

/**
 * What several nodes on one store rely on, run against the store under test. On PostgreSQL each "node" is a store
 * opened on one database; SQLite belongs to one process, so there every "node" is that process's one store, and the
 * tests about hearing another node run only on PostgreSQL.
 */
const onlyPostgres = TEST_STORE === "postgres" ? false : "several nodes share a store only on PostgreSQL (runs in the PostgreSQL pass)";

const opened: KyselyStore[] = [];
async function open(url?: string): Promise<KyselyStore> {
  const store = await openTestStore(url);
  opened.push(store);
  return store;
}
after(async () => {
  for (const store of new Set(opened)) await store.close().catch(() => undefined);
});

/** `count` nodes on one fresh store. */
async function nodes(count: number): Promise<KyselyStore[]> {
  const url = await testStoreUrl();
  if (TEST_STORE === "sqlite") return Array<KyselyStore>(count).fill(await open(url));
  const out: KyselyStore[] = [];
  for (let i = 0; i < count; i++) out.push(await open(url));
  return out;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, deadlineMs = 5_000): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** The event a delivery batch read back, known by the id its record carries. */
function idOf(e: { record: string }): string {
  return (JSON.parse(e.record) as { eventId: string }).eventId;
}

function event(label: string): StoredEvent {
  const eventId = randomUUID();
  return {
    eventId,
    accountId: "123456789012",
    region: "us-east-1",
    eventTime: new Date(),
    eventName: "RegisterInstance",
    eventSource: "servicediscovery.amazonaws.com",
    readOnly: false,
    resources: [{ type: "AWS::ServiceDiscovery::Service", name: label }],
    record: JSON.stringify({ label, eventId }),
  };
}

const namespace = (id: string, at = new Date()) => ({
  id,
  arn: `arn:aws:servicediscovery:us-east-1:123456789012:namespace/${id}`,
  accountId: "123456789012",
  region: "us-east-1",
  name: id,
  type: "HTTP" as const,
  httpName: id,
  createDate: at,
});

describe(`store (${TEST_STORE}): the event sequence`, () => {
  test("a reader of seq > cursor never skips an event, however concurrent writers interleave their commits", async () => {
    const [writerA, writerB, reader] = await nodes(3);
    const written = new Set<string>();
    const seen: string[] = [];
    let cursor = 0;
    let writing = true;
    // Each transaction appends, then lingers a random while before committing: commits land in every order.
    const writers = [writerA, writerB].flatMap((store, w) =>
      Array.from({ length: 4 }, async (_, lane) => {
        for (let i = 0; i < 15; i++) {
          const e = event(`w${w}-${lane}-${i}`);
          await store.transaction(async (tx) => {
            if (i % 3 === 0) await tx.events.append(event(`extra-${w}-${lane}-${i}`)).then(() => undefined);
            await tx.events.append(e);
            await sleep(Math.random() * 4);
          });
          written.add(e.eventId);
        }
      }),
    );
    const reading = (async () => {
      while (writing) {
        const batch = await reader.transaction((tx) => tx.events.after(cursor, 7));
        for (const e of batch) {
          assert.ok(e.seq > cursor, "in sequence order");
          cursor = e.seq;
          seen.push(idOf(e));
        }
        if (batch.length === 0) await sleep(1);
      }
    })();
    await Promise.all(writers);
    writing = false;
    await reading;
    // Drain what committed after the last poll: the cursor only ever moved past events it had read.
    for (;;) {
      const batch = await reader.transaction((tx) => tx.events.after(cursor, 100));
      if (batch.length === 0) break;
      for (const e of batch) seen.push(idOf(e));
      cursor = batch[batch.length - 1]!.seq;
    }
    const all = await reader.transaction((tx) => tx.events.after(0, 10_000));
    assert.equal(seen.length, all.length, "the cursor read every event exactly once");
    assert.deepEqual(new Set(seen), new Set(all.map(idOf)));
    for (const id of written) assert.ok(seen.includes(id));
  });

  test("a rolled-back append leaves no event and takes no later event's place", async () => {
    const store = await open();
    await assert.rejects(
      store.transaction(async (tx) => {
        await tx.events.append(event("rolled-back"));
        throw new Error("handler failed");
      }),
      /handler failed/,
    );
    const kept = event("kept");
    await store.transaction((tx) => tx.events.append(kept));
    const all = await store.transaction((tx) => tx.events.after(0, 10));
    assert.deepEqual(
      all.map(idOf),
      [kept.eventId],
    );
  });
});

describe(`store (${TEST_STORE}): transactions behave as if one ran after another`, () => {
  test("concurrent check-then-insert transactions respect a quota, whichever node they run on", async () => {
    const stores = await nodes(2);
    const quota = 3;
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        stores[i % 2]!.transaction(async (tx) => {
          if ((await tx.namespaces.count("123456789012", "us-east-1")) >= quota) return "over quota";
          await tx.namespaces.insert(namespace(`ns-${i}`));
          return "created";
        }),
      ),
    );
    assert.equal(outcomes.filter((o) => o === "created").length, quota);
    assert.equal(await stores[0]!.transaction((tx) => tx.namespaces.count("123456789012", "us-east-1")), quota);
  });

  test("a node hears each of its own changes once, from the attempt that committed, with the row as written", async () => {
    const stores = await nodes(2);
    const heard: string[] = [];
    // On SQLite every "node" is the one store: one listener.
    for (const store of new Set(stores)) {
      store.watch({ changed: (c) => c.kind === "namespace" && c.written && heard.push(c.written.id), resync: () => undefined });
    }
    const ids = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        stores[i % 2]!.transaction(async (tx) => {
          const n = await tx.namespaces.count("123456789012", "us-east-1");
          await tx.namespaces.insert(namespace(`ns-${n}-${i}`));
          return `ns-${n}-${i}`;
        }),
      ),
    );
    assert.deepEqual(heard.sort(), ids.sort());
  });
});

describe(`store (${TEST_STORE}): leases and exclusive jobs`, () => {
  test("a job runs on one node at a time; the other skips it", async () => {
    const [a, b] = await nodes(2);
    let release!: () => void;
    const holding = a.runExclusive("job", () => new Promise<string>((resolve) => (release = () => resolve("a ran"))));
    await sleep(100);
    assert.deepEqual(await b.runExclusive("job", async () => "b ran"), { ran: false });
    assert.deepEqual(await a.runExclusive("job", async () => "a again"), { ran: false }, "nor twice on one node");
    assert.deepEqual(await b.runExclusive("other job", async () => "b ran"), { ran: true, value: "b ran" });
    release();
    assert.deepEqual(await holding, { ran: true, value: "a ran" });
    assert.deepEqual(await b.runExclusive("job", async () => "b ran"), { ran: true, value: "b ran" });
  });

  test("a lease is held by exactly one node, and passes on when its holder lets go", { skip: onlyPostgres }, async () => {
    const [a, b] = await nodes(2);
    const leases = [a.lease("delivery"), b.lease("delivery")];
    const holder = await until("a holder", () => leases.find((l) => l.held));
    await sleep(1_500);
    assert.equal(leases.filter((l) => l.held).length, 1, "one holder");
    const other = leases.find((l) => l !== holder)!;
    await holder.release();
    assert.equal(holder.held, false);
    await until("the other node to take over", () => other.held);
    await other.release();
  });

  test("a lease passes on when its holder's store closes (a node that goes away)", { skip: onlyPostgres }, async () => {
    const [a, b] = await nodes(2);
    const first = a.lease("probing");
    await until("a to hold", () => first.held);
    const second = b.lease("probing");
    await sleep(1_200);
    assert.equal(second.held, false);
    await a.close();
    await until("b to take over", () => second.held);
  });

  test("a store closes at once while a lease is still connecting (a start that fails right after taking leases)", async () => {
    const [store] = await nodes(1);
    store!.lease("probing");
    const closed = store!.close().then(() => "closed");
    const stuck = sleep(5_000).then(() => "still closing after 5 s");
    assert.equal(await Promise.race([closed, stuck]), "closed");
  });

  test("a lease passes on when its holder is killed with -9", { skip: onlyPostgres }, async () => {
    const url = await testStoreUrl();
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

  test("on SQLite every lease is held: the process is alone on its store", { skip: TEST_STORE === "sqlite" ? false : "SQLite only" }, async () => {
    const store = await open();
    const lease = store.lease("delivery");
    assert.equal(lease.held, true);
    await lease.release();
    assert.equal(lease.held, false);
  });
});

describe(`store (${TEST_STORE}): change notifications`, () => {
  test("another node hears each committed change to namespaces, services, instances and keys, and nothing rolled back", { skip: onlyPostgres }, async () => {
    const [writer, listener] = await nodes(2);
    const heard: StoreChange[] = [];
    let resyncs = 0;
    listener.watch({ changed: (c) => heard.push(c), resync: () => resyncs++ });
    await until("listening", () => resyncs > 0);
    const at = new Date();
    await writer.transaction(async (tx) => {
      await tx.namespaces.insert(namespace("ns-heard", at));
      await tx.services.insert(
        { id: "srv-heard", arn: "arn", accountId: "123456789012", region: "us-east-1", namespaceId: "ns-heard", name: "web", type: "HTTP", createdByAccount: "123456789012", createDate: at, instancesRevision: 1 },
        "web",
      );
      await tx.instances.put({ serviceId: "srv-heard", id: "i:1", namespaceId: "ns-heard", attributes: {}, createdByAccount: "123456789012", healthStatus: "HEALTHY", createDate: at, updateDate: at });
    });
    await writer.transaction((tx) => tx.services.bumpRevision("srv-heard", 5));
    await writer.transaction((tx) => tx.instances.setHealth("srv-heard", "i:1", { status: "UNHEALTHY" }, at));
    await assert.rejects(
      writer.transaction(async (tx) => {
        await tx.namespaces.insert(namespace("ns-rolled-back", at));
        throw new Error("no");
      }),
    );
    await writer.transaction((tx) => tx.accounts.createAccessKey({ accessKeyId: "AKIAHEARD", accountId: "123456789012", secretAccessKey: "x", status: "Active", createdAt: at }));
    await until("every change", () => heard.length >= 5 || undefined);
    await sleep(200);
    assert.deepEqual(heard, [
      { kind: "namespace", accountId: "123456789012", region: "us-east-1", id: "ns-heard" },
      { kind: "service", accountId: "123456789012", region: "us-east-1", id: "srv-heard" },
      { kind: "instance", serviceId: "srv-heard", instanceId: "i:1" },
      // The revision bump alone says nothing; the health change does.
      { kind: "instance", serviceId: "srv-heard", instanceId: "i:1" },
      { kind: "accessKey", id: "AKIAHEARD" },
    ]);
  });

  test("after its connection is cut, a listener reconnects, is told to resync, and hears changes again", { skip: onlyPostgres }, async () => {
    const url = await testStoreUrl();
    const [writer, listener] = [await open(url), await open(url)];
    const heard: StoreChange[] = [];
    let resyncs = 0;
    listener.watch({ changed: (c) => heard.push(c), resync: () => resyncs++ });
    await until("listening", () => resyncs === 1);
    const { default: pg } = await import("pg");
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const { rowCount } = await admin.query("select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'cairn changes' and datname = current_database()");
    await admin.end();
    assert.ok((rowCount ?? 0) >= 1, "the listening session was cut");
    await until("a resync after reconnecting", () => resyncs === 2);
    await writer.transaction((tx) => tx.namespaces.insert(namespace("ns-after")));
    await until("the change after reconnecting", () => heard.some((c) => c.kind === "namespace" && c.id === "ns-after"));
  });
});
