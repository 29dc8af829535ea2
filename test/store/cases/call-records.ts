import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { OperationFilter, OperationRecord, OperationStatus, OperationType } from "../../../src/store/records.js";
import type { Subject } from "../conformance.js";
import { ACCOUNT, OTHER_ACCOUNT, REGION, defined } from "../fixtures.js";

const T0 = Date.UTC(2026, 0, 10, 12);

function operation(id: string, s: number, overrides: Partial<OperationRecord> = {}): OperationRecord {
  return { id, accountId: ACCOUNT, region: REGION, type: "REGISTER_INSTANCE", status: "SUCCESS", createDate: new Date(T0 + s * 1000), updateDate: new Date(T0 + s * 1000), ...overrides };
}

/** What calls leave besides resources: Cloud Map operations, idempotency tokens, tags. */
export function callRecordCases(s: Subject): void {
  describe("operations", () => {
    test("insert and get in scope; list newest first, paged, by every filter", async () => {
      const store = await s.fresh();
      const types: OperationType[] = ["CREATE_NAMESPACE", "REGISTER_INSTANCE", "DEREGISTER_INSTANCE"];
      const statuses: OperationStatus[] = ["SUBMITTED", "SUCCESS", "FAIL"];
      const all = Array.from({ length: 9 }, (_, i) =>
        operation(`op-${i}`, Math.floor(i / 2), {
          type: types[i % 3]!,
          status: statuses[i % 3]!,
          namespaceId: `ns-${i % 2}`,
          serviceId: i % 3 === 0 ? undefined : `srv-${i % 2}`,
          instanceId: i % 3 === 0 ? undefined : `i-${i}`,
          errorCode: i % 3 === 2 ? "ResourceLimitExceeded" : undefined,
          errorMessage: i % 3 === 2 ? "over" : undefined,
          updateDate: new Date(T0 + i * 10_000),
        }),
      );
      await store.transaction(async (tx) => {
        for (const op of all) await tx.operations.insert(op);
        await tx.operations.insert(operation("op-other", 0, { accountId: OTHER_ACCOUNT }));
      });
      assert.deepEqual(defined(await store.transaction((tx) => tx.operations.get(ACCOUNT, REGION, "op-5"))), defined(all[5]));
      assert.equal(await store.transaction((tx) => tx.operations.get(ACCOUNT, REGION, "op-other")), undefined);
      const newestFirst = [...all].sort((a, b) => b.createDate.getTime() - a.createDate.getTime() || (a.id < b.id ? 1 : -1));
      const pages: string[] = [];
      let cursor: { time: number; id: string } | undefined;
      for (;;) {
        const page = await store.transaction((tx) => tx.operations.list(ACCOUNT, REGION, {}, 4, cursor));
        if (page.length === 0) break;
        pages.push(...page.map((o) => o.id));
        cursor = { time: page.at(-1)!.createDate.getTime(), id: page.at(-1)!.id };
      }
      assert.deepEqual(pages, newestFirst.map((o) => o.id));
      const ids = async (filter: OperationFilter) =>
        (await store.transaction((tx) => tx.operations.list(ACCOUNT, REGION, filter, 100))).map((o) => o.id).sort();
      const expect = (keep: (o: OperationRecord) => boolean) => all.filter(keep).map((o) => o.id).sort();
      assert.deepEqual(await ids({ namespaceId: "ns-1" }), expect((o) => o.namespaceId === "ns-1"));
      assert.deepEqual(await ids({ serviceId: "srv-0" }), expect((o) => o.serviceId === "srv-0"));
      assert.deepEqual(await ids({ statuses: ["FAIL", "SUBMITTED"] }), expect((o) => o.status === "FAIL" || o.status === "SUBMITTED"));
      assert.deepEqual(await ids({ types: ["DEREGISTER_INSTANCE"] }), expect((o) => o.type === "DEREGISTER_INSTANCE"));
      assert.deepEqual(
        await ids({ updatedFrom: new Date(T0 + 20_000), updatedTo: new Date(T0 + 50_000) }),
        expect((o) => o.updateDate.getTime() >= T0 + 20_000 && o.updateDate.getTime() <= T0 + 50_000),
        "inclusive bounds",
      );
    });
  });

  describe("request tokens", () => {
    test("remember a result per account, region, operation and token", async () => {
      const store = await s.fresh();
      const result = { OperationId: "op-1", nested: [1, "two", null] };
      await store.transaction((tx) => tx.tokens.put(ACCOUNT, REGION, "RegisterInstance", "tok", result, new Date()));
      await store.transaction(async (tx) => {
        assert.deepEqual(await tx.tokens.get(ACCOUNT, REGION, "RegisterInstance", "tok"), result);
        assert.equal(await tx.tokens.get(ACCOUNT, REGION, "DeregisterInstance", "tok"), undefined);
        assert.equal(await tx.tokens.get(ACCOUNT, "us-west-2", "RegisterInstance", "tok"), undefined);
        assert.equal(await tx.tokens.get(OTHER_ACCOUNT, REGION, "RegisterInstance", "tok"), undefined);
        assert.equal(await tx.tokens.get(ACCOUNT, REGION, "RegisterInstance", "TOK"), undefined);
      });
    });
  });

  describe("tags", () => {
    test("put adds in order and overwrites in place; remove; removeAll; per resource", async () => {
      const store = await s.fresh();
      await store.transaction(async (tx) => {
        await tx.tags.put("arn:a", [{ Key: "z", Value: "1" }, { Key: "a", Value: "2" }]);
        await tx.tags.put("arn:b", [{ Key: "z", Value: "other" }]);
        await tx.tags.put("arn:a", [{ Key: "m", Value: "3" }, { Key: "z", Value: "changed" }]);
      });
      await store.transaction(async (tx) => {
        assert.deepEqual(await tx.tags.list("arn:a"), [{ Key: "z", Value: "changed" }, { Key: "a", Value: "2" }, { Key: "m", Value: "3" }]);
        await tx.tags.remove("arn:a", ["a", "missing"]);
        assert.deepEqual(await tx.tags.list("arn:a"), [{ Key: "z", Value: "changed" }, { Key: "m", Value: "3" }]);
        await tx.tags.removeAll("arn:a");
        assert.deepEqual(await tx.tags.list("arn:a"), []);
        assert.deepEqual(await tx.tags.list("arn:b"), [{ Key: "z", Value: "other" }]);
      });
    });
  });
}
