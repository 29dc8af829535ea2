import { test } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_LIMITS } from "../../src/config.js";
import { Throttle, parseThrottle } from "../../src/server/throttle.js";
import type { ApiDef } from "../../src/services/operation.js";
import { apiTables } from "../support/api-tables.js";

const [servicediscoveryApi, cloudtrail] = apiTables() as [ApiDef, ApiDef, ...ApiDef[]];
const T0 = 1_000_000;

/** How many of `n` calls at one instant get through. */
function admitted(throttle: Throttle, api: typeof cloudtrail, operation: string, n: number, account = "111111111111", region = "us-east-1"): number {
  let ok = 0;
  for (let i = 0; i < n; i++) if (!throttle.check(api, operation, account, region, T0)) ok++;
  return ok;
}

test("--throttle takes on, off, or a positive scale factor", () => {
  assert.equal(parseThrottle("on"), 1);
  assert.equal(parseThrottle("true"), 1);
  assert.equal(parseThrottle("off"), 0);
  assert.equal(parseThrottle("0.5"), 0.5);
  assert.equal(parseThrottle("10"), 10);
  assert.throws(() => parseThrottle("-1"), /positive scale factor/);
  assert.throws(() => parseThrottle("fast"), /positive scale factor/);
});

test("off by default: nothing is throttled", () => {
  const throttle = new Throttle(0, DEFAULT_LIMITS);
  assert.equal(admitted(throttle, cloudtrail, "LookupEvents", 100), 100);
  assert.equal(admitted(throttle, servicediscoveryApi, "DiscoverInstances", 5000), 5000);
});

test("AWS's rates: LookupEvents 2/s, Cloud Map discovery 2,000 burst, control plane per group, each per account and region", () => {
  const throttle = new Throttle(1, DEFAULT_LIMITS);
  assert.equal(admitted(throttle, cloudtrail, "LookupEvents", 10), 2);
  assert.equal(admitted(throttle, cloudtrail, "LookupEvents", 10, "222222222222"), 2, "another account has its own bucket");
  assert.equal(admitted(throttle, cloudtrail, "LookupEvents", 10, "111111111111", "eu-west-1"), 2, "another region too");
  assert.equal(admitted(throttle, servicediscoveryApi, "DiscoverInstances", 2500), 2000);
  assert.equal(admitted(throttle, servicediscoveryApi, "DiscoverInstancesRevision", 3500), 3000);
  assert.equal(admitted(throttle, servicediscoveryApi, "ListServices", 60) + admitted(throttle, servicediscoveryApi, "GetNamespace", 60), 100, "reads share a bucket");
  assert.equal(admitted(throttle, servicediscoveryApi, "RegisterInstance", 100), 40);
  const lookup = (at: number) => throttle.check(cloudtrail, "LookupEvents", "111111111111", "us-east-1", at);
  assert.equal(lookup(T0 + 500), undefined, "half a second buys one LookupEvents");
  assert.ok(lookup(T0 + 500), "and only one");
  assert.equal(lookup(T0 + 1000), undefined);
});

test("the errors are AWS's: RequestLimitExceeded for discovery, ThrottlingException 'Rate exceeded' otherwise, HTTP 400", () => {
  const throttle = new Throttle(0.001, DEFAULT_LIMITS);
  admitted(throttle, servicediscoveryApi, "DiscoverInstances", 5);
  const discovery = throttle.check(servicediscoveryApi, "DiscoverInstances", "111111111111", "us-east-1", T0);
  assert.equal(discovery?.code, "RequestLimitExceeded");
  assert.equal(discovery?.httpStatus, 400);
  admitted(throttle, servicediscoveryApi, "CreateService", 5);
  const control = throttle.check(servicediscoveryApi, "CreateService", "111111111111", "us-east-1", T0);
  assert.equal(control?.code, "ThrottlingException");
  assert.equal(control?.message, "Rate exceeded");
});

test("a scale factor multiplies every rate; CAIRN_LIMIT_DISCOVER_* rates apply even with throttling off", () => {
  assert.equal(admitted(new Throttle(0.5, DEFAULT_LIMITS), cloudtrail, "LookupEvents", 10), 1);
  assert.equal(admitted(new Throttle(5, DEFAULT_LIMITS), cloudtrail, "LookupEvents", 20), 10);
  const configured = new Throttle(0, { ...DEFAULT_LIMITS, discoverInstancesPerSecond: 1, discoverInstancesBurst: 3 });
  assert.equal(admitted(configured, servicediscoveryApi, "DiscoverInstances", 10), 3);
  assert.equal(admitted(configured, servicediscoveryApi, "ListServices", 500), 500);
});
