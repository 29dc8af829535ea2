import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_LIMITS } from "../../src/config.js";
import { ServiceError } from "../../src/protocol/errors.js";
import type { DnsRecordType, RoutingPolicy } from "../../src/store/records.js";
import { checkInstanceAttributes, isDnsName, type InstanceTarget } from "../../src/services/servicediscovery/instance-rules.js";

const limits = { customAttributesPerInstance: DEFAULT_LIMITS.customAttributesPerInstance, instanceAttributesTotalLength: DEFAULT_LIMITS.instanceAttributesTotalLength };

function target(types: DnsRecordType[] = [], extra: Partial<InstanceTarget> & { routing?: RoutingPolicy } = {}): InstanceTarget {
  const { routing, ...rest } = extra;
  return {
    namespaceType: types.length > 0 ? "DNS_PUBLIC" : "HTTP",
    dnsConfig: types.length > 0 ? { RoutingPolicy: routing ?? "MULTIVALUE", DnsRecords: types.map((Type) => ({ Type, TTL: 60 })) } : undefined,
    ...rest,
  };
}

function ok(t: InstanceTarget, attributes: Record<string, string>, id = "i-1"): void {
  assert.doesNotThrow(() => checkInstanceAttributes(t, id, attributes, limits));
}

function invalid(t: InstanceTarget, attributes: Record<string, string>, message: RegExp, id = "i-1"): void {
  assert.throws(
    () => checkInstanceAttributes(t, id, attributes, limits),
    (e: unknown) => e instanceof ServiceError && e.code === "InvalidInput" && message.test(e.message),
  );
}

const ip = { AWS_INSTANCE_IPV4: "192.0.2.44" };

describe("attributes each record type requires", () => {
  test("A needs AWS_INSTANCE_IPV4", () => {
    invalid(target(["A"]), {}, /A record: AWS_INSTANCE_IPV4 is required/);
    invalid(target(["A"]), { AWS_INSTANCE_IPV6: "2001:db8::1" }, /AWS_INSTANCE_IPV4 is required/);
    ok(target(["A"]), ip);
  });

  test("AAAA needs AWS_INSTANCE_IPV6", () => {
    invalid(target(["AAAA"]), ip, /AAAA record: AWS_INSTANCE_IPV6 is required/);
    ok(target(["AAAA"]), { AWS_INSTANCE_IPV6: "2001:0db8:85a3:0000:0000:abcd:0001:2345" });
  });

  test("A and AAAA need at least one of the two addresses", () => {
    invalid(target(["A", "AAAA"]), { color: "red" }, /or both are required/);
    ok(target(["A", "AAAA"]), ip);
    ok(target(["A", "AAAA"]), { AWS_INSTANCE_IPV6: "::1" });
  });

  test("SRV needs a port and an address, and an instance ID usable in a DNS name", () => {
    invalid(target(["SRV"]), ip, /SRV record: AWS_INSTANCE_PORT is required/);
    invalid(target(["SRV"]), { AWS_INSTANCE_PORT: "80" }, /AWS_INSTANCE_IPV4 or AWS_INSTANCE_IPV6 is required/);
    ok(target(["SRV"]), { ...ip, AWS_INSTANCE_PORT: "80" });
    invalid(target(["SRV"]), { ...ip, AWS_INSTANCE_PORT: "80" }, /DNS name/, "arn:aws:x/y");
    ok(target(["SRV"]), { ...ip, AWS_INSTANCE_PORT: "80" }, "web-1.zone_a");
    ok(target(["SRV"]), { ...ip, AWS_INSTANCE_PORT: "80" }, "x".repeat(63));
    invalid(target(["SRV"]), { ...ip, AWS_INSTANCE_PORT: "80" }, /1 to 63 characters/, "x".repeat(64));
    invalid(target(["SRV"]), { ...ip, AWS_INSTANCE_PORT: "80" }, /1 to 63 characters/, "a..b");
  });

  test("CNAME needs AWS_INSTANCE_CNAME", () => {
    invalid(target(["CNAME"], { routing: "WEIGHTED" }), ip, /CNAME record: AWS_INSTANCE_CNAME is required/);
    ok(target(["CNAME"], { routing: "WEIGHTED" }), { AWS_INSTANCE_CNAME: "www.example.com" });
  });

  test("a Route 53 health check needs a port and an address", () => {
    invalid(target([], { healthCheckConfig: { Type: "HTTP" } }), ip, /health check: AWS_INSTANCE_PORT is required/);
    invalid(target([], { healthCheckConfig: { Type: "TCP" } }), { AWS_INSTANCE_PORT: "1" }, /health check: AWS_INSTANCE_IPV4 or AWS_INSTANCE_IPV6/);
    ok(target([], { healthCheckConfig: { Type: "TCP" } }), { ...ip, AWS_INSTANCE_PORT: "8080" });
  });

  test("a service without records or health check takes any (or no) custom attributes", () => {
    ok(target(), {});
    ok(target(), { anything: "goes", "with.dots-and:colons": "value with spaces" });
  });
});

