import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type * as sd from "../../src/generated/servicediscovery.js";
import { ServiceError } from "../../src/protocol/errors.js";
import type { NamespaceType } from "../../src/store/records.js";
import {
  checkDnsConfigChange,
  checkHealthCheckChange,
  checkServiceDefinition,
  serviceNameKey,
  type ServiceDefinition,
} from "../../src/services/servicediscovery/service-rules.js";

function invalid(fn: () => unknown, message?: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ServiceError, `expected a ServiceError, got ${String(e)}`);
    assert.equal(e.code, "InvalidInput");
    if (message) assert.match(e.message, message);
    return true;
  });
}

const records = (...types: string[]): sd.DnsRecord[] => types.map((Type) => ({ Type: Type as sd.RecordType, TTL: 60 }));
const dns = (types: string[], RoutingPolicy?: sd.RoutingPolicy): sd.DnsConfig => ({ DnsRecords: records(...types), RoutingPolicy });

describe("DnsConfig record sets", () => {
  const allowed = [["A"], ["AAAA"], ["A", "AAAA"], ["AAAA", "A"], ["SRV"]];
  const refused = [["A", "SRV"], ["AAAA", "SRV"], ["A", "CNAME"], ["SRV", "CNAME"], ["A", "AAAA", "SRV"], ["A", "AAAA", "CNAME"], ["A", "A"], []];

  for (const nsType of ["DNS_PRIVATE", "DNS_PUBLIC"] as NamespaceType[]) {
    for (const types of allowed) {
      test(`${nsType}: [${types.join(", ")}] is allowed and makes a DNS_HTTP service with MULTIVALUE routing by default`, () => {
        const out = checkServiceDefinition({ namespaceType: nsType, dnsConfig: dns(types) });
        assert.equal(out.type, "DNS_HTTP");
        assert.equal(out.dnsConfig!.RoutingPolicy, "MULTIVALUE");
        assert.deepEqual(out.dnsConfig!.DnsRecords.map((r) => r.Type), types);
      });
    }
    for (const types of refused) {
      test(`${nsType}: [${types.join(", ")}] is InvalidInput`, () => {
        invalid(() => checkServiceDefinition({ namespaceType: nsType, dnsConfig: dns(types, "WEIGHTED") }));
      });
    }
  }

  test("CNAME needs WEIGHTED routing: omitted or MULTIVALUE is InvalidInput", () => {
    invalid(() => checkServiceDefinition({ namespaceType: "DNS_PUBLIC", dnsConfig: dns(["CNAME"]) }), /WEIGHTED/);
    invalid(() => checkServiceDefinition({ namespaceType: "DNS_PUBLIC", dnsConfig: dns(["CNAME"], "MULTIVALUE") }), /WEIGHTED/);
    const ok = checkServiceDefinition({ namespaceType: "DNS_PUBLIC", dnsConfig: dns(["CNAME"], "WEIGHTED") });
    assert.equal(ok.dnsConfig!.RoutingPolicy, "WEIGHTED");
  });

  test("an explicit routing policy and the TTLs are kept", () => {
    const out = checkServiceDefinition({ namespaceType: "DNS_PRIVATE", dnsConfig: { RoutingPolicy: "WEIGHTED", DnsRecords: [{ Type: "A", TTL: 7 }] } });
    assert.deepEqual(out.dnsConfig, { RoutingPolicy: "WEIGHTED", DnsRecords: [{ Type: "A", TTL: 7 }] });
  });

  test("an HTTP namespace takes no DnsConfig; Type HTTP takes no DnsConfig either", () => {
    const aws = /^When you specify an HTTP service, you can't include a DnsConfig element\.$/;
    invalid(() => checkServiceDefinition({ namespaceType: "HTTP", dnsConfig: dns(["A"]) }), aws);
    invalid(() => checkServiceDefinition({ namespaceType: "DNS_PRIVATE", dnsConfig: dns(["A"]), type: "HTTP" }), aws);
  });
});

describe("service Type", () => {
  const cases: [ServiceDefinition, string][] = [
    [{ namespaceType: "HTTP" }, "HTTP"],
    [{ namespaceType: "HTTP", type: "HTTP" }, "HTTP"],
    [{ namespaceType: "DNS_PRIVATE", type: "HTTP" }, "HTTP"],
    [{ namespaceType: "DNS_PUBLIC" }, "HTTP"],
    [{ namespaceType: "DNS_PUBLIC", dnsConfig: dns(["SRV"]) }, "DNS_HTTP"],
  ];
  for (const [def, type] of cases) {
    test(`${def.namespaceType}${def.dnsConfig ? " with DnsConfig" : ""}${def.type ? " and Type HTTP" : ""} → ${type}`, () => {
      assert.equal(checkServiceDefinition(def).type, type);
    });
  }
});

