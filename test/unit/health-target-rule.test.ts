import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { HealthCheckTargets } from "../../src/health/target-rule.js";
import { serveConfig } from "../../src/cli/serve-options.js";

const strict = new HealthCheckTargets({ allowed: [], ownPorts: () => [4640, 8053] });

describe("health-check target rule", () => {
  test("by default, local, private, non-routable and multicast endpoints are refused with the rule named", () => {
    const cases: [string, RegExp][] = [
      ["127.0.0.1", /loopback range 127\.0\.0\.0\/8/],
      ["169.254.169.254", /link-local range 169\.254\.0\.0\/16/],
      ["10.1.2.3", /private range 10\.0\.0\.0\/8/],
      ["172.31.0.1", /private range 172\.16\.0\.0\/12/],
      ["192.168.0.10", /private range 192\.168\.0\.0\/16/],
      ["100.64.0.1", /shared address space/],
      ["0.0.0.0", /'this network'/],
      ["224.0.0.251", /multicast/],
      ["255.255.255.255", /reserved/],
      ["::1", /loopback range ::1\/128/],
      ["::", /unspecified/],
      ["::ffff:127.0.0.1", /loopback|IPv4-mapped/],
      ["::ffff:a9fe:a9fe", /link-local|IPv4-mapped/],
      ["fd00::1", /unique local/],
      ["fe80::1", /link-local/],
      ["ff02::1", /multicast/],
      ["64:ff9b::a00:1", /NAT64/],
      ["2002:a00:1::1", /6to4/],
    ];
    for (const [address, why] of cases) {
      const refusal = strict.refusal(address, 80);
      assert.ok(refusal, `${address} is refused`);
      assert.match(refusal, why, address);
      assert.match(refusal, /local, private, non-routable or multicast ranges unless the operator allows the range with --health-check-targets/);
    }
    assert.match(strict.refusal("fe80::1%eth0", 80)!, /scoped/);
  });

  test("public endpoints are allowed", () => {
    for (const address of ["8.8.8.8", "52.94.76.1", "2600:1f18::1", "2a00:1450:4001::1"]) assert.equal(strict.refusal(address, 443), undefined, address);
  });

  test("--health-check-targets allows ranges; Cairn's own ports on this machine stay refused", () => {
    const rule = new HealthCheckTargets({ allowed: ["127.0.0.0/8", "10.0.0.0/8"], ownPorts: () => [4640, 8053] });
    assert.equal(rule.refusal("127.0.0.1", 8080), undefined);
    assert.equal(rule.refusal("10.9.9.9", 80), undefined);
    assert.match(rule.refusal("192.168.1.1", 80)!, /private range/, "ranges not allowed stay refused");
    assert.match(rule.refusal("169.254.169.254", 80)!, /link-local/);
    for (const address of ["127.0.0.1", "127.1.2.3", "0.0.0.0", "::1", "::ffff:127.0.0.1"]) {
      assert.match(rule.refusal(address, 4640) ?? "", /Cairn's own listening ports/, address);
      assert.match(rule.refusal(address, 8053) ?? "", /Cairn's own listening ports/, address);
    }
    assert.equal(rule.refusal("10.9.9.9", 4640), undefined, "another machine's port 4640 is not Cairn's");
  });

  test("the option and its variable are parsed as CIDR lists", () => {
    assert.deepEqual(serveConfig({}, {}).healthCheckTargets, []);
    assert.deepEqual(serveConfig({ healthCheckTargets: "127.0.0.0/8, fd00::/8" }, {}).healthCheckTargets, ["127.0.0.0/8", "fd00::/8"]);
    assert.deepEqual(serveConfig({}, { CAIRN_HEALTH_CHECK_TARGETS: "10.0.0.0/8" }).healthCheckTargets, ["10.0.0.0/8"]);
    assert.throws(() => serveConfig({ healthCheckTargets: "10.0.0.0/33" }, {}), /--health-check-targets: '10\.0\.0\.0\/33' is not an IP address or CIDR block/);
  });
});
