import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ResponseRateLimiter, prefixOf, type Verdict } from "../../src/dns/rate-limit.js";

describe("DNS response rate limiting", () => {
  test("client prefixes: IPv4 /24 (IPv4-mapped too), IPv6 /56 whatever its spelling", () => {
    assert.equal(prefixOf("192.0.2.17"), "192.0.2");
    assert.equal(prefixOf("::ffff:192.0.2.200"), "192.0.2");
    assert.equal(prefixOf("2001:db8:1:2ff::1"), "2001:db8:1:2");
    assert.equal(prefixOf("2001:DB8:1:2AB:0:0:0:1"), "2001:db8:1:2");
    assert.equal(prefixOf("2001:db8:1:300::1"), "2001:db8:1:3");
    assert.equal(prefixOf("2001::1:2:3:4:5:6"), "2001:0:1:0");
    assert.equal(prefixOf("::1"), "0:0:0:0");
    assert.equal(prefixOf("fe80::1%eth0"), "fe80:0:0:0");
  });

  test("a bucket of one second's answers, refilled at the rate; past it every second answer slips, the others drop", () => {
    let now = 0;
    const limiter = new ResponseRateLimiter(4, () => now);
    const run = (n: number, address = "10.0.0.1"): Verdict[] => Array.from({ length: n }, () => limiter.verdict(address));
    assert.deepEqual(run(8), ["answer", "answer", "answer", "answer", "drop", "slip", "drop", "slip"]);
    assert.deepEqual(run(1, "10.0.0.200"), ["drop"], "the same /24");
    assert.deepEqual(run(1, "10.0.1.1"), ["answer"], "another /24");
    now += 500;
    assert.deepEqual(run(3), ["answer", "answer", "slip"]);
    now += 10_000;
    assert.deepEqual(run(5), ["answer", "answer", "answer", "answer", "drop"], "never more than one second's worth");
  });

  test("spoofed sources from many prefixes: the table stays bounded, and its overflow is limited, not free", () => {
    let now = 0;
    const limiter = new ResponseRateLimiter(1, () => now);
    const address = (i: number): string => `${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}.1`;
    for (let i = 0; i < 65_536; i++) assert.equal(limiter.verdict(address(i)), "answer");
    const over = Array.from({ length: 4 }, (_, i) => limiter.verdict(address(70_000 + i)));
    assert.deepEqual(over, ["drop", "slip", "drop", "slip"]);
    now += 1000; // every bucket has refilled: forgotten, room again
    assert.equal(limiter.verdict(address(80_000)), "answer");
  });
});