describe("health configuration by namespace type", () => {
  const hc: sd.HealthCheckConfig = { Type: "HTTP", ResourcePath: "/health", FailureThreshold: 3 };

  test("HealthCheckConfig is allowed in HTTP and public DNS namespaces and kept as sent", () => {
    assert.deepEqual(checkServiceDefinition({ namespaceType: "HTTP", healthCheckConfig: hc }).healthCheckConfig, hc);
    assert.deepEqual(checkServiceDefinition({ namespaceType: "DNS_PUBLIC", dnsConfig: dns(["A"]), healthCheckConfig: hc }).healthCheckConfig, hc);
    assert.deepEqual(checkServiceDefinition({ namespaceType: "HTTP", healthCheckConfig: { Type: "TCP" } }).healthCheckConfig, { Type: "TCP" });
  });

  test("HealthCheckConfig is InvalidInput in private DNS namespaces, with CNAME records, and for TCP with a path", () => {
    invalid(() => checkServiceDefinition({ namespaceType: "DNS_PRIVATE", healthCheckConfig: hc }), /private DNS/);
    invalid(() => checkServiceDefinition({ namespaceType: "DNS_PUBLIC", dnsConfig: dns(["CNAME"], "WEIGHTED"), healthCheckConfig: hc }), /CNAME/);
    invalid(() => checkServiceDefinition({ namespaceType: "HTTP", healthCheckConfig: { Type: "TCP", ResourcePath: "/" } }), /TCP/);
  });

  test("HealthCheckCustomConfig is allowed everywhere and always reports FailureThreshold 1", () => {
    for (const nsType of ["HTTP", "DNS_PRIVATE", "DNS_PUBLIC"] as NamespaceType[]) {
      const out = checkServiceDefinition({ namespaceType: nsType, healthCheckCustomConfig: { FailureThreshold: 7 } });
      assert.deepEqual(out.healthCheckCustomConfig, { FailureThreshold: 1 });
    }
  });

  test("both health configurations at once are InvalidInput", () => {
    invalid(() => checkServiceDefinition({ namespaceType: "HTTP", healthCheckConfig: hc, healthCheckCustomConfig: {} }), /not both/);
  });
});

describe("UpdateService rules", () => {
  const current = { RoutingPolicy: "MULTIVALUE" as const, DnsRecords: [{ Type: "A" as const, TTL: 60 }, { Type: "AAAA" as const, TTL: 60 }] };

  test("the same record types (any order) get their new TTLs; the routing policy stays", () => {
    const out = checkDnsConfigChange(current, { DnsRecords: [{ Type: "AAAA", TTL: 5 }, { Type: "A", TTL: 6 }] });
    assert.deepEqual(out, { RoutingPolicy: "MULTIVALUE", DnsRecords: [{ Type: "AAAA", TTL: 5 }, { Type: "A", TTL: 6 }] });
  });

  test("other record types, or DNS records for a service without them, are InvalidInput", () => {
    invalid(() => checkDnsConfigChange(current, { DnsRecords: records("A") }), /can't change/);
    invalid(() => checkDnsConfigChange(current, { DnsRecords: records("A", "AAAA", "SRV") }));
    invalid(() => checkDnsConfigChange(undefined, { DnsRecords: records("A") }), /no DNS records/);
  });

  test("a health check can be added or replaced, not turned into another type, not added to a custom-health service", () => {
    assert.deepEqual(checkHealthCheckChange("DNS_PUBLIC", { dnsConfig: current }, { Type: "HTTPS" }), { Type: "HTTPS" });
    assert.deepEqual(
      checkHealthCheckChange("DNS_PUBLIC", { dnsConfig: current, healthCheckConfig: { Type: "HTTP" } }, { Type: "HTTP", FailureThreshold: 2 }),
      { Type: "HTTP", FailureThreshold: 2 },
    );
    invalid(() => checkHealthCheckChange("DNS_PUBLIC", { healthCheckConfig: { Type: "HTTP" } }, { Type: "TCP" }), /can't change/);
    invalid(() => checkHealthCheckChange("DNS_PUBLIC", { healthCheckCustomConfig: { FailureThreshold: 1 } }, { Type: "HTTP" }), /HealthCheckCustomConfig/);
    invalid(() => checkHealthCheckChange("DNS_PRIVATE", {}, { Type: "HTTP" }), /private DNS/);
  });
});

test("service names are unique case-insensitively in DNS namespaces and case-sensitively in HTTP ones", () => {
  assert.equal(serviceNameKey("Web", "DNS_PRIVATE"), "web");
  assert.equal(serviceNameKey("Web", "DNS_PUBLIC"), "web");
  assert.equal(serviceNameKey("Web", "HTTP"), "Web");
});
