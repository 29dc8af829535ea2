import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { DiscoveryView } from "../../src/view/discovery-view.js";
import type { InstanceRecord, NamespaceRecord, ServiceRecord } from "../../src/store/records.js";
import { namespaceRecord, serviceRecord } from "../support/view-records.js";

const at = new Date(1_700_000_000_000);
const ns = (id: string, httpName: string, accountId = "111111111111", region = "us-east-1"): NamespaceRecord =>
  namespaceRecord({ id, name: httpName, accountId, region, createDate: at });
const svc = (id: string, namespaceId: string, name: string, revision = 1, extra: Partial<ServiceRecord> = {}): ServiceRecord =>
  serviceRecord({ id, namespaceId, name, createDate: at, instancesRevision: revision, ...extra });
const inst = (id: string, attributes: Record<string, string> = {}, healthStatus: InstanceRecord["healthStatus"] = "UNKNOWN") => ({ id, attributes, healthStatus });
/** What a registration's transaction tells the view: the instance as written, then the revision it moved to. */
function register(view: DiscoveryView, instance: ReturnType<typeof inst>, revision: number): void {
  view.writeInstance("srv-1", instance.id, instance);
  view.moveRevision("srv-1", revision);
}

function seeded(): DiscoveryView {
  const view = new DiscoveryView();
  view.putNamespace(ns("ns-1", "shop"));
  view.putService(svc("srv-1", "ns-1", "web"), []);
  return view;
}

describe("lookup", () => {
  test("finds a service by account, region, HttpName and exact service name", () => {
    const view = seeded();
    const hit = view.lookup("111111111111", "us-east-1", "shop", "web");
    assert.ok(hit.found);
    assert.equal(hit.service.id, "srv-1");
    assert.equal(hit.namespace.httpName, "shop");
  });

  test("tells an unknown namespace from an unknown service", () => {
    const view = seeded();
    const noService = view.lookup("111111111111", "us-east-1", "shop", "Web");
    assert.equal(noService.found, false);
    assert.equal(noService.namespace?.id, "ns-1");
    assert.deepEqual(view.lookup("111111111111", "us-east-1", "nope", "web"), { found: false });
    assert.deepEqual(view.lookup("222222222222", "us-east-1", "shop", "web"), { found: false });
    assert.deepEqual(view.lookup("111111111111", "eu-west-1", "shop", "web"), { found: false });
  });

  test("removing a namespace removes its services", () => {
    const view = seeded();
    view.removeNamespace("ns-1");
    assert.equal(view.lookup("111111111111", "us-east-1", "shop", "web").found, false);
    assert.equal(view.service("srv-1"), undefined);
  });
});

