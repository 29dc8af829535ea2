import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { selectInstances, type Discoverable } from "../../src/services/servicediscovery/discovery-select.js";
import type { HealthStatus } from "../../src/store/records.js";

interface Item extends Discoverable {
  id: string;
}

const item = (id: string, health: HealthStatus, attributes: Record<string, string> = {}): Item => ({ id, health, attributes });
const ids = (items: readonly Item[]) => items.map((i) => i.id).sort();

const fleet: Item[] = [
  item("a1", "HEALTHY", { zone: "a", stage: "prod" }),
  item("a2", "UNHEALTHY", { zone: "a", stage: "prod" }),
  item("b1", "HEALTHY", { zone: "b", stage: "prod" }),
  item("b2", "UNHEALTHY", { zone: "b", stage: "beta" }),
  item("c1", "HEALTHY", { zone: "c" }),
];

describe("health filter", () => {
  test("HEALTHY is the default for services with a health check", () => {
    assert.deepEqual(ids(selectInstances(fleet, true, {})), ["a1", "b1", "c1"]);
    assert.deepEqual(ids(selectInstances(fleet, true, { healthStatus: "HEALTHY" })), ["a1", "b1", "c1"]);
  });

  test("UNHEALTHY and ALL", () => {
    assert.deepEqual(ids(selectInstances(fleet, true, { healthStatus: "UNHEALTHY" })), ["a2", "b2"]);
    assert.deepEqual(ids(selectInstances(fleet, true, { healthStatus: "ALL" })), ["a1", "a2", "b1", "b2", "c1"]);
  });

  test("HEALTHY_OR_ELSE_ALL returns the healthy ones, or everything when none is healthy", () => {
    assert.deepEqual(ids(selectInstances(fleet, true, { healthStatus: "HEALTHY_OR_ELSE_ALL" })), ["a1", "b1", "c1"]);
    const sick = fleet.filter((i) => i.health === "UNHEALTHY");
    assert.deepEqual(ids(selectInstances(sick, true, { healthStatus: "HEALTHY_OR_ELSE_ALL" })), ["a2", "b2"]);
    assert.deepEqual(ids(selectInstances(sick, true, { healthStatus: "HEALTHY" })), []);
  });

  test("HEALTHY_OR_ELSE_ALL fails open within the instances the query parameters selected", () => {
    const out = selectInstances(fleet, true, { healthStatus: "HEALTHY_OR_ELSE_ALL", queryParameters: { stage: "beta" } });
    assert.deepEqual(ids(out), ["b2"]);
  });

  test("without a health check the filter is ignored", () => {
    const unknown = fleet.map((i) => ({ ...i, health: "UNKNOWN" as const }));
    for (const healthStatus of [undefined, "HEALTHY", "UNHEALTHY", "ALL", "HEALTHY_OR_ELSE_ALL"] as const) {
      assert.equal(selectInstances(unknown, false, { healthStatus }).length, 5, String(healthStatus));
    }
  });
});

describe("query and optional parameters", () => {
  test("QueryParameters keep instances having every pair, compared exactly", () => {
    assert.deepEqual(ids(selectInstances(fleet, true, { healthStatus: "ALL", queryParameters: { zone: "a" } })), ["a1", "a2"]);
    assert.deepEqual(ids(selectInstances(fleet, true, { healthStatus: "ALL", queryParameters: { zone: "a", stage: "prod" } })), ["a1", "a2"]);
    assert.deepEqual(ids(selectInstances(fleet, true, { healthStatus: "ALL", queryParameters: { zone: "A" } })), []);
    assert.deepEqual(ids(selectInstances(fleet, true, { healthStatus: "ALL", queryParameters: { stage: "prod", zone: "c" } })), []);
    assert.deepEqual(ids(selectInstances(fleet, true, { healthStatus: "ALL", queryParameters: {} })).length, 5);
  });

  test("a key inherited from Object.prototype is not an attribute", () => {
    assert.deepEqual(ids(selectInstances(fleet, true, { healthStatus: "ALL", queryParameters: { toString: "x" } })), []);
  });

  test("OptionalParameters narrow the result when some instances match, and are ignored when none does", () => {
    assert.deepEqual(ids(selectInstances(fleet, true, { healthStatus: "ALL", optionalParameters: { zone: "b" } })), ["b1", "b2"]);
    assert.deepEqual(ids(selectInstances(fleet, true, { healthStatus: "ALL", optionalParameters: { zone: "z" } })), ["a1", "a2", "b1", "b2", "c1"]);
    assert.deepEqual(
      ids(selectInstances(fleet, true, { healthStatus: "ALL", queryParameters: { stage: "prod" }, optionalParameters: { zone: "b" } })),
      ["b1"],
    );
  });

  test("health is applied before the optional parameters: a preference never brings back unhealthy instances", () => {
    // The only beta instance (b2) is unhealthy: the preference is dropped rather than answering nothing.
    const out = selectInstances(fleet, true, { optionalParameters: { stage: "beta" } });
    assert.deepEqual(ids(out), ["a1", "b1", "c1"]);
  });
});

describe("order and size", () => {
  const many = Array.from({ length: 250 }, (_, i) => item(`i${String(i).padStart(3, "0")}`, "UNKNOWN"));

  test("MaxResults caps the result (default 100), without repeats", () => {
    const byDefault = selectInstances(many, false, {});
    assert.equal(byDefault.length, 100);
    assert.equal(new Set(byDefault.map((i) => i.id)).size, 100);
    assert.equal(selectInstances(many, false, { maxResults: 7 }).length, 7);
    assert.equal(selectInstances(many, false, { maxResults: 1000 }).length, 250);
  });

  test("the order is shuffled and the view's own array is never reordered", () => {
    const before = many.map((i) => i.id);
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const out = selectInstances(many, false, { maxResults: 250 }, random);
    assert.notDeepEqual(out.map((i) => i.id), before);
    assert.deepEqual([...out.map((i) => i.id)].sort(), before);
    assert.deepEqual(many.map((i) => i.id), before, "input untouched");
  });

  test("every instance can come first (load spreads across the fleet)", () => {
    const small = many.slice(0, 5);
    const firsts = new Set<string>();
    for (let k = 0; k < 500; k++) firsts.add(selectInstances(small, false, { maxResults: 1 })[0]!.id);
    assert.equal(firsts.size, 5);
  });
});
