import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { EventWriter } from "../../src/audit/event-writer.js";
import type { Store } from "../../src/store/store.js";
import { openTestStore } from "../support/stores.js";
import { ACCOUNT, REGION, event } from "../store/fixtures.js";

/** The audit log's writer over the store under test (the store itself is checked by test/store/conformance.ts). */
describe("event writer", () => {
  test("concurrent records share transactions, and each append resolves once committed", async () => {
    const inner = await openTestStore();
    let transactions = 0;
    const counting: Pick<Store, "transaction"> = {
      transaction: (fn) => {
        transactions++;
        return inner.transaction(fn);
      },
    };
    try {
      const writer = new EventWriter(counting, 64);
      const events = Array.from({ length: 300 }, (_, i) => event(`e${i}`));
      await Promise.all(events.map((e) => writer.append(e)));
      assert.ok(transactions <= Math.ceil(300 / 64) + 1, `${transactions} transactions`);
      const found = await inner.transaction((tx) => tx.events.after(0, 1000));
      assert.equal(found.length, 300);
      assert.ok(found.every((e) => e.accountId === ACCOUNT && e.region === REGION));
      await writer.append(event("one more"));
      await writer.drain();
    } finally {
      await inner.close();
    }
  });

  test("a failed commit rejects the appends it carried", async () => {
    const failing: Pick<Store, "transaction"> = {
      transaction: () => Promise.reject(new Error("disk full")),
    };
    const writer = new EventWriter(failing);
    await assert.rejects(writer.append(event("lost")), /disk full/);
  });
});
