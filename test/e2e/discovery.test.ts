import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import {
  CreateHttpNamespaceCommand,
  CreatePrivateDnsNamespaceCommand,
  DeleteNamespaceCommand,
  DeleteServiceCommand,
  DeregisterInstanceCommand,
  DiscoverInstancesCommand,
  DiscoverInstancesRevisionCommand,
  GetInstancesHealthStatusCommand,
  GetNamespaceCommand,
  GetOperationCommand,
  GetServiceCommand,
  ServiceDiscoveryClient,
  UpdateInstanceCustomHealthStatusCommand,
  UpdateServiceAttributesCommand,
  UpdateServiceCommand,
  type DiscoverInstancesCommandInput,
  type HttpInstanceSummary,
} from "@aws-sdk/client-servicediscovery";
import { startCairn, type CairnProcess } from "../support/cairn-process.js";
import { cloudMap } from "../support/clients.js";
import { createdNamespaceId, expectError, uniqueName } from "../support/cloudmap.js";
import { cloudTrail, lookupAll } from "../support/cloudtrail.js";
import { send, signedCloudMapRequest } from "../support/raw.js";
import { namespace, register, service, type TestNamespace } from "../support/registry.js";

let cairn: CairnProcess;
let sd: ServiceDiscoveryClient;
let ns: TestNamespace;
/** A service with custom health and a fleet of instances, shared by the read-only tests. */
let fleet: { id: string; name: string };

const discover = async (input: Partial<DiscoverInstancesCommandInput> & { ServiceName: string }) =>
  sd.send(new DiscoverInstancesCommand({ NamespaceName: ns.httpName, ...input }));
const ids = (instances: HttpInstanceSummary[] | undefined) => (instances ?? []).map((i) => i.InstanceId!).sort();
const revisionOf = async (serviceName: string, namespaceName = ns.httpName) =>
  (await sd.send(new DiscoverInstancesRevisionCommand({ NamespaceName: namespaceName, ServiceName: serviceName }))).InstancesRevision!;

before(async () => {
  cairn = await startCairn({ args: ["--health-check-targets", "127.0.0.0/8"] });
  sd = cloudMap(cairn);
  ns = await namespace(sd, "http");
  const s = await service(sd, { NamespaceId: ns.id, Name: "fleet", HealthCheckCustomConfig: {} });
  fleet = { id: s.Id!, name: s.Name! };
  // a1 a2 b1 b2 c1: zone a/b/c; the *2 ones start unhealthy; b2 is the only canary.
  const members: [string, Record<string, string>][] = [
    ["a1", { zone: "a", stage: "prod" }],
    ["a2", { zone: "a", stage: "prod", AWS_INIT_HEALTH_STATUS: "UNHEALTHY" }],
    ["b1", { zone: "b", stage: "prod" }],
    ["b2", { zone: "b", stage: "canary", AWS_INIT_HEALTH_STATUS: "UNHEALTHY" }],
    ["c1", { zone: "c", stage: "prod", AWS_INSTANCE_IPV4: "10.0.0.9" }],
  ];
  for (const [id, attributes] of members) await register(sd, fleet.id, id, attributes);
});
after(async () => {
  await cairn.stop();
});

