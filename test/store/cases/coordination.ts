import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Subject } from "../conformance.js";
import { sleep, until } from "../fixtures.js";

/** Coordination between nodes: exclusive jobs and leases. */
export function coordinationCases(s: Subject): void {
  const onlyShared = s.impl.shared ? false : `${s.name} is not shared by several nodes`;

  describe("exclusive jobs and leases", () => {
    test("a job runs on one node at a time; the other skips it", async () => {
      const { stores } = await s.nodes(2);
      const [a, b] = stores as [typeof stores[0], typeof stores[0]];
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

    test("a job that fails releases its name", async () => {
      const store = await s.fresh();
      await assert.rejects(store.runExclusive("failing", async () => Promise.reject(new Error("job failed"))), /job failed/);
      assert.deepEqual(await store.runExclusive("failing", async () => "again"), { ran: true, value: "again" });
    });

    test("a lease nobody else holds is taken; released, it is no longer held", async () => {
      const store = await s.fresh();
      const lease = store.lease("alone");
      assert.equal(lease.name, "alone");
      await until("the lease to be held", () => lease.held);
      await lease.release();
      assert.equal(lease.held, false);
    });

    test("a lease is held by exactly one node, and passes on when its holder lets go", { skip: onlyShared }, async () => {
      const { stores } = await s.nodes(2);
      const leases = stores.map((store) => store.lease("delivery"));
      const holder = await until("a holder", () => leases.find((l) => l.held));
      await sleep(1_500);
      assert.equal(leases.filter((l) => l.held).length, 1, "one holder");
      const other = leases.find((l) => l !== holder)!;
      await holder.release();
      assert.equal(holder.held, false);
      await until("the other node to take over", () => other.held);
      await other.release();
    });

    test("a lease passes on when its holder's store closes (a node that goes away)", { skip: onlyShared }, async () => {
      const { stores } = await s.nodes(2);
      const first = stores[0]!.lease("probing");
      await until("a to hold", () => first.held);
      const second = stores[1]!.lease("probing");
      await sleep(1_200);
      assert.equal(second.held, false);
      await stores[0]!.close();
      await until("b to take over", () => second.held);
    });

    test("a store closes at once while a lease is still connecting (a start that fails right after taking leases)", async () => {
      const store = await s.fresh();
      store.lease("probing");
      const closed = store.close().then(() => "closed");
      const stuck = sleep(5_000).then(() => "still closing after 5 s");
      assert.equal(await Promise.race([closed, stuck]), "closed");
    });
  });
}
