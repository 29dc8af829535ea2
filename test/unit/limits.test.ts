import { test } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_LIMITS, limitsFromEnv } from "../../src/config.js";
import { TokenBuckets } from "../../src/server/token-buckets.js";

test("the default limits are AWS's documented quotas (discovery unthrottled)", () => {
  assert.equal(DEFAULT_LIMITS.namespacesPerRegion, 50);
  assert.equal(DEFAULT_LIMITS.instancesPerService, 1000);
  assert.equal(DEFAULT_LIMITS.instancesPerNamespace, 2000);
  assert.equal(DEFAULT_LIMITS.customAttributesPerInstance, 30);
  assert.equal(DEFAULT_LIMITS.instanceAttributesTotalLength, 5000);
  assert.equal(DEFAULT_LIMITS.serviceAttributesPerService, 30);
  assert.equal(DEFAULT_LIMITS.tagsPerResource, 50);
  assert.equal(DEFAULT_LIMITS.discoverInstancesPerSecond, 0);
});

test("CAIRN_LIMIT_<NAME> overrides one limit; bad values are refused", () => {
  const limits = limitsFromEnv({ CAIRN_LIMIT_INSTANCES_PER_SERVICE: "5000", CAIRN_LIMIT_DISCOVER_INSTANCES_PER_SECOND: "1000", CAIRN_LIMIT_BOGUS: "1" });
  assert.equal(limits.instancesPerService, 5000);
  assert.equal(limits.discoverInstancesPerSecond, 1000);
  assert.equal(limits.instancesPerNamespace, 2000);
  assert.throws(() => limitsFromEnv({ CAIRN_LIMIT_TAGS_PER_RESOURCE: "-1" }), /CAIRN_LIMIT_TAGS_PER_RESOURCE must be a non-negative integer/);
  assert.throws(() => limitsFromEnv({ CAIRN_LIMIT_TAGS_PER_RESOURCE: "many" }), /non-negative integer/);
});

test("token buckets allow the burst, then the rate, per key", () => {
  const buckets = new TokenBuckets();
  const t0 = 1_000_000;
  for (let i = 0; i < 3; i++) assert.ok(buckets.take("a", 2, 3, t0), `burst ${i}`);
  assert.equal(buckets.take("a", 2, 3, t0), false);
  assert.ok(buckets.take("b", 2, 3, t0), "another key has its own bucket");
  assert.equal(buckets.take("a", 2, 3, t0 + 400), false, "0.8 token after 400 ms at 2/s");
  assert.ok(buckets.take("a", 2, 3, t0 + 500));
  assert.ok(buckets.take("a", 0, 0, t0), "rate 0 is unlimited");
});

test("token buckets forget full buckets once there are many, so callers cannot grow them without bound", () => {
  const buckets = new TokenBuckets(3);
  const t0 = 1_000_000;
  for (const key of ["a", "b", "c"]) buckets.take(key, 1, 2, t0);
  assert.equal(buckets.take("c", 1, 2, t0), true, "c is now empty");
  buckets.take("d", 1, 2, t0 + 1000);
  // a and b refilled to full by then and were dropped; c had not (1 of 2 tokens).
  assert.equal(buckets.size, 2);
  assert.equal(buckets.take("c", 1, 2, t0 + 1000), true);
  assert.equal(buckets.take("c", 1, 2, t0 + 1000), false, "c kept its state");
});