describe("DiscoverInstances", () => {
  test("answers HttpInstanceSummary items by HttpName and service name, with the service's revision", async () => {
    const out = await discover({ ServiceName: fleet.name, HealthStatus: "ALL" });
    assert.equal(out.$metadata.httpStatusCode, 200);
    assert.deepEqual(ids(out.Instances), ["a1", "a2", "b1", "b2", "c1"]);
    const c1 = out.Instances!.find((i) => i.InstanceId === "c1")!;
    assert.deepEqual(c1, { InstanceId: "c1", NamespaceName: ns.httpName, ServiceName: fleet.name, HealthStatus: "HEALTHY", Attributes: { zone: "c", stage: "prod", AWS_INSTANCE_IPV4: "10.0.0.9" } });
    assert.equal(out.Instances!.find((i) => i.InstanceId === "a2")!.HealthStatus, "UNHEALTHY");
    assert.equal(typeof out.InstancesRevision, "number");
    assert.ok(Number.isSafeInteger(out.InstancesRevision));
    assert.equal(out.InstancesRevision, await revisionOf(fleet.name));
  });

  test("HealthStatus: HEALTHY by default, UNHEALTHY, ALL", async () => {
    assert.deepEqual(ids((await discover({ ServiceName: fleet.name })).Instances), ["a1", "b1", "c1"]);
    assert.deepEqual(ids((await discover({ ServiceName: fleet.name, HealthStatus: "HEALTHY" })).Instances), ["a1", "b1", "c1"]);
    assert.deepEqual(ids((await discover({ ServiceName: fleet.name, HealthStatus: "UNHEALTHY" })).Instances), ["a2", "b2"]);
    assert.deepEqual(ids((await discover({ ServiceName: fleet.name, HealthStatus: "ALL" })).Instances), ["a1", "a2", "b1", "b2", "c1"]);
  });

  test("HEALTHY_OR_ELSE_ALL: the healthy ones, or all of them when none is healthy", async () => {
    assert.deepEqual(ids((await discover({ ServiceName: fleet.name, HealthStatus: "HEALTHY_OR_ELSE_ALL" })).Instances), ["a1", "b1", "c1"]);
    const s = await service(sd, { NamespaceId: ns.id, HealthCheckCustomConfig: {} });
    await register(sd, s.Id!, "x1", { AWS_INIT_HEALTH_STATUS: "UNHEALTHY" });
    await register(sd, s.Id!, "x2", { AWS_INIT_HEALTH_STATUS: "UNHEALTHY" });
    assert.deepEqual(ids((await discover({ ServiceName: s.Name!, HealthStatus: "HEALTHY_OR_ELSE_ALL" })).Instances), ["x1", "x2"]);
    assert.deepEqual(ids((await discover({ ServiceName: s.Name!, HealthStatus: "HEALTHY" })).Instances), []);
    await sd.send(new UpdateInstanceCustomHealthStatusCommand({ ServiceId: s.Id, InstanceId: "x2", Status: "HEALTHY" }));
    assert.deepEqual(ids((await discover({ ServiceName: s.Name!, HealthStatus: "HEALTHY_OR_ELSE_ALL" })).Instances), ["x2"]);
  });

  test("a service without health checks ignores HealthStatus and reports UNKNOWN", async () => {
    const s = await service(sd, { NamespaceId: ns.id });
    await register(sd, s.Id!, "u1", { AWS_INIT_HEALTH_STATUS: "UNHEALTHY" });
    for (const HealthStatus of [undefined, "HEALTHY", "UNHEALTHY", "ALL", "HEALTHY_OR_ELSE_ALL"] as const) {
      const out = await discover({ ServiceName: s.Name!, HealthStatus });
      assert.deepEqual(out.Instances!.map((i) => [i.InstanceId, i.HealthStatus]), [["u1", "UNKNOWN"]], String(HealthStatus));
    }
  });

  test("a service with a Route 53 health check reports its instances HEALTHY", async () => {
    const s = await service(sd, { NamespaceId: ns.id, HealthCheckConfig: { Type: "TCP" } });
    // Loopback, which this server allows: a checked instance is really probed, and tests probe nothing else.
    await register(sd, s.Id!, "r1", { AWS_INSTANCE_IPV4: "127.0.0.2", AWS_INSTANCE_PORT: "443" });
    const out = await discover({ ServiceName: s.Name! });
    assert.deepEqual(out.Instances!.map((i) => [i.InstanceId, i.HealthStatus]), [["r1", "HEALTHY"]]);
  });

  test("QueryParameters must all match exactly; OptionalParameters narrow only when something matches", async () => {
    const q = (input: Partial<DiscoverInstancesCommandInput>) => discover({ ServiceName: fleet.name, HealthStatus: "ALL", ...input }).then((o) => ids(o.Instances));
    assert.deepEqual(await q({ QueryParameters: { zone: "a" } }), ["a1", "a2"]);
    assert.deepEqual(await q({ QueryParameters: { zone: "b", stage: "prod" } }), ["b1"]);
    assert.deepEqual(await q({ QueryParameters: { zone: "B" } }), []);
    assert.deepEqual(await q({ QueryParameters: { AWS_INSTANCE_IPV4: "10.0.0.9" } }), ["c1"], "reserved attributes can be queried too");
    assert.deepEqual(await q({ OptionalParameters: { stage: "canary" } }), ["b2"]);
    assert.deepEqual(await q({ OptionalParameters: { stage: "nightly" } }), ["a1", "a2", "b1", "b2", "c1"]);
    assert.deepEqual(await q({ QueryParameters: { zone: "a" }, OptionalParameters: { stage: "canary" } }), ["a1", "a2"], "optional is relative to the query");
    // With the default HEALTHY filter the only canary (unhealthy) is out, so the preference is dropped.
    assert.deepEqual(ids((await discover({ ServiceName: fleet.name, OptionalParameters: { stage: "canary" } })).Instances), ["a1", "b1", "c1"]);
  });

  test("MaxResults: 100 by default, up to 1000, never a NextToken; the order is shuffled", async () => {
    const s = await service(sd, { NamespaceId: ns.id });
    for (let i = 0; i < 150; i++) await register(sd, s.Id!, `n${String(i).padStart(3, "0")}`, { i: String(i) });
    const byDefault = await discover({ ServiceName: s.Name! });
    assert.equal(byDefault.Instances!.length, 100);
    assert.equal(new Set(byDefault.Instances!.map((i) => i.InstanceId)).size, 100);
    assert.equal((byDefault as { NextToken?: string }).NextToken, undefined);
    const all = await discover({ ServiceName: s.Name!, MaxResults: 1000 });
    assert.equal(all.Instances!.length, 150);
    assert.equal((await discover({ ServiceName: s.Name!, MaxResults: 1 })).Instances!.length, 1);
    const orders = new Set<string>();
    for (let k = 0; k < 5; k++) {
      const again = await discover({ ServiceName: s.Name!, MaxResults: 1000 });
      assert.deepEqual(ids(again.Instances), ids(all.Instances));
      orders.add(again.Instances!.map((i) => i.InstanceId).join(","));
    }
    assert.ok(orders.size > 1, "calls see different orders");
  });

  test("unknown namespace or service, another OwnerAccount, and bad parameters", async () => {
    await expectError(discover({ NamespaceName: "no-such-namespace", ServiceName: fleet.name }), "NamespaceNotFound");
    await expectError(discover({ ServiceName: "no-such-service" }), "ServiceNotFound");
    await expectError(discover({ ServiceName: fleet.name.toUpperCase() }), "ServiceNotFound");
    await expectError(discover({ ServiceName: fleet.name, OwnerAccount: "999999999999" }), "NamespaceNotFound");
    assert.equal((await discover({ ServiceName: fleet.name, OwnerAccount: cairn.accountId })).Instances!.length, 3);
    await expectError(cloudMap(cairn, "eu-west-1").send(new DiscoverInstancesCommand({ NamespaceName: ns.httpName, ServiceName: fleet.name })), "NamespaceNotFound");
    await expectError(discover({ ServiceName: fleet.name, MaxResults: 1001 }), "InvalidInput", /1000/);
    await expectError(discover({ ServiceName: fleet.name, MaxResults: 0 }), "InvalidInput");
    await expectError(discover({ ServiceName: fleet.name, HealthStatus: "SICK" as never }), "InvalidInput", /enum/);
    await expectError(discover({ ServiceName: fleet.name, OwnerAccount: "123" }), "InvalidInput");
    await expectError(discover({ NamespaceName: "has space", ServiceName: fleet.name }), "InvalidInput");
    await expectError(discover({ ServiceName: "bad name" }), "InvalidInput");
    await expectError(discover({ ServiceName: fleet.name, QueryParameters: { "bad key": "v" } }), "InvalidInput");
    await expectError(sd.send(new DiscoverInstancesRevisionCommand({ NamespaceName: "no-such-namespace", ServiceName: "x" })), "NamespaceNotFound");
    await expectError(sd.send(new DiscoverInstancesRevisionCommand({ NamespaceName: ns.httpName, ServiceName: "no-such-service" })), "ServiceNotFound");
    await expectError(sd.send(new DiscoverInstancesRevisionCommand({ NamespaceName: ns.httpName } as never)), "InvalidInput", /serviceName/);
  });

  test("NamespaceName is the HttpName, which differs from Name when a name is reused", async () => {
    const name = `${uniqueName("dup")}.local`;
    const privId = await createdNamespaceId(sd, new CreatePrivateDnsNamespaceCommand({ Name: name, Vpc: "vpc-1" }));
    const httpId = await createdNamespaceId(sd, new CreateHttpNamespaceCommand({ Name: name }));
    const inPriv = await service(sd, { NamespaceId: privId, Name: "svc" });
    const inHttp = await service(sd, { NamespaceId: httpId, Name: "svc" });
    await register(sd, inPriv.Id!, "in-private");
    await register(sd, inHttp.Id!, "in-http");
    const viaName = await sd.send(new DiscoverInstancesCommand({ NamespaceName: name, ServiceName: "svc" }));
    assert.deepEqual(ids(viaName.Instances), ["in-private"]);
    const httpName = (await namespaceHttpName(httpId))!;
    assert.notEqual(httpName, name);
    const viaHttpName = await sd.send(new DiscoverInstancesCommand({ NamespaceName: httpName, ServiceName: "svc" }));
    assert.deepEqual(viaHttpName.Instances!.map((i) => [i.InstanceId, i.NamespaceName]), [["in-http", httpName]]);
  });

  test("deleted services and namespaces disappear from discovery", async () => {
    const local = await namespace(sd, "http");
    const s = await service(sd, { NamespaceId: local.id });
    await register(sd, s.Id!, "i");
    assert.equal((await sd.send(new DiscoverInstancesCommand({ NamespaceName: local.httpName, ServiceName: s.Name! }))).Instances!.length, 1);
    await sd.send(new DeregisterInstanceCommand({ ServiceId: s.Id, InstanceId: "i" }));
    assert.deepEqual((await sd.send(new DiscoverInstancesCommand({ NamespaceName: local.httpName, ServiceName: s.Name! }))).Instances, []);
    await sd.send(new DeleteServiceCommand({ Id: s.Id }));
    await expectError(sd.send(new DiscoverInstancesCommand({ NamespaceName: local.httpName, ServiceName: s.Name! })), "ServiceNotFound");
    await sd.send(new DeleteNamespaceCommand({ Id: local.id }));
    await expectError(sd.send(new DiscoverInstancesCommand({ NamespaceName: local.httpName, ServiceName: s.Name! })), "NamespaceNotFound");
  });
});

