import { test } from "node:test";
import assert from "node:assert/strict";
import { BoundedMap } from "../../src/bounded-map.js";

test("holds at most max entries, dropping the oldest; replacing a key drops nothing", () => {
  const map = new BoundedMap<string, number>(2);
  map.set("a", 1);
  map.set("b", 2);
  map.set("b", 3);
  assert.equal(map.size, 2);
  assert.equal(map.get("a"), 1);
  map.set("c", 4);
  assert.equal(map.size, 2);
  assert.equal(map.has("a"), false);
  assert.equal(map.get("b"), 3);
  assert.equal(map.get("c"), 4);
});