describe("reserved attribute syntax", () => {
  test("addresses, ports, names and the initial health status are checked wherever they appear", () => {
    invalid(target(), { AWS_INSTANCE_IPV4: "10.0.0.256" }, /IPv4 address/);
    invalid(target(), { AWS_INSTANCE_IPV4: "2001:db8::1" }, /IPv4 address/);
    invalid(target(), { AWS_INSTANCE_IPV6: "10.0.0.1" }, /IPv6 address/);
    invalid(target(), { AWS_INSTANCE_PORT: "65536" }, /port number/);
    invalid(target(), { AWS_INSTANCE_PORT: "http" }, /port number/);
    invalid(target(), { AWS_INSTANCE_CNAME: "not a name" }, /domain name/);
    invalid(target(), { AWS_INIT_HEALTH_STATUS: "MAYBE" }, /HEALTHY or UNHEALTHY/);
    ok(target(), { AWS_INSTANCE_IPV4: "10.0.0.255", AWS_INSTANCE_PORT: "0", AWS_INIT_HEALTH_STATUS: "UNHEALTHY" });
  });

  test("unknown AWS_ names are reserved", () => {
    invalid(target(), { AWS_SOMETHING: "x" }, /reserved/);
    ok(target(), { aws_lower_case_is_custom: "x", AWSNOUNDERSCORE: "x" });
  });

  test("isDnsName accepts host names (optionally fully qualified) and nothing else", () => {
    for (const name of ["example.com", "a.b-c.d_e.example.com.", "x", "*.example.com"]) assert.ok(isDnsName(name), name);
    for (const name of ["", ".", "a..b", "-a.com", "a-.com", "has space.com", `${"a".repeat(64)}.com`, "a/b"]) assert.ok(!isDnsName(name), name);
  });
});

describe("alias and EC2 attributes", () => {
  const alias = { AWS_ALIAS_DNS_NAME: "my-lb-123.us-east-1.elb.amazonaws.com" };

  test("AWS_ALIAS_DNS_NAME needs A and/or AAAA records with WEIGHTED routing and no AWS_INSTANCE_* attributes", () => {
    ok(target(["A"], { routing: "WEIGHTED" }), alias);
    ok(target(["A", "AAAA"], { routing: "WEIGHTED" }), { ...alias, custom: "kept" });
    invalid(target(["A"]), alias, /WEIGHTED/);
    invalid(target(["SRV"], { routing: "WEIGHTED" }), alias, /A and\/or AAAA/);
    invalid(target(), alias, /A and\/or AAAA/);
    invalid(target(["A"], { routing: "WEIGHTED" }), { ...alias, ...ip }, /don't specify AWS_INSTANCE_IPV4/);
  });

  test("AWS_EC2_INSTANCE_ID: HTTP namespaces only, an EC2 ID, and nothing else but AWS_INIT_HEALTH_STATUS", () => {
    ok(target(), { AWS_EC2_INSTANCE_ID: "i-0123456789abcdef0", AWS_INIT_HEALTH_STATUS: "HEALTHY" });
    ok(target(), { AWS_EC2_INSTANCE_ID: "i-01234567" });
    invalid(target(), { AWS_EC2_INSTANCE_ID: "vm-1" }, /EC2 instance ID/);
    invalid(target(), { AWS_EC2_INSTANCE_ID: "i-01234567", ...ip }, /only other attribute allowed/);
    invalid(target(), { AWS_EC2_INSTANCE_ID: "i-01234567", team: "x" }, /only other attribute allowed/);
    invalid({ namespaceType: "DNS_PRIVATE" }, { AWS_EC2_INSTANCE_ID: "i-01234567" }, /HTTP namespaces/);
  });
});

describe("limits", () => {
  const custom = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, "v"]));

  test("30 custom attributes pass, 31 are InvalidInput; reserved attributes do not count", () => {
    ok(target(["A"]), { ...custom(30), ...ip, AWS_INSTANCE_PORT: "1", AWS_INIT_HEALTH_STATUS: "HEALTHY" });
    invalid(target(), custom(31), /at most 30 custom attributes; this one has 31/);
  });

  test("keys and values may total 5,000 characters, not one more", () => {
    ok(target(), { k: "v".repeat(1000), l: "v".repeat(1000), m: "v".repeat(1000), n: "v".repeat(1000), o: "v".repeat(995) });
    invalid(target(), { k: "v".repeat(1000), l: "v".repeat(1000), m: "v".repeat(1000), n: "v".repeat(1000), o: "v".repeat(996) }, /total at most 5000 characters; these total 5001/);
  });

  test("the limits come from configuration", () => {
    assert.throws(
      () => checkInstanceAttributes(target(), "i", { a: "1", b: "2" }, { customAttributesPerInstance: 1, instanceAttributesTotalLength: 5000 }),
      /at most 1 custom attributes/,
    );
  });
});