async function namespaceHttpName(id: string): Promise<string | undefined> {
  return (await sd.send(new GetNamespaceCommand({ Id: id }))).Namespace!.Properties!.HttpProperties!.HttpName;
}

describe("InstancesRevision", () => {
  test("changes with every registration, re-registration and deregistration, and with nothing else (not health)", async () => {
    const s = await service(sd, { NamespaceId: ns.id, HealthCheckCustomConfig: {} });
    const seen: number[] = [await revisionOf(s.Name!)];
    const expectChange = async (what: string) => {
      const now = await revisionOf(s.Name!);
      assert.ok(now > seen[seen.length - 1]!, `${what} moves the revision forward (${seen[seen.length - 1]} → ${now})`);
      assert.ok(now <= Number.MAX_SAFE_INTEGER);
      assert.equal((await discover({ ServiceName: s.Name!, HealthStatus: "ALL" })).InstancesRevision, now, "both calls agree");
      seen.push(now);
    };
    const expectSame = async (what: string) => assert.equal(await revisionOf(s.Name!), seen[seen.length - 1], `${what} leaves the revision alone`);

    await register(sd, s.Id!, "r1", { v: "1" });
    await expectChange("registering");
    await register(sd, s.Id!, "r1", { v: "2" });
    await expectChange("re-registering");
    await sd.send(new UpdateInstanceCustomHealthStatusCommand({ ServiceId: s.Id, InstanceId: "r1", Status: "UNHEALTHY" }));
    const discovered = await discover({ ServiceName: s.Name!, HealthStatus: "ALL" });
    assert.equal(discovered.Instances![0]!.HealthStatus, "UNHEALTHY", "discovery shows the health change at once");
    assert.equal(discovered.InstancesRevision, seen[seen.length - 1], "the API model: health status updates don't update InstancesRevision");
    await expectSame("a health change");
    await sd.send(new UpdateInstanceCustomHealthStatusCommand({ ServiceId: s.Id, InstanceId: "r1", Status: "HEALTHY" }));
    await expectSame("a health change back");
    await sd.send(new UpdateServiceAttributesCommand({ ServiceId: s.Id, Attributes: { a: "b" } }));
    await discover({ ServiceName: s.Name! });
    await expectSame("service attributes and discovery calls");
    await sd.send(new DeregisterInstanceCommand({ ServiceId: s.Id, InstanceId: "r1" }));
    await expectChange("deregistering");
  });

  test("adding a Route 53 health check changes instance health, but not the revision", async () => {
    const pub = await namespace(sd, "public");
    const s = await service(sd, { NamespaceId: pub.id, DnsConfig: { DnsRecords: [{ Type: "A", TTL: 10 }] } });
    await register(sd, s.Id!, "h1", { AWS_INSTANCE_IPV4: "127.0.0.2", AWS_INSTANCE_PORT: "9" });
    const before = await revisionOf(s.Name!, pub.httpName);
    assert.equal((await sd.send(new DiscoverInstancesCommand({ NamespaceName: pub.httpName, ServiceName: s.Name! }))).Instances![0]!.HealthStatus, "UNKNOWN");
    await sd.send(new UpdateServiceCommand({ Id: s.Id, Service: { HealthCheckConfig: { Type: "HTTP" } } }));
    const out = await sd.send(new DiscoverInstancesCommand({ NamespaceName: pub.httpName, ServiceName: s.Name! }));
    assert.equal(out.Instances![0]!.HealthStatus, "HEALTHY");
    assert.equal(out.InstancesRevision, before);
    await sd.send(new UpdateServiceCommand({ Id: s.Id, Service: { Description: "TTL only", DnsConfig: { DnsRecords: [{ Type: "A", TTL: 99 }] }, HealthCheckConfig: { Type: "HTTP" } } }));
    assert.equal(await revisionOf(s.Name!, pub.httpName), before, "nor does a change of the DNS TTL");
  });

  test("a service recreated under the same name never repeats a revision", async () => {
    const local = await namespace(sd, "http");
    const first = await service(sd, { NamespaceId: local.id, Name: "again" });
    for (let i = 0; i < 3; i++) await register(sd, first.Id!, `i${i}`);
    const old = await revisionOf("again", local.httpName);
    for (let i = 0; i < 3; i++) await sd.send(new DeregisterInstanceCommand({ ServiceId: first.Id, InstanceId: `i${i}` }));
    await sd.send(new DeleteServiceCommand({ Id: first.Id }));
    await service(sd, { NamespaceId: local.id, Name: "again" });
    assert.ok((await revisionOf("again", local.httpName)) > old);
  });
});

