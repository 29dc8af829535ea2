import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { REDRAW_EVERY, ServiceSnapshot, encodeEntries, redrawEvery, type Entry } from "../../src/services/servicediscovery/discovery-encoding.js";
import type { EncodedJson } from "../../src/protocol/encoded-json.js";
import type { HealthStatus } from "../../src/store/records.js";

interface Summary {
  InstanceId: string;
  NamespaceName: string;
  ServiceName: string;
  HealthStatus: string;
  Attributes: Record<string, string>;
}

function entry(id: string, health: HealthStatus, attributes: Record<string, string> = { k: id }): Entry & { summary: Summary } {
  const summary = { InstanceId: id, NamespaceName: "ns", ServiceName: "svc", HealthStatus: health, Attributes: attributes };
  return { attributes, health, json: Buffer.from(JSON.stringify(summary)), summary };
}

const text = (encoded: EncodedJson) => Buffer.concat(encoded.chunks).toString("utf8");
const parse = (encoded: EncodedJson) => JSON.parse(text(encoded)) as { Instances: Summary[]; InstancesRevision: number };
const fleet = Array.from({ length: 10 }, (_, i) => entry(`i${i}`, i % 3 === 0 ? "UNHEALTHY" : "HEALTHY", { n: String(i), "quote\"and\\slash": "✓" }));

/** A seeded generator, so the tests see fixed but varied orders. */
function seeded(seed = 7): () => number {
  return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

describe("encodeEntries", () => {
  test("is byte for byte JSON.stringify of the output shape", () => {
    const picked = [fleet[3]!, fleet[0]!, fleet[7]!];
    const expected = JSON.stringify({ Instances: picked.map((e) => e.summary), InstancesRevision: 1_700_000_000_123 });
    assert.equal(text(encodeEntries(picked, 1_700_000_000_123)), expected);
    assert.equal(text(encodeEntries([], 5)), '{"Instances":[],"InstancesRevision":5}');
  });
});

describe("ServiceSnapshot fast path", () => {
  test("answers exactly the pool's instances, each once, as valid JSON, capped by MaxResults", () => {
    const snapshot = new ServiceSnapshot(fleet, seeded());
    for (let round = 0; round < 300; round++) {
      const all = parse(snapshot.encodePool("ALL", undefined, 42));
      assert.equal(all.InstancesRevision, 42);
      assert.deepEqual(all.Instances.map((i) => i.InstanceId).sort(), fleet.map((e) => e.summary.InstanceId).sort());
      assert.deepEqual(all.Instances.find((i) => i.InstanceId === "i4"), fleet[4]!.summary);
      const three = parse(snapshot.encodePool("ALL", 3, 42)).Instances;
      assert.equal(three.length, 3);
      assert.equal(new Set(three.map((i) => i.InstanceId)).size, 3);
    }
  });

  test("health pools hold only their instances", () => {
    const snapshot = new ServiceSnapshot(fleet, seeded());
    const healthy = parse(snapshot.encodePool("HEALTHY", 100, 1)).Instances;
    const unhealthy = parse(snapshot.encodePool("UNHEALTHY", 100, 1)).Instances;
    assert.deepEqual(healthy.map((i) => i.InstanceId).sort(), ["i1", "i2", "i4", "i5", "i7", "i8"]);
    assert.deepEqual(unhealthy.map((i) => i.InstanceId).sort(), ["i0", "i3", "i6", "i9"]);
    assert.ok(snapshot.hasHealthy());
    assert.equal(new ServiceSnapshot([fleet[0]!]).hasHealthy(), false);
    assert.equal(parse(new ServiceSnapshot([]).encodePool("ALL", 10, 9)).Instances.length, 0);
  });

  test("every instance comes first about equally often, and the order changes between calls and after redraws", () => {
    const snapshot = new ServiceSnapshot(fleet, seeded(11));
    const firsts = new Map<string, number>();
    const orders = new Set<string>();
    const calls = REDRAW_EVERY * 40;
    for (let k = 0; k < calls; k++) {
      const ids = parse(snapshot.encodePool("ALL", 100, 1)).Instances.map((i) => i.InstanceId);
      firsts.set(ids[0]!, (firsts.get(ids[0]!) ?? 0) + 1);
      orders.add(ids.join(","));
    }
    assert.equal(firsts.size, 10);
    for (const [id, count] of firsts) assert.ok(count > calls / 10 / 2 && count < (calls / 10) * 2, `${id} first ${count} times of ${calls}`);
    assert.ok(orders.size > 100, `${orders.size} distinct orders`);
  });

  test("the order is re-drawn every REDRAW_EVERY responses per started hundred instances", () => {
    assert.deepEqual([1, 100, 101, 1000].map(redrawEvery), [REDRAW_EVERY, REDRAW_EVERY, 2 * REDRAW_EVERY, 10 * REDRAW_EVERY]);
    for (const size of [10, 250]) {
      const pool = Array.from({ length: size }, (_, i) => entry(`i${i}`, "HEALTHY"));
      const snapshot = new ServiceSnapshot(pool, seeded(5));
      // A full response is a rotation of the layout: turned to start at i0, it is the layout itself.
      const cycle = () => {
        const ids = parse(snapshot.encodePool("ALL", size, 1)).Instances.map((i) => i.InstanceId);
        const at = ids.indexOf("i0");
        return [...ids.slice(at), ...ids.slice(0, at)].join(",");
      };
      const layout = cycle();
      for (let k = 1; k < redrawEvery(size); k++) assert.equal(cycle(), layout, `${size} instances, call ${k + 1}`);
      assert.notEqual(cycle(), layout, `${size} instances: re-drawn after ${redrawEvery(size)} calls`);
    }
  });
});
