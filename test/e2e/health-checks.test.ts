import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import type { Resolver } from "node:dns/promises";
import {
  DiscoverInstancesCommand,
  GetInstancesHealthStatusCommand,
  ServiceDiscoveryClient,
} from "@aws-sdk/client-servicediscovery";
import { LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import type { CairnProcess } from "../support/cairn-process.js";
import { cloudMap } from "../support/clients.js";
import { cloudTrail } from "../support/cloudtrail.js";
import { eventually, resolverFor, startCairnWithDns } from "../support/dns.js";
import { namespace, register, service, type TestNamespace } from "../support/registry.js";

/** Checks every 200 ms, so FailureThreshold consecutive results take well under a second or two. */
const INTERVAL = "0.2";
const DEADLINE_MS = 15_000;

let cairn: CairnProcess & { dnsPort: number };
let sd: ServiceDiscoveryClient;
let resolver: Resolver;
let zone: TestNamespace;

/** A real HTTP endpoint: answers /health with `status`, and can be stopped and started again on its port. */
class Endpoint {
  status = 200;
  private server: http.Server | undefined;
  port = 0;
  constructor(readonly address: string) {}
  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      res.statusCode = req.url === "/health" ? this.status : 404;
      res.end();
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, this.address, () => resolve()));
    this.port = (this.server.address() as AddressInfo).port;
  }
  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server!.close(() => resolve());
      this.server!.closeAllConnections();
    });
  }
}

const healthOf = async (serviceId: string, instanceId: string) =>
  (await sd.send(new GetInstancesHealthStatusCommand({ ServiceId: serviceId, Instances: [instanceId] }))).Status![instanceId];

before(async () => {
  cairn = await startCairnWithDns({ args: ["--health-interval", INTERVAL, "--health-check-targets", "127.0.0.0/8"] });
  sd = cloudMap(cairn);
  resolver = resolverFor(cairn.dnsPort);
  zone = await namespace(sd, "public");
});
after(async () => {
  await cairn.stop();
});

describe("HTTP health checks", () => {
  const steady = new Endpoint("127.0.0.1");
  const flaky = new Endpoint("127.0.0.2");
  let serviceId: string;
  let name: string;
  before(async () => {
    await steady.start();
    await flaky.start();
    const s = await service(sd, {
      NamespaceId: zone.id,
      Name: "checked",
      DnsConfig: { RoutingPolicy: "MULTIVALUE", DnsRecords: [{ Type: "A", TTL: 10 }] },
      HealthCheckConfig: { Type: "HTTP", ResourcePath: "/health", FailureThreshold: 2 },
    });
    serviceId = s.Id!;
    name = `checked.${zone.name}`;
    await register(sd, serviceId, "steady", { AWS_INSTANCE_IPV4: steady.address, AWS_INSTANCE_PORT: String(steady.port) });
    await register(sd, serviceId, "flaky", { AWS_INSTANCE_IPV4: flaky.address, AWS_INSTANCE_PORT: String(flaky.port) });
  });
  after(async () => {
    await steady.stop();
    await flaky.stop().catch(() => {});
  });

  const answered = async () => (await resolver.resolve4(name)).sort();

  test("an instance whose server stops leaves the answers, and comes back when it returns", async () => {
    assert.deepEqual(await answered(), ["127.0.0.1", "127.0.0.2"]);
    await flaky.stop();
    await eventually(async () => (await answered()).join() === "127.0.0.1", DEADLINE_MS, "the stopped instance to leave the answers");
    assert.equal(await healthOf(serviceId, "flaky"), "UNHEALTHY");
    assert.equal(await healthOf(serviceId, "steady"), "HEALTHY");
    const discovered = await sd.send(new DiscoverInstancesCommand({ NamespaceName: zone.httpName, ServiceName: "checked" }));
    assert.deepEqual(discovered.Instances!.map((i) => i.InstanceId), ["steady"]);

    await flaky.start();
    await eventually(async () => (await answered()).length === 2, DEADLINE_MS, "the instance to come back");
    assert.equal(await healthOf(serviceId, "flaky"), "HEALTHY");
  });

  test("a status outside 200-399 is a failure", async () => {
    flaky.status = 503;
    await eventually(async () => (await healthOf(serviceId, "flaky")) === "UNHEALTHY", DEADLINE_MS, "a 503 to count as unhealthy");
    flaky.status = 302;
    await eventually(async () => (await healthOf(serviceId, "flaky")) === "HEALTHY", DEADLINE_MS, "a 302 to count as healthy");
  });

  test("transitions are logged, and are not CloudTrail events", async () => {
    assert.match(cairn.output(), /health: instance flaky of service \S+ is UNHEALTHY \(was HEALTHY\) after 2 consecutive checks failed at http:\/\/127\.0\.0\.2:\d+\/health/);
    assert.match(cairn.output(), /health: instance flaky of service \S+ is HEALTHY \(was UNHEALTHY\)/);
    const events = await cloudTrail(cairn).send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "ResourceName", AttributeValue: "flaky" }] }));
    assert.deepEqual(events.Events!.map((e) => e.EventName), ["RegisterInstance"]);
  });
});

describe("TCP health checks", () => {
  test("a closed port makes the instance UNHEALTHY; listening again makes it HEALTHY", async () => {
    const listener = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", () => resolve()));
    const port = (listener.address() as AddressInfo).port;
    const http = await namespace(sd, "http");
    const s = await service(sd, { NamespaceId: http.id, Name: "tcp", HealthCheckConfig: { Type: "TCP", FailureThreshold: 1 } });
    await register(sd, s.Id!, "t1", { AWS_INSTANCE_IPV4: "127.0.0.1", AWS_INSTANCE_PORT: String(port) });
    assert.equal(await healthOf(s.Id!, "t1"), "HEALTHY");
    await new Promise<void>((resolve) => listener.close(() => resolve()));
    await eventually(async () => (await healthOf(s.Id!, "t1")) === "UNHEALTHY", DEADLINE_MS, "the closed port to be noticed");
    await new Promise<void>((resolve) => listener.listen(port, "127.0.0.1", () => resolve()));
    try {
      await eventually(async () => (await healthOf(s.Id!, "t1")) === "HEALTHY", DEADLINE_MS, "the port to be noticed again");
    } finally {
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    }
  });
});