describe("the data- host prefix", () => {
  test("a raw request signed for Host data-127.0.0.1:<port> is answered", async () => {
    const host = `data-127.0.0.1:${cairn.port}`;
    const req = await signedCloudMapRequest(cairn.url, cairn.credentials, "DiscoverInstances", { NamespaceName: ns.httpName, ServiceName: fleet.name, HealthStatus: "ALL" }, { host });
    assert.equal(req.headers.host, host);
    const res = await send(req);
    assert.equal(res.status, 200, res.body);
    assert.equal(res.headers["content-type"], "application/x-amz-json-1.1");
    assert.match(String(res.headers["x-amzn-requestid"]), /^[0-9a-f-]{36}$/);
    const body = res.json() as { Instances: HttpInstanceSummary[]; InstancesRevision: number };
    assert.deepEqual(ids(body.Instances), ["a1", "a2", "b1", "b2", "c1"]);
    const rev = await send(await signedCloudMapRequest(cairn.url, cairn.credentials, "DiscoverInstancesRevision", { NamespaceName: ns.httpName, ServiceName: fleet.name }, { host }));
    assert.deepEqual(rev.json(), { InstancesRevision: body.InstancesRevision });
  });

  test("an SDK client that keeps the host prefix (data-cairn.test, resolved to loopback) discovers", async () => {
    // Any name resolves to 127.0.0.1, so the SDK's `data-` host reaches Cairn with that Host header and signature.
    const lookup = (_host: string, options: { all?: boolean }, cb: (...args: unknown[]) => void) =>
      options.all ? cb(null, [{ address: "127.0.0.1", family: 4 }]) : cb(null, "127.0.0.1", 4);
    const hosts: string[] = [];
    const agent = new http.Agent({ keepAlive: false, lookup: lookup as never });
    const client = new ServiceDiscoveryClient({
      endpoint: `http://cairn.test:${cairn.port}`,
      region: "us-east-1",
      credentials: cairn.credentials,
      maxAttempts: 1,
      requestHandler: { httpAgent: agent },
    });
    client.middlewareStack.add(
      (next) => async (args) => {
        hosts.push((args.request as { hostname: string }).hostname);
        return next(args);
      },
      { step: "finalizeRequest", name: "recordHost" },
    );
    const out = await client.send(new DiscoverInstancesCommand({ NamespaceName: ns.httpName, ServiceName: fleet.name }));
    assert.deepEqual(ids(out.Instances), ["a1", "b1", "c1"]);
    const rev = await client.send(new DiscoverInstancesRevisionCommand({ NamespaceName: ns.httpName, ServiceName: fleet.name }));
    assert.equal(rev.InstancesRevision, out.InstancesRevision);
    // Control-plane calls go to the plain host; both discovery calls went to the data- host.
    await client.send(new GetServiceCommand({ Id: fleet.id }));
    assert.deepEqual(hosts, ["data-cairn.test", "data-cairn.test", "cairn.test"]);
    agent.destroy();
  });
});

