import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Subject } from "../conformance.js";
import { ACCOUNT, REGION, event, idOf, namespace, service, sleep } from "../fixtures.js";

const tag = (key: string) => [{ Key: key, Value: "v" }];

/** Transactions: all or nothing, read-only snapshots, failing calls rolled back alone, changes heard after commit. */
export function transactionCases(s: Subject): void {
  describe("transactions", () => {
    test("a committed transaction's writes are visible to the next one and to another connection, once it is answered", async () => {
      const location = await s.impl.create();
      const store = await s.open(location);
      const keys = Array.from({ length: 20 }, (_, n) => `k${String(n).padStart(2, "0")}`);
      const visibleWhenAnswered = await Promise.all(
        keys.map((key) => store.transaction((tx) => tx.tags.put("arn:c", tag(key))).then(async () => (await s.impl.committedTagKeys(location, "arn:c")).includes(key))),
      );
      assert.deepEqual(visibleWhenAnswered, keys.map(() => true));
      assert.deepEqual((await store.transaction((tx) => tx.tags.list("arn:c"))).map((t) => t.Key).sort(), keys);
    });

    test("a transaction that throws leaves nothing, and its error comes out as thrown", async () => {
      const location = await s.impl.create();
      const store = await s.open(location);
      const thrown = new Error("handler failed");
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.namespaces.insert(namespace("ns-gone"));
          await tx.tags.put("arn:gone", tag("k"));
          await tx.events.append(event("gone"));
          throw thrown;
        }),
        (error) => error === thrown,
      );
      await store.transaction(async (tx) => {
        assert.equal(await tx.namespaces.get(ACCOUNT, REGION, "ns-gone"), undefined);
        assert.deepEqual(await tx.tags.list("arn:gone"), []);
        assert.equal(await tx.events.maxSeq(), 0);
      });
      assert.deepEqual(await s.impl.committedTagKeys(location, "arn:gone"), []);
    });

    test("the value fn returns is the transaction's result", async () => {
      const store = await s.fresh();
      assert.deepEqual(await store.transaction(async () => ({ a: [1] })), { a: [1] });
      assert.equal(await store.transaction(async () => "read", { readOnly: true }), "read");
      assert.equal(await store.transaction(async () => "appended", { appendOnly: true }), "appended");
    });

    test("a read-only transaction does not wait for a writer that is still busy, and reads the last commit", async () => {
      const store = await s.fresh();
      await store.transaction((tx) => tx.tags.put("arn:d", tag("old")));
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const writing = store.transaction(async (tx) => {
        await tx.tags.put("arn:d", tag("new"));
        await held;
      });
      await sleep(20);
      const read = await Promise.race([
        store.transaction(async (tx) => (await tx.tags.list("arn:d")).map((t) => t.Key), { readOnly: true }),
        sleep(2_000).then(() => "timed out"),
      ]);
      release();
      await writing;
      assert.deepEqual(read, ["old"]);
      assert.deepEqual((await store.transaction((tx) => tx.tags.list("arn:d"), { readOnly: true })).map((t) => t.Key), ["old", "new"]);
    });

    test("a read-only transaction may still write what no check depends on, and that write commits", async () => {
      const location = await s.impl.create();
      const store = await s.open(location);
      const result = await store.transaction(
        async (tx) => {
          await tx.tags.put("arn:e", tag("written"));
          return "done";
        },
        { readOnly: true },
      );
      assert.equal(result, "done");
      assert.deepEqual(await s.impl.committedTagKeys(location, "arn:e"), ["written"]);
    });

    test("an append-only transaction commits like any other", async () => {
      const location = await s.impl.create();
      const store = await s.open(location);
      const appended = event("appended");
      await Promise.all([
        store.transaction((tx) => tx.tags.put("arn:f", tag("write"))),
        store.transaction((tx) => tx.events.append(appended), { appendOnly: true }),
      ]);
      assert.deepEqual((await store.transaction((tx) => tx.events.after(0, 10))).map(idOf), [appended.eventId]);
      assert.deepEqual(await s.impl.committedTagKeys(location, "arn:f"), ["write"]);
    });
  });

  describe("transactions: concurrent writers", () => {
    test("a failing call rolls back alone; the others commit and their changes are heard after the commit, in order", async () => {
      const location = await s.impl.create();
      const store = await s.open(location);
      const seen: Array<Promise<string>> = [];
      // This node's own changes carry the row written (another node's carry keys only).
      store.watch({
        changed: (c) => {
          if (c.kind === "namespace" && c.written) seen.push(s.impl.committedTagKeys(location, "arn:b").then((keys) => `${c.id}:${keys.includes(c.id)}`));
          if (c.kind === "service" && c.written) seen.push(Promise.resolve(`${c.written.namespaceId}:service`));
        },
        resync: () => undefined,
      });
      const call = (key: string, fail: boolean) =>
        store.transaction(async (tx) => {
          await tx.tags.put("arn:b", tag(key));
          await tx.namespaces.insert(namespace(key));
          await tx.services.insert(service(`srv-${key}`, key), `srv-${key}`);
          if (fail) throw new Error(`${key} failed`);
          return key;
        });
      const results = await Promise.allSettled([call("k1", false), call("k2", true), call("k3", false)]);
      assert.deepEqual(
        results.map((r) => (r.status === "fulfilled" ? r.value : (r.reason as Error).message)),
        ["k1", "k2 failed", "k3"],
      );
      assert.deepEqual(await s.impl.committedTagKeys(location, "arn:b"), ["k1", "k3"]);
      // Each call's changes were heard once its commit was visible to another connection, in the order it wrote them;
      // nothing of k2's.
      const order = await Promise.all(seen);
      assert.deepEqual(order.filter((o) => o.startsWith("k1")), ["k1:true", "k1:service"]);
      assert.deepEqual(order.filter((o) => o.startsWith("k3")), ["k3:true", "k3:service"]);
      assert.equal(order.length, 4);
    });

    test("a call failing in the database (a duplicate key) rolls back alone, its earlier writes too; the calls around it commit", async () => {
      const location = await s.impl.create();
      const store = await s.open(location);
      await store.transaction((tx) => tx.namespaces.insert(namespace("ns-dup")));
      const results = await Promise.allSettled([
        store.transaction((tx) => tx.tags.put("arn:g", tag("before"))),
        store.transaction(async (tx) => {
          await tx.tags.put("arn:g", tag("failing"));
          await tx.namespaces.insert(namespace("ns-dup"));
        }),
        store.transaction((tx) => tx.tags.put("arn:g", tag("after"))),
      ]);
      assert.deepEqual(results.map((r) => r.status), ["fulfilled", "rejected", "fulfilled"]);
      assert.deepEqual(await s.impl.committedTagKeys(location, "arn:g"), ["after", "before"]);
      assert.equal(await store.transaction((tx) => tx.namespaces.count(ACCOUNT, REGION)), 1);
    });

    test("a deferred write runs before what follows it, and its failure fails the transaction: nothing of it is kept", async () => {
      const location = await s.impl.create();
      const store = await s.open(location);
      await store.transaction((tx) => tx.namespaces.insert(namespace("ns-deferred")));
      const readBack = await store.transaction(async (tx) => {
        // One statement: it runs before the read issued after it.
        tx.defer(tx.namespaces.insert(namespace("ns-later")));
        const seen = await tx.namespaces.get(ACCOUNT, REGION, "ns-later");
        tx.defer(tx.tags.put("arn:d", tag("deferred")));
        return seen?.id;
      });
      assert.equal(readBack, "ns-later", "the read issued after the deferred write sees it");
      const failing = store.transaction(async (tx) => {
        await tx.tags.put("arn:d", tag("before"));
        tx.defer(tx.namespaces.insert(namespace("ns-deferred")));
        return "answered";
      });
      await assert.rejects(failing, "a duplicate key in a deferred write fails its transaction");
      assert.deepEqual(await s.impl.committedTagKeys(location, "arn:d"), ["deferred"]);
    });

    test("concurrent writes each see the ones committed before them", async () => {
      const store = await s.fresh();
      const seen: string[][] = [];
      await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          store.transaction(async (tx) => {
            seen.push((await tx.tags.list("arn:h")).map((t) => t.Key));
            await tx.tags.put("arn:h", tag(`k${i}`));
          }),
        ),
      );
      assert.deepEqual(seen.map((keys) => keys.length), [0, 1, 2, 3, 4], "one after another, as if alone");
    });

    test("concurrent check-then-insert transactions respect a quota, whichever node they run on", async () => {
      const { stores } = await s.nodes(2);
      const quota = 3;
      const outcomes = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          stores[i % 2]!.transaction(async (tx) => {
            if ((await tx.namespaces.count(ACCOUNT, REGION)) >= quota) return "over quota";
            await tx.namespaces.insert(namespace(`ns-${i}`));
            return "created";
          }),
        ),
      );
      assert.equal(outcomes.filter((o) => o === "created").length, quota);
      assert.equal(await stores[0]!.transaction((tx) => tx.namespaces.count(ACCOUNT, REGION)), quota);
    });

    test("a node hears each of its own changes once, from the attempt that committed, with the row as written", async () => {
      const { stores } = await s.nodes(2);
      const heard: string[] = [];
      // Unshared, every "node" is the one store: one listener.
      for (const store of new Set(stores)) {
        store.watch({ changed: (c) => c.kind === "namespace" && c.written && heard.push(c.written.id), resync: () => undefined });
      }
      const ids = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          stores[i % 2]!.transaction(async (tx) => {
            const n = await tx.namespaces.count(ACCOUNT, REGION);
            await tx.namespaces.insert(namespace(`ns-${n}-${i}`));
            return `ns-${n}-${i}`;
          }),
        ),
      );
      assert.deepEqual(heard.sort(), ids.sort());
    });
  });
}
