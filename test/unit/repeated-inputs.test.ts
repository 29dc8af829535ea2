import { test } from "node:test";
import assert from "node:assert/strict";
import { RepeatedInputs } from "../../src/server/repeated-inputs.js";

test("inputs are kept by operation and body, frozen all the way down", () => {
  const inputs = new RepeatedInputs();
  const key = inputs.key("json servicediscovery DiscoverInstances", Buffer.from('{"NamespaceName":"a","ServiceName":"b","QueryParameters":{"k":"v"}}'))!;
  const kept = inputs.remember(key, { NamespaceName: "a", ServiceName: "b", QueryParameters: { k: "v" }, List: [1, { x: 2 }] });
  assert.equal(inputs.get(key), kept);
  assert.ok(Object.isFrozen(kept) && Object.isFrozen(kept.QueryParameters) && Object.isFrozen(kept.List) && Object.isFrozen((kept.List as object[])[1]));
  assert.throws(() => ((kept as { NamespaceName: string }).NamespaceName = "other"), TypeError);
  assert.equal(inputs.get(inputs.key("json servicediscovery DiscoverInstancesRevision", Buffer.from("{}"))!), undefined);
  // Bodies differing in one byte, even beyond ASCII, are different keys.
  assert.notEqual(inputs.key("op", Buffer.from([0x7b, 0xc3, 0xa9, 0x7d])), inputs.key("op", Buffer.from([0x7b, 0xc3, 0xa8, 0x7d])));
});

test("bounded: the oldest entry goes first, and large bodies are never kept", () => {
  const inputs = new RepeatedInputs(3, 16);
  const keys = ["1", "2", "3", "4"].map((n) => inputs.key("op", Buffer.from(`{"n":${n}}`))!);
  for (const [i, key] of keys.entries()) inputs.remember(key, { n: i });
  assert.equal(inputs.size, 3);
  assert.equal(inputs.get(keys[0]!), undefined);
  assert.deepEqual(inputs.get(keys[3]!), { n: 3 });
  assert.equal(inputs.key("op", Buffer.alloc(17, 0x20)), undefined);
});

test("inputs holding other than plain JSON values (dates, bytes) are handed back as they are, not kept", () => {
  const inputs = new RepeatedInputs();
  const key = inputs.key("op", Buffer.from("{}"))!;
  for (const input of [{ at: new Date(0) }, { blob: new Uint8Array([1]) }]) {
    const back = inputs.remember(key, input);
    assert.equal(back, input);
    assert.equal(Object.isFrozen(back), false);
    assert.equal(inputs.get(key), undefined);
  }
});