describe("instances", () => {
  test("register, re-register in place, deregister; the list follows and keeps registration order", () => {
    const view = seeded();
    const s = view.service("srv-1")!;
    register(view, inst("i-1", { v: "1" }), 2);
    register(view, inst("i-2"), 3);
    const first = s.list();
    assert.deepEqual(first.map((i) => i.id), ["i-1", "i-2"]);
    assert.equal(s.list(), first, "the list is cached until something changes");
    register(view, inst("i-1", { v: "2" }), 4);
    assert.notEqual(s.list(), first);
    assert.deepEqual(s.list().map((i) => [i.id, i.attributes.v]), [["i-1", "2"], ["i-2", undefined]]);
    view.writeInstance("srv-1", "i-2", null);
    view.moveRevision("srv-1", 5);
    assert.deepEqual(s.list().map((i) => i.id), ["i-1"]);
    assert.equal(s.revision, 5);
  });

  test("the revision never goes back, and an instance of a service the view does not know is ignored", () => {
    const view = seeded();
    view.moveRevision("srv-1", 10);
    view.moveRevision("srv-1", 9);
    assert.equal(view.service("srv-1")!.revision, 10);
    view.writeInstance("srv-unknown", "i-1", inst("i-1"));
    view.moveRevision("srv-unknown", 3);
    assert.equal(view.service("srv-unknown"), undefined);
  });

  test("a health change replaces the snapshot (so caches keyed by snapshot never go stale) and moves no revision", () => {
    const view = seeded();
    register(view, inst("i-1", {}, "HEALTHY"), 2);
    const before = view.service("srv-1")!.list()[0]!;
    const version = view.version;
    view.writeInstance("srv-1", "i-1", inst("i-1", {}, "UNHEALTHY"));
    const after = view.service("srv-1")!.list()[0]!;
    assert.equal(view.service("srv-1")!.revision, 2);
    assert.ok(view.version > version, "cached DNS answers see the change");
    assert.notEqual(after, before);
    assert.equal(before.health, "HEALTHY");
    assert.equal(after.health, "UNHEALTHY");
    assert.ok(Object.isFrozen(after) && Object.isFrozen(after.attributes));
  });

  test("putService with instances replaces them and the health-check flag follows the configuration", () => {
    const view = seeded();
    register(view, inst("i-1"), 2);
    const updated = svc("srv-1", "ns-1", "web", 3, { healthCheckConfig: { Type: "HTTP" } });
    view.putService(updated, [{ ...inst("i-1", {}, "HEALTHY"), serviceId: "srv-1", namespaceId: "ns-1", createdByAccount: "1", createDate: at, updateDate: at }]);
    const s = view.service("srv-1")!;
    assert.equal(s.healthChecked, true);
    assert.equal(s.revision, 3);
    assert.equal(s.list()[0]!.health, "HEALTHY");
    view.removeService("srv-1");
    assert.equal(view.lookup("111111111111", "us-east-1", "shop", "web").found, false);
  });
});

describe("reloads (another node's change, read back from the store)", () => {
  const record = (id: string, attributes: Record<string, string> = {}) => ({
    ...inst(id, attributes, "HEALTHY"),
    serviceId: "srv-1",
    namespaceId: "ns-1",
    createdByAccount: "111111111111",
    createDate: at,
    updateDate: at,
  });

  test("a reloaded instance or service is what the store holds, even behind the view's revision; the revision never goes back", () => {
    const view = seeded();
    register(view, inst("i-1", { v: "local" }), 7);
    view.reloadInstance(svc("srv-1", "ns-1", "web", 6), "i-1", record("i-1", { v: "stored" }));
    const s = view.service("srv-1")!;
    assert.equal(s.instances.get("i-1")!.attributes.v, "stored");
    assert.equal(s.revision, 7);
    view.reloadInstance(svc("srv-1", "ns-1", "web", 8), "i-1", undefined);
    assert.deepEqual(s.list(), []);
    assert.equal(s.revision, 8);
    view.reloadService(svc("srv-1", "ns-1", "web", 8, { healthCheckCustomConfig: { FailureThreshold: 1 } }), [record("a"), record("b")]);
    assert.deepEqual(s.list().map((i) => i.id), ["a", "b"]);
    assert.equal(s.healthChecked, true);
  });

  test("a reloaded service the view did not know joins its namespace", () => {
    const view = seeded();
    view.reloadService(svc("srv-2", "ns-1", "api", 3), [record("x")]);
    const hit = view.lookup("111111111111", "us-east-1", "shop", "api");
    assert.ok(hit.found);
    assert.deepEqual(hit.service.list().map((i) => i.id), ["x"]);
  });

  test("replaceWith swaps in a whole new view (after lost notifications)", () => {
    const view = seeded();
    const fresh = new DiscoveryView();
    fresh.putNamespace(ns("ns-9", "other"));
    fresh.putService(svc("srv-9", "ns-9", "db"), []);
    view.replaceWith(fresh);
    assert.equal(view.lookup("111111111111", "us-east-1", "shop", "web").found, false);
    assert.equal(view.service("srv-1"), undefined);
    assert.ok(view.lookup("111111111111", "us-east-1", "other", "db").found);
    assert.equal(view.namespace("ns-9")?.httpName, "other");
  });
});
