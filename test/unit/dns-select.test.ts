import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { RecordValues } from "../../src/dns/records.js";
import { MULTIVALUE_MAX, selectValues } from "../../src/dns/select.js";

const values = (all: string[], healthy: string[]): RecordValues => ({ type: "A", ttl: 60, all, healthy });
const ips = (n: number, from = 0): string[] => Array.from({ length: n }, (_, i) => `10.0.0.${from + i}`);

describe("answer selection", () => {
  test("MULTIVALUE: every healthy value when there are at most 8", () => {
    assert.deepEqual(selectValues(values(ips(5), ips(3)), "MULTIVALUE").sort(), ips(3).sort());
  });

  test("MULTIVALUE: 8 distinct healthy values out of more, a different subset for different draws", () => {
    const healthy = ips(20);
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const out = selectValues(values(healthy, healthy), "MULTIVALUE");
      assert.equal(out.length, MULTIVALUE_MAX);
      assert.equal(new Set(out).size, MULTIVALUE_MAX);
      for (const v of out) seen.add(v as string);
    }
    assert.ok(seen.size > MULTIVALUE_MAX);
  });

  test("MULTIVALUE: none healthy → up to 8 of all", () => {
    const out = selectValues(values(ips(10), []), "MULTIVALUE");
    assert.equal(out.length, 8);
    for (const v of out) assert.ok(ips(10).includes(v as string));
  });

  test("WEIGHTED: one healthy value at random, or one of all when none is healthy", () => {
    assert.deepEqual(selectValues(values(ips(4), ["10.0.0.2"]), "WEIGHTED"), ["10.0.0.2"]);
    const first = selectValues(values(ips(4), ips(4)), "WEIGHTED", () => 0);
    const last = selectValues(values(ips(4), ips(4)), "WEIGHTED", () => 0.99);
    assert.deepEqual([first, last], [["10.0.0.0"], ["10.0.0.3"]]);
    assert.equal(selectValues(values(ips(4), []), "WEIGHTED").length, 1);
    assert.deepEqual(selectValues(values([], []), "WEIGHTED"), []);
  });
});
