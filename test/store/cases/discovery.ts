import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Subject } from "../conformance.js";
import { ACCOUNT, OTHER_ACCOUNT, REGION, defined, instance, namespace, service } from "../fixtures.js";

const T0 = Date.UTC(2026, 0, 10, 12);
const at = (s: number) => new Date(T0 + s * 1000);

/** Namespaces, services, their attributes and instances: what Cloud Map and the discovery view keep. */
export function discoveryCases(s: Subject): void {
  describe("namespaces", () => {
    test("insert, get, byHttpName, list and count in scope; listAll across scopes; update; delete", async () => {
      const store = await s.fresh();
      const full = namespace("ns-b", at(1), { type: "DNS_PRIVATE", description: "d", hostedZoneId: "Z1", vpc: "vpc-1", soaTtl: 15, creatorRequestId: "r1", name: "b.local", httpName: "b-http" });
      await store.transaction(async (tx) => {
        await tx.namespaces.insert(full);
        await tx.namespaces.insert(namespace("ns-a", at(1)));
        await tx.namespaces.insert(namespace("ns-c", at(0)));
        await tx.namespaces.insert(namespace("ns-west", at(0), { region: "us-west-2" }));
        await tx.namespaces.insert(namespace("ns-other", at(0), { accountId: OTHER_ACCOUNT }));
      });
      await store.transaction(async (tx) => {
        assert.deepEqual(defined(await tx.namespaces.get(ACCOUNT, REGION, "ns-b")), full);
        assert.equal(await tx.namespaces.get(ACCOUNT, "us-west-2", "ns-b"), undefined, "scoped to the region");
        assert.equal(await tx.namespaces.get(OTHER_ACCOUNT, REGION, "ns-b"), undefined, "scoped to the account");
        assert.equal((await tx.namespaces.byHttpName(ACCOUNT, REGION, "b-http"))?.id, "ns-b");
        assert.equal(await tx.namespaces.byHttpName(ACCOUNT, REGION, "b.local"), undefined);
        assert.deepEqual((await tx.namespaces.list(ACCOUNT, REGION)).map((n) => n.id), ["ns-c", "ns-a", "ns-b"], "oldest first, then by id");
        assert.equal(await tx.namespaces.count(ACCOUNT, REGION), 3);
        assert.equal(await tx.namespaces.count(ACCOUNT, "eu-west-1"), 0);
        assert.deepEqual((await tx.namespaces.listAll()).map((n) => n.id).sort(), ["ns-a", "ns-b", "ns-c", "ns-other", "ns-west"]);
      });
      await store.transaction(async (tx) => {
        await tx.namespaces.update("ns-b", { description: null, soaTtl: 60 });
        await tx.namespaces.update("ns-a", {});
        await tx.namespaces.delete("ns-c");
      });
      await store.transaction(async (tx) => {
        const b = (await tx.namespaces.get(ACCOUNT, REGION, "ns-b"))!;
        assert.equal(b.description, undefined, "null removes");
        assert.equal(b.soaTtl, 60);
        assert.equal(b.hostedZoneId, "Z1", "untouched members stay");
        assert.equal(await tx.namespaces.get(ACCOUNT, REGION, "ns-c"), undefined);
        assert.equal(await tx.namespaces.count(ACCOUNT, REGION), 2);
      });
    });
  });

  describe("services and their attributes", () => {
    test("insert and read back; a name key is unique in its namespace", async () => {
      const store = await s.fresh();
      const full = service("srv-1", "ns-1", at(0), {
        type: "DNS_HTTP",
        description: "d",
        dnsConfig: { RoutingPolicy: "WEIGHTED", DnsRecords: [{ Type: "A", TTL: 60 }, { Type: "AAAA", TTL: 30 }] },
        healthCheckConfig: { Type: "HTTPS", ResourcePath: "/h", FailureThreshold: 3 },
        creatorRequestId: "req",
        instancesRevision: 7,
      });
      await store.transaction(async (tx) => {
        await tx.namespaces.insert(namespace("ns-1", at(0)));
        await tx.services.insert(full, "web");
        await tx.services.insert(service("srv-custom", "ns-1", at(0), { healthCheckCustomConfig: { FailureThreshold: 1 } }), "custom");
      });
      await store.transaction(async (tx) => {
        assert.deepEqual(defined(await tx.services.get(ACCOUNT, REGION, "srv-1")), full);
        assert.deepEqual((await tx.services.get(ACCOUNT, REGION, "srv-custom"))?.healthCheckCustomConfig, { FailureThreshold: 1 });
        assert.equal(await tx.services.get(OTHER_ACCOUNT, REGION, "srv-1"), undefined);
        assert.equal((await tx.services.byNameKey("ns-1", "web"))?.id, "srv-1");
        assert.equal(await tx.services.byNameKey("ns-2", "web"), undefined);
      });
      await assert.rejects(store.transaction((tx) => tx.services.insert(service("srv-2", "ns-1"), "web")));
      assert.equal(await store.transaction((tx) => tx.services.get(ACCOUNT, REGION, "srv-2")), undefined);
    });

    test("list pages oldest first with a cursor and filters by namespace; counts by namespace", async () => {
      const store = await s.fresh();
      await store.transaction(async (tx) => {
        for (let i = 0; i < 7; i++) await tx.services.insert(service(`srv-${i}`, i % 2 === 0 ? "ns-even" : "ns-odd", at(Math.floor(i / 2))), `name-${i}`);
        await tx.services.insert(service("srv-west", "ns-west", at(0), { region: "us-west-2" }), "w");
      });
      const pages: string[][] = [];
      let cursor: { time: number; id: string } | undefined;
      for (;;) {
        const page = await store.transaction((tx) => tx.services.list(ACCOUNT, REGION, {}, 3, cursor));
        if (page.length === 0) break;
        pages.push(page.map((p) => p.id));
        const last = page.at(-1)!;
        cursor = { time: last.createDate.getTime(), id: last.id };
      }
      assert.deepEqual(pages, [["srv-0", "srv-1", "srv-2"], ["srv-3", "srv-4", "srv-5"], ["srv-6"]]);
      await store.transaction(async (tx) => {
        assert.deepEqual((await tx.services.list(ACCOUNT, REGION, { namespaceId: "ns-odd" }, 10)).map((p) => p.id), ["srv-1", "srv-3", "srv-5"]);
        assert.equal((await tx.services.listAll()).length, 8);
        assert.equal(await tx.services.countInNamespace("ns-even"), 4);
        assert.deepEqual(await tx.services.countByNamespace(ACCOUNT, REGION), new Map([["ns-even", 4], ["ns-odd", 3]]));
      });
    });

    test("update changes what it names (null removes), bumpRevision moves forward, delete forgets", async () => {
      const store = await s.fresh();
      await store.transaction((tx) =>
        tx.services.insert(service("srv-u", "ns-1", at(0), { description: "old", dnsConfig: { RoutingPolicy: "MULTIVALUE", DnsRecords: [{ Type: "SRV", TTL: 10 }] }, healthCheckConfig: { Type: "TCP" } }), "u"),
      );
      await store.transaction((tx) => tx.services.update("srv-u", { description: "new", dnsConfig: null }));
      const updated = (await store.transaction((tx) => tx.services.get(ACCOUNT, REGION, "srv-u")))!;
      assert.equal(updated.description, "new");
      assert.equal(updated.dnsConfig, undefined);
      assert.deepEqual(updated.healthCheckConfig, { Type: "TCP" });
      await store.transaction((tx) => tx.services.update("srv-u", { healthCheckConfig: { Type: "HTTP", ResourcePath: "/", FailureThreshold: 2 } }));
      assert.deepEqual((await store.transaction((tx) => tx.services.get(ACCOUNT, REGION, "srv-u")))!.healthCheckConfig, { Type: "HTTP", ResourcePath: "/", FailureThreshold: 2 });
      assert.equal(await store.transaction((tx) => tx.services.bumpRevision("srv-u", 1)), 2, "past its current value");
      assert.equal(await store.transaction((tx) => tx.services.bumpRevision("srv-u", 100)), 100, "at least to atLeast");
      assert.equal(await store.transaction((tx) => tx.services.bumpRevision("srv-u", 50)), 101);
      assert.equal((await store.transaction((tx) => tx.services.get(ACCOUNT, REGION, "srv-u")))!.instancesRevision, 101);
      await store.transaction((tx) => tx.services.delete("srv-u"));
      assert.equal(await store.transaction((tx) => tx.services.get(ACCOUNT, REGION, "srv-u")), undefined);
    });

    test("within one transaction a service reads back as it last wrote it: after insert, update, bumpRevision and delete", async () => {
      const store = await s.fresh();
      const seen = await store.transaction(async (tx) => {
        const get = async () => {
          const svc = await tx.services.get(ACCOUNT, REGION, "srv-t");
          return svc && `${svc.description ?? "-"}@${svc.instancesRevision}`;
        };
        const before = await get();
        await tx.services.insert(service("srv-t", "ns-1", at(0), { description: "first" }), "t");
        const inserted = await get();
        await tx.services.update("srv-t", { description: "second" });
        const updated = await get();
        await tx.services.bumpRevision("srv-t", 7);
        const bumped = await get();
        await tx.services.delete("srv-t");
        return [before, inserted, updated, bumped, await get()];
      });
      assert.deepEqual(seen, [undefined, "first@1", "second@1", "second@7", undefined]);
    });

    test("service attributes: key order, overwrite, remove, removeAll, per service", async () => {
      const store = await s.fresh();
      await store.transaction(async (tx) => {
        await tx.serviceAttributes.put("srv-1", { b: "2", a: "1", c: "3" });
        await tx.serviceAttributes.put("srv-2", { a: "other" });
        await tx.serviceAttributes.put("srv-1", { b: "two" });
      });
      await store.transaction(async (tx) => {
        const got = await tx.serviceAttributes.get("srv-1");
        assert.deepEqual(Object.entries(got), [["a", "1"], ["b", "two"], ["c", "3"]]);
        await tx.serviceAttributes.remove("srv-1", ["a", "missing"]);
        assert.deepEqual(await tx.serviceAttributes.get("srv-1"), { b: "two", c: "3" });
        await tx.serviceAttributes.removeAll("srv-1");
        assert.deepEqual(await tx.serviceAttributes.get("srv-1"), {});
        assert.deepEqual(await tx.serviceAttributes.get("srv-2"), { a: "other" });
      });
    });
  });

  describe("instances", () => {
    test("getMany finds the services and instances named that exist, across scopes, past one statement's worth of keys", async () => {
      const store = await s.fresh();
      await store.transaction(async (tx) => {
        await tx.services.insert(service("srv-m1", "ns-1", at(0)), "m1");
        await tx.services.insert(service("srv-m2", "ns-2", at(0), { accountId: "999999999999", region: "eu-west-1" }), "m2");
        for (let i = 0; i < 250; i++) await tx.instances.put(instance("srv-m1", `i-${i}`, "ns-1", at(i)));
        await tx.instances.put(instance("srv-m2", "i-0", "ns-2", at(0)));
      });
      const { services, instances } = await store.transaction(async (tx) => ({
        services: (await tx.services.getMany(["srv-m2", "srv-missing", "srv-m1"])).map((svc) => svc.id).sort(),
        instances: await tx.instances.getMany([
          ...Array.from({ length: 250 }, (_, i) => ({ serviceId: "srv-m1", instanceId: `i-${i}` })),
          { serviceId: "srv-m2", instanceId: "i-0" },
          { serviceId: "srv-m2", instanceId: "i-1" },
          { serviceId: "srv-missing", instanceId: "i-0" },
        ]),
      }));
      assert.deepEqual(services, ["srv-m1", "srv-m2"]);
      assert.equal(instances.length, 251);
      assert.deepEqual(instances.find((i) => i.serviceId === "srv-m2")?.id, "i-0");
      assert.deepEqual(instances.find((i) => i.id === "i-249")?.createDate, at(249));
      assert.deepEqual(await store.transaction((tx) => tx.instances.getMany([])), []);
    });

    test("put inserts, and replaces keeping the first create date; get, delete", async () => {
      const store = await s.fresh();
      const first = instance("srv-1", "i-1", "ns-1", at(0), { creatorRequestId: "r", customHealthStatus: "HEALTHY", healthChangedAt: at(0), attributes: { a: "1", AWS_INSTANCE_PORT: "80" } });
      await store.transaction((tx) => tx.instances.put(first));
      assert.deepEqual(defined(await store.transaction((tx) => tx.instances.get("srv-1", "i-1"))), first);
      await store.transaction((tx) => tx.instances.put(instance("srv-1", "i-1", "ns-1", at(9), { attributes: { b: "2" }, healthStatus: "UNKNOWN" })));
      const replaced = (await store.transaction((tx) => tx.instances.get("srv-1", "i-1")))!;
      assert.deepEqual(replaced.attributes, { b: "2" });
      assert.equal(replaced.healthStatus, "UNKNOWN");
      assert.equal(replaced.customHealthStatus, undefined);
      assert.equal(replaced.createDate.getTime(), at(0).getTime(), "the first create date stays");
      assert.equal(replaced.updateDate.getTime(), at(9).getTime());
      assert.equal(await store.transaction((tx) => tx.instances.get("srv-2", "i-1")), undefined);
      await store.transaction((tx) => tx.instances.delete("srv-1", "i-1"));
      assert.equal(await store.transaction((tx) => tx.instances.get("srv-1", "i-1")), undefined);
    });

    test("list pages oldest first by (create date, id); listInService, listAll and the counts agree", async () => {
      const store = await s.fresh();
      await store.transaction(async (tx) => {
        for (const [id, t] of [["i-c", 0], ["i-a", 1], ["i-b", 1], ["i-d", 2], ["i-e", 3]] as const) await tx.instances.put(instance("srv-1", id, "ns-1", at(t)));
        await tx.instances.put(instance("srv-2", "i-x", "ns-1", at(0)));
        await tx.instances.put(instance("srv-3", "i-y", "ns-2", at(0)));
      });
      const pages: string[][] = [];
      let cursor: { time: number; id: string } | undefined;
      for (;;) {
        const page = await store.transaction((tx) => tx.instances.list("srv-1", 2, cursor));
        if (page.length === 0) break;
        pages.push(page.map((i) => i.id));
        cursor = { time: page.at(-1)!.createDate.getTime(), id: page.at(-1)!.id };
      }
      assert.deepEqual(pages, [["i-c", "i-a"], ["i-b", "i-d"], ["i-e"]]);
      await store.transaction(async (tx) => {
        assert.deepEqual((await tx.instances.listInService("srv-1")).map((i) => i.id), ["i-c", "i-a", "i-b", "i-d", "i-e"]);
        assert.equal((await tx.instances.listAll()).length, 7);
        assert.equal(await tx.instances.countInService("srv-1"), 5);
        assert.deepEqual(await tx.instances.countInServiceAndNamespace("srv-2", "ns-1"), { inService: 1, inNamespace: 6 });
        assert.deepEqual(await tx.instances.countByService(["srv-1", "srv-3", "srv-none"]), new Map([["srv-1", 5], ["srv-3", 1]]));
        assert.deepEqual(await tx.instances.countByService([]), new Map());
      });
    });

    test("setHealth sets the status and its time, and the custom status only when given", async () => {
      const store = await s.fresh();
      await store.transaction((tx) => tx.instances.put(instance("srv-1", "i-1", "ns-1", at(0), { customHealthStatus: "HEALTHY" })));
      await store.transaction((tx) => tx.instances.setHealth("srv-1", "i-1", { status: "UNHEALTHY" }, at(5)));
      let got = (await store.transaction((tx) => tx.instances.get("srv-1", "i-1")))!;
      assert.equal(got.healthStatus, "UNHEALTHY");
      assert.equal(got.customHealthStatus, "HEALTHY");
      assert.equal(got.healthChangedAt?.getTime(), at(5).getTime());
      await store.transaction((tx) => tx.instances.setHealth("srv-1", "i-1", { status: "UNHEALTHY", customStatus: "UNHEALTHY" }, at(6)));
      got = (await store.transaction((tx) => tx.instances.get("srv-1", "i-1")))!;
      assert.equal(got.customHealthStatus, "UNHEALTHY");
      assert.equal(got.healthChangedAt?.getTime(), at(6).getTime());
    });
  });
}
