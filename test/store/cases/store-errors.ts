import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { StoreError } from "../../../src/store/errors.js";
import type { Subject } from "../conformance.js";

const bulky = (i: number) => [{ Key: `k${String(i).padStart(4, "0")}`, Value: "x".repeat(200_000) }];

/** A store that cannot write says so with a typed error (store/errors.ts), never with its database's own codes. */
export function storeErrorCases(s: Subject): void {
  describe("store errors", () => {
    test("a store that stops taking writes throws a StoreError, keeps every write it acknowledged and none it refused", async () => {
      const location = await s.impl.create();
      const store = await s.open(location);
      await store.transaction((tx) => tx.tags.put("arn:full", bulky(0)));
      const writable = await s.impl.refuseWrites(location, store);
      let refused: unknown;
      let acknowledged = 1;
      for (let i = 1; i < 100 && refused === undefined; i++) {
        try {
          await store.transaction((tx) => tx.tags.put("arn:full", bulky(i)));
          acknowledged++;
        } catch (error) {
          refused = error;
        }
      }
      await writable();
      assert.ok(refused instanceof StoreError, `a StoreError, not ${String(refused)}`);
      assert.match(refused.name, /^Store(Full|Unavailable)Error$/);
      const kept = await s.impl.committedTagKeys(location, "arn:full");
      assert.deepEqual(kept, Array.from({ length: acknowledged }, (_, i) => bulky(i)[0]!.Key));
      // Writable again: the store takes writes again.
      await store.transaction((tx) => tx.tags.put("arn:after", [{ Key: "k", Value: "v" }]));
      assert.deepEqual(await s.impl.committedTagKeys(location, "arn:after"), ["k"]);
    });
  });
}
