import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import type { AddressInfo } from "node:net";
import type { Resolver } from "node:dns/promises";
import { DiscoverInstancesCommand, DiscoverInstancesRevisionCommand, type ServiceDiscoveryClient } from "@aws-sdk/client-servicediscovery";
import type { CairnProcess } from "../support/cairn-process.js";
import { cloudMap } from "../support/clients.js";
import { eventually, resolverFor, startCairnWithDns } from "../support/dns.js";
import { TEST_STORE } from "../support/postgres.js";
import { namespace, register, service, type TestNamespace } from "../support/registry.js";
import { openTestStore } from "../support/stores.js";

/**
 * DiscoverInstances and DNS answer from memory, and memory follows the store alone: a change no handler made (the
 * health prober's, an operator's written straight into the store) reaches them like any API call's.
 */
const DEADLINE_MS = 15_000;

let cairn: CairnProcess & { dnsPort: number };
let sd: ServiceDiscoveryClient;
let resolver: Resolver;
let zone: TestNamespace;

before(async () => {
  cairn = await startCairnWithDns({ args: ["--health-interval", "0.2", "--health-check-targets", "127.0.0.0/8"] });
  sd = cloudMap(cairn);
  resolver = resolverFor(cairn.dnsPort);
  zone = await namespace(sd, "public");
});
after(async () => {
  await cairn.stop();
});

const answered = async (name: string) => (await resolver.resolve4(name).catch(() => [] as string[])).sort();
const discovered = async (serviceName: string, HealthStatus: "HEALTHY" | "ALL" = "ALL") =>
  ((await sd.send(new DiscoverInstancesCommand({ NamespaceName: zone.httpName, ServiceName: serviceName, HealthStatus }))).Instances ?? [])
    .map((i) => i.InstanceId!)
    .sort();
const revisionOf = async (serviceName: string) =>
  (await sd.send(new DiscoverInstancesRevisionCommand({ NamespaceName: zone.httpName, ServiceName: serviceName }))).InstancesRevision;

describe("memory follows the store, whoever writes it", () => {
  test("a health flip the prober writes (no handler) reaches DiscoverInstances and DNS, and moves no revision", async () => {
    const listening = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => listening.listen(0, "127.0.0.1", () => resolve()));
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.2", () => resolve()));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    try {
      const s = await service(sd, {
        NamespaceId: zone.id,
        Name: "probed",
        DnsConfig: { RoutingPolicy: "MULTIVALUE", DnsRecords: [{ Type: "A", TTL: 10 }] },
        HealthCheckConfig: { Type: "TCP", FailureThreshold: 1 },
      });
      await register(sd, s.Id!, "up", { AWS_INSTANCE_IPV4: "127.0.0.1", AWS_INSTANCE_PORT: String((listening.address() as AddressInfo).port) });
      await register(sd, s.Id!, "down", { AWS_INSTANCE_IPV4: "127.0.0.2", AWS_INSTANCE_PORT: String(closedPort) });
      const revision = await revisionOf("probed");
      const name = `probed.${zone.name}`;
      await eventually(async () => (await answered(name)).join() === "127.0.0.1", DEADLINE_MS, "DNS to leave out the instance the prober found down");
      assert.deepEqual(await discovered("probed", "HEALTHY"), ["up"]);
      assert.deepEqual(await discovered("probed", "ALL"), ["down", "up"], "the instance is still there, unhealthy");
      assert.equal(await revisionOf("probed"), revision, "a health change moves no InstancesRevision");
    } finally {
      await new Promise<void>((resolve) => listening.close(() => resolve()));
    }
  });

  test(
    "an operator's write through another handle on the store reaches DiscoverInstances and DNS",
    { skip: TEST_STORE === "postgres" ? false : "another handle on a running server's store exists only on PostgreSQL (runs in the PostgreSQL pass)" },
    async () => {
      const s = await service(sd, { NamespaceId: zone.id, Name: "operated", DnsConfig: { RoutingPolicy: "MULTIVALUE", DnsRecords: [{ Type: "A", TTL: 10 }] } });
      await register(sd, s.Id!, "api", { AWS_INSTANCE_IPV4: "192.0.2.1" });
      const revision = (await revisionOf("operated"))!;
      const name = `operated.${zone.name}`;
      const operator = await openTestStore(cairn.store);
      try {
        const now = new Date();
        await operator.transaction(async (tx) => {
          await tx.instances.put({
            serviceId: s.Id!,
            id: "by-hand",
            namespaceId: zone.id,
            attributes: { AWS_INSTANCE_IPV4: "192.0.2.2" },
            createdByAccount: cairn.accountId,
            healthStatus: "UNKNOWN",
            createDate: now,
            updateDate: now,
          });
          await tx.services.bumpRevision(s.Id!, now.getTime());
        });
        await eventually(async () => (await discovered("operated")).join() === "api,by-hand", DEADLINE_MS, "DiscoverInstances to find the instance written by hand");
        assert.deepEqual(await answered(name), ["192.0.2.1", "192.0.2.2"]);
        assert.ok((await revisionOf("operated"))! > revision, "the revision the write moved");

        await operator.transaction((tx) => tx.instances.delete(s.Id!, "api"));
        await eventually(async () => (await answered(name)).join() === "192.0.2.2", DEADLINE_MS, "DNS to drop the instance deleted by hand");
        assert.deepEqual(await discovered("operated"), ["by-hand"]);
      } finally {
        await operator.close();
      }
    },
  );
});
