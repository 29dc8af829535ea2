import { test } from "node:test";
import assert from "node:assert/strict";
import { ViewChanges } from "../../src/toolchain/view-changes.js";
import type { DiscoveryView } from "../../src/view/discovery-view.js";
import { healthVersion } from "../../src/toolchain/watch.js";

function fakeView(): { view: DiscoveryView; bump(): void } {
  const state = { version: 1 };
  return { view: state as unknown as DiscoveryView, bump: () => void state.version++ };
}

const within = async (promise: Promise<unknown>, ms: number): Promise<number> => {
  const started = performance.now();
  await Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error(`not within ${ms} ms`)), ms))]);
  return performance.now() - started;
};

test("a waiter wakes on the view's next change, not before", async () => {
  const { view, bump } = fakeView();
  const changes = new ViewChanges(view);
  let woke = false;
  const waiting = changes.next(changes.version, Date.now() + 10_000).then(() => void (woke = true));
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(woke, false);
  bump();
  await within(waiting, 100);
});

test("a change between the look and the wait is not missed", async () => {
  const { view, bump } = fakeView();
  const changes = new ViewChanges(view);
  const since = changes.version;
  bump();
  await within(changes.next(since, Date.now() + 10_000), 20);
});

test("a waiter wakes at its deadline, when abandoned, and when closing", async () => {
  const { view } = fakeView();
  const changes = new ViewChanges(view);
  const took = await within(changes.next(changes.version, Date.now() + 150), 1000);
  assert.ok(took >= 140, `woke after ${took} ms`);
  const gone = new AbortController();
  const abandoned = changes.next(changes.version, Date.now() + 10_000, gone.signal);
  gone.abort();
  await within(abandoned, 50);
  const open = changes.next(changes.version, Date.now() + 10_000);
  changes.close();
  await within(open, 50);
  assert.equal(changes.closing, true);
  await within(changes.next(changes.version, Date.now() + 10_000), 20);
});

test("HealthVersion depends on each instance's health, not on their order", () => {
  const a = healthVersion([{ InstanceId: "a", HealthStatus: "HEALTHY" }, { InstanceId: "b", HealthStatus: "UNHEALTHY" }]);
  assert.equal(a, healthVersion([{ InstanceId: "b", HealthStatus: "UNHEALTHY" }, { InstanceId: "a", HealthStatus: "HEALTHY" }]));
  assert.notEqual(a, healthVersion([{ InstanceId: "a", HealthStatus: "UNHEALTHY" }, { InstanceId: "b", HealthStatus: "UNHEALTHY" }]));
  assert.notEqual(a, healthVersion([{ InstanceId: "a", HealthStatus: "HEALTHY" }]));
  assert.match(a, /^[0-9a-f]{16}$/);
});
