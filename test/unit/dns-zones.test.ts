import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { DiscoveryView } from "../../src/view/discovery-view.js";
import type { NamespaceRecord, NamespaceType, ServiceRecord } from "../../src/store/records.js";
import { namespaceRecord, serviceRecord } from "../support/view-records.js";

const ns = (id: string, name: string, type: NamespaceType, created = 1_700_000_000_000, accountId = "111111111111"): NamespaceRecord =>
  namespaceRecord({ id, name, type, accountId, httpName: `${name}-${id}`, createDate: new Date(created) });
const svc = (id: string, namespaceId: string, name: string, dns = true): ServiceRecord =>
  serviceRecord({ id, namespaceId, name, ...(dns ? { type: "DNS_HTTP", dnsConfig: { RoutingPolicy: "MULTIVALUE", DnsRecords: [{ Type: "A", TTL: 60 }] } } : {}) });

describe("DNS zones over the view", () => {
  test("the most specific zone holds a name; the relative part is what is left of its apex", () => {
    const view = new DiscoveryView();
    view.putNamespace(ns("ns-1", "example.com", "DNS_PUBLIC"));
    view.putNamespace(ns("ns-2", "internal.example.com", "DNS_PRIVATE"));
    assert.equal(view.dnsZone("web.internal.example.com")?.zone.namespace.id, "ns-2");
    assert.equal(view.dnsZone("web.internal.example.com")?.relative, "web");
    assert.equal(view.dnsZone("a.b.example.com")?.relative, "a.b");
    assert.equal(view.dnsZone("example.com")?.relative, "");
    assert.equal(view.dnsZone("example.org"), undefined);
    assert.equal(view.dnsZone("com"), undefined);
  });

  test("a full reload (after missed notifications) replaces the zones and moves the version", () => {
    const view = new DiscoveryView();
    view.putNamespace(ns("ns-1", "old.internal", "DNS_PRIVATE"));
    assert.equal(view.dnsZone("old.internal")?.zone.namespace.id, "ns-1");
    const before = view.version;
    const fresh = new DiscoveryView();
    fresh.putNamespace(ns("ns-2", "new.internal", "DNS_PRIVATE"));
    view.replaceWith(fresh);
    assert.equal(view.dnsZone("old.internal"), undefined);
    assert.equal(view.dnsZone("new.internal")?.zone.namespace.id, "ns-2");
    assert.ok(view.version > before);
  });

  test("HTTP namespaces have no zone", () => {
    const view = new DiscoveryView();
    view.putNamespace(ns("ns-1", "shop", "HTTP"));
    assert.equal(view.dnsZone("web.shop"), undefined);
  });

  test("same name: private before public, then the oldest, then the smallest ID", () => {
    const view = new DiscoveryView();
    view.putNamespace(ns("ns-b", "corp.test", "DNS_PUBLIC", 1));
    assert.equal(view.dnsZone("corp.test")?.zone.namespace.id, "ns-b");
    view.putNamespace(ns("ns-d", "corp.test", "DNS_PRIVATE", 3, "222222222222"));
    assert.equal(view.dnsZone("corp.test")?.zone.namespace.id, "ns-d");
    view.putNamespace(ns("ns-c", "corp.test", "DNS_PRIVATE", 2, "333333333333"));
    assert.equal(view.dnsZone("corp.test")?.zone.namespace.id, "ns-c");
    view.putNamespace(ns("ns-a", "corp.test", "DNS_PRIVATE", 2, "444444444444"));
    assert.equal(view.dnsZone("corp.test")?.zone.namespace.id, "ns-a");
    view.removeNamespace("ns-a");
    assert.equal(view.dnsZone("corp.test")?.zone.namespace.id, "ns-c");
  });

  test("a zone's services are those with DNS records, by lower-case name; changes show at once", () => {
    const view = new DiscoveryView();
    view.putNamespace(ns("ns-1", "Example.COM.", "DNS_PRIVATE"));
    view.putService(svc("srv-1", "ns-1", "Web"), []);
    view.putService(svc("srv-2", "ns-1", "api-only", false), []);
    const zone = view.dnsZone("example.com")!.zone;
    assert.equal(zone.apex, "example.com");
    assert.deepEqual([...zone.services.keys()], ["web"]);
    view.removeService("srv-1");
    assert.deepEqual([...view.dnsZone("example.com")!.zone.services.keys()], []);
  });
});