describe("CloudTrail", () => {
  test("discovery calls are not recorded; the registrations behind them are", async () => {
    await discover({ ServiceName: fleet.name });
    await sd.send(new DiscoverInstancesRevisionCommand({ NamespaceName: ns.httpName, ServiceName: fleet.name }));
    const ct = cloudTrail(cairn);
    const discovered = await lookupAll(ct, { LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "DiscoverInstances" }] });
    const revisions = await lookupAll(ct, { LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "DiscoverInstancesRevision" }] });
    assert.equal(discovered.length + revisions.length, 0);
    const registered = await lookupAll(ct, { LookupAttributes: [{ AttributeKey: "ResourceName", AttributeValue: fleet.id }] });
    assert.ok(registered.filter((e) => e.EventName === "RegisterInstance").length >= 5);
  });
});

describe("restart", () => {
  test("services, instances, health, revisions and operations survive a restart and discovery serves them at once", async () => {
    const s = await service(sd, { NamespaceId: ns.id, HealthCheckCustomConfig: {} });
    const opId = await register(sd, s.Id!, "keep-1", { color: "red" });
    await register(sd, s.Id!, "keep-2", { color: "blue" });
    await sd.send(new UpdateInstanceCustomHealthStatusCommand({ ServiceId: s.Id, InstanceId: "keep-2", Status: "UNHEALTHY" }));
    await sd.send(new UpdateServiceAttributesCommand({ ServiceId: s.Id, Attributes: { owner: "team-a" } }));
    const before = await discover({ ServiceName: s.Name!, HealthStatus: "ALL" });
    const fleetBefore = await discover({ ServiceName: fleet.name, HealthStatus: "ALL" });

    assert.equal(await cairn.stop(), 0);
    cairn = await startCairn({ dataDir: cairn.dataDir, account: { accountId: cairn.accountId, credentials: cairn.credentials }, args: ["--health-check-targets", "127.0.0.0/8"] });
    sd = cloudMap(cairn);

    const after = await discover({ ServiceName: s.Name!, HealthStatus: "ALL" });
    assert.equal(after.InstancesRevision, before.InstancesRevision);
    const byId = (o: typeof before) => Object.fromEntries(o.Instances!.map((i) => [i.InstanceId, i]));
    assert.deepEqual(byId(after), byId(before));
    assert.equal(byId(after)["keep-2"]!.HealthStatus, "UNHEALTHY");
    const fleetAfter = await discover({ ServiceName: fleet.name, HealthStatus: "ALL" });
    assert.deepEqual(byId(fleetAfter), byId(fleetBefore));
    assert.deepEqual((await sd.send(new GetInstancesHealthStatusCommand({ ServiceId: s.Id }))).Status, { "keep-1": "HEALTHY", "keep-2": "UNHEALTHY" });
    assert.equal((await sd.send(new GetServiceCommand({ Id: s.Id }))).Service!.InstanceCount, 2);
    assert.equal((await sd.send(new GetOperationCommand({ OperationId: opId }))).Operation!.Type, "REGISTER_INSTANCE");
    // And the restarted view keeps following changes.
    await register(sd, s.Id!, "keep-3");
    const later = await discover({ ServiceName: s.Name!, HealthStatus: "ALL" });
    assert.deepEqual(ids(later.Instances), ["keep-1", "keep-2", "keep-3"]);
    assert.ok(later.InstancesRevision! > after.InstancesRevision!);
  });
});
