import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateHttpNamespaceCommand,
  DeregisterInstanceCommand,
  DiscoverInstancesCommand,
  DiscoverInstancesRevisionCommand,
  GetInstanceCommand,
  GetInstancesHealthStatusCommand,
  GetOperationCommand,
  ListInstancesCommand,
  ListOperationsCommand,
  RegisterInstanceCommand,
  UpdateInstanceCustomHealthStatusCommand,
  paginateListInstances,
  type ServiceDiscoveryClient,
} from "@aws-sdk/client-servicediscovery";
import type { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { startCairn, type CairnProcess } from "../support/cairn-process.js";
import { cloudMap } from "../support/clients.js";
import { expectError, uniqueName } from "../support/cloudmap.js";
import { cloudTrail, lookupAll, recordOf } from "../support/cloudtrail.js";
import { namespace, register, service, type TestNamespace } from "../support/registry.js";

let cairn: CairnProcess;
let sd: ServiceDiscoveryClient;
let ct: CloudTrailClient;
let http: TestNamespace;

/** Lowered on this server so the quotas can be reached quickly (AWS: 1,000 and 2,000). */
const PER_SERVICE = 4;
const PER_NAMESPACE = 6;

before(async () => {
  cairn = await startCairn({
    // Checked instances are really probed: tests register them on loopback only, which the default rule refuses.
    args: ["--health-check-targets", "127.0.0.0/8"],
    env: {
      CAIRN_LIMIT_INSTANCES_PER_SERVICE: String(PER_SERVICE),
      CAIRN_LIMIT_INSTANCES_PER_NAMESPACE: String(PER_NAMESPACE),
      // Discovery throttling (AWS: 1,000/s with bursts of 2,000) is off by default; on here to see RequestLimitExceeded.
      CAIRN_LIMIT_DISCOVER_INSTANCES_PER_SECOND: "1",
      CAIRN_LIMIT_DISCOVER_INSTANCES_BURST: "3",
      CAIRN_LIMIT_DISCOVER_INSTANCES_REVISION_PER_SECOND: "1",
      CAIRN_LIMIT_DISCOVER_INSTANCES_REVISION_BURST: "2",
    },
  });
  sd = cloudMap(cairn);
  ct = cloudTrail(cairn);
  http = await namespace(sd, "http");
});
after(async () => {
  await cairn.stop();
});

/** A service in a namespace of its own (the namespace quota is low on this server). */
const newService = async (input: Omit<Parameters<typeof service>[1], "NamespaceId"> = {}) => service(sd, { ...input, NamespaceId: (await namespace(sd, "http")).id });

describe("RegisterInstance", () => {
  test("registers through a REGISTER_INSTANCE operation that GetOperation and ListOperations show", async () => {
    const s = await newService();
    const { OperationId } = await sd.send(
      new RegisterInstanceCommand({ ServiceId: s.Id, InstanceId: "web-1", CreatorRequestId: "reg-web-1", Attributes: { AWS_INSTANCE_IPV4: "10.0.0.1", color: "blue" } }),
    );
    assert.match(OperationId!, /^[a-z2-7]{32}-[0-9a-z]{8}$/);
    const op = (await sd.send(new GetOperationCommand({ OperationId }))).Operation!;
    assert.equal(op.Type, "REGISTER_INSTANCE");
    assert.equal(op.Status, "SUCCESS");
    assert.deepEqual(op.Targets, { INSTANCE: "web-1", SERVICE: s.Id });
    assert.equal(op.OwnerAccount, cairn.accountId);
    const listed = await sd.send(new ListOperationsCommand({ Filters: [{ Name: "SERVICE_ID", Values: [s.Id!] }, { Name: "TYPE", Values: ["REGISTER_INSTANCE"] }] }));
    assert.deepEqual(listed.Operations, [{ Id: OperationId, Status: "SUCCESS" }]);

    const got = await sd.send(new GetInstanceCommand({ ServiceId: s.Arn, InstanceId: "web-1" }));
    assert.equal(got.ResourceOwner, cairn.accountId);
    assert.deepEqual(got.Instance, {
      Id: "web-1",
      CreatorRequestId: "reg-web-1",
      Attributes: { AWS_INSTANCE_IPV4: "10.0.0.1", color: "blue" },
      CreatedByAccount: cairn.accountId,
    });
  });

  test("re-registering an InstanceId replaces its attributes in full and keeps one instance", async () => {
    const s = await newService();
    await register(sd, s.Id!, "i-1", { color: "blue", size: "L" }, "first");
    await register(sd, s.Id!, "i-1", { color: "green" }, "second");
    const got = (await sd.send(new GetInstanceCommand({ ServiceId: s.Id, InstanceId: "i-1" }))).Instance!;
    assert.deepEqual(got.Attributes, { color: "green" }, "nothing of the old attributes is retained");
    assert.equal(got.CreatorRequestId, "second");
    const list = await sd.send(new ListInstancesCommand({ ServiceId: s.Id }));
    assert.equal(list.Instances!.length, 1);
  });

  test("a repeated CreatorRequestId replays the first registration, even for another InstanceId", async () => {
    const s = await newService();
    const token = uniqueName("tok");
    const first = await register(sd, s.Id!, "i-1", { v: "1" }, token);
    const again = await sd.send(new RegisterInstanceCommand({ ServiceId: s.Id, InstanceId: "i-1", CreatorRequestId: token, Attributes: { v: "2" } }));
    assert.equal(again.OperationId, first);
    assert.equal((await sd.send(new GetInstanceCommand({ ServiceId: s.Id, InstanceId: "i-1" }))).Instance!.Attributes!.v, "1");
    const other = await sd.send(new RegisterInstanceCommand({ ServiceId: s.Id, InstanceId: "i-2", CreatorRequestId: token, Attributes: {} }));
    assert.equal(other.OperationId, first);
    await expectError(sd.send(new GetInstanceCommand({ ServiceId: s.Id, InstanceId: "i-2" })), "InstanceNotFound");
    // Tokens belong to their service: the same token registers in another service.
    const s2 = await newService();
    const elsewhere = await register(sd, s2.Id!, "i-1", {}, token);
    assert.notEqual(elsewhere, first);
  });

  test("attributes are checked against the service's DNS records and AWS's reserved names and limits", async () => {
    const dns = await namespace(sd, "public");
    const a = await service(sd, { NamespaceId: dns.id, DnsConfig: { DnsRecords: [{ Type: "A", TTL: 60 }] } });
    const srv = await service(sd, { NamespaceId: dns.id, DnsConfig: { DnsRecords: [{ Type: "SRV", TTL: 60 }] } });
    const cases: [string, string, Record<string, string>, RegExp][] = [
      [a.Id!, "i", {}, /AWS_INSTANCE_IPV4 is required/],
      [a.Id!, "i", { AWS_INSTANCE_IPV4: "300.1.1.1" }, /IPv4 address/],
      [srv.Id!, "i", { AWS_INSTANCE_IPV4: "10.0.0.1" }, /AWS_INSTANCE_PORT is required/],
      [srv.Id!, "i/1", { AWS_INSTANCE_IPV4: "10.0.0.1", AWS_INSTANCE_PORT: "80" }, /DNS name/],
      [a.Id!, "i", { AWS_INSTANCE_IPV4: "10.0.0.1", AWS_RESERVED: "x" }, /reserved/],
      [a.Id!, "i", { AWS_INSTANCE_IPV4: "10.0.0.1", AWS_EC2_INSTANCE_ID: "i-01234567" }, /HTTP namespaces/],
      [a.Id!, "i", { AWS_INSTANCE_IPV4: "10.0.0.1", ...Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`c${i}`, "v"])) }, /at most 30 custom attributes/],
      [a.Id!, "i", { AWS_INSTANCE_IPV4: "10.0.0.1", k: "v".repeat(1025) }, /1024/],
      [a.Id!, "i", { AWS_INSTANCE_IPV4: "10.0.0.1", "bad key": "v" }, /Map keys must satisfy constraint/],
      [a.Id!, "has space", { AWS_INSTANCE_IPV4: "10.0.0.1" }, /instanceId/],
      [a.Id!, "x".repeat(65), { AWS_INSTANCE_IPV4: "10.0.0.1" }, /64/],
    ];
    for (const [serviceId, instanceId, attributes, message] of cases) {
      await expectError(sd.send(new RegisterInstanceCommand({ ServiceId: serviceId, InstanceId: instanceId, Attributes: attributes })), "InvalidInput", message);
    }
    await expectError(sd.send(new RegisterInstanceCommand({ ServiceId: a.Id, InstanceId: "i" } as never)), "InvalidInput", /attributes/);
    assert.equal((await sd.send(new ListInstancesCommand({ ServiceId: a.Id }))).Instances!.length, 0);
    await register(sd, a.Id!, "ok", { AWS_INSTANCE_IPV4: "10.0.0.1", ...Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`c${i}`, "v"])) });
  });

  test("an unknown service is ServiceNotFound", async () => {
    await expectError(sd.send(new RegisterInstanceCommand({ ServiceId: "srv-aaaaaaaaaaaaaaaa", InstanceId: "i", Attributes: {} })), "ServiceNotFound");
    await expectError(sd.send(new RegisterInstanceCommand({ ServiceId: http.arn, InstanceId: "i", Attributes: {} })), "ServiceNotFound");
  });
});

describe("quotas", () => {
  test(`a service holds ${PER_SERVICE} instances here: one more is ResourceLimitExceeded, re-registering is not`, async () => {
    const ns = await namespace(sd, "http");
    const s = await service(sd, { NamespaceId: ns.id });
    for (let i = 0; i < PER_SERVICE; i++) await register(sd, s.Id!, `i-${i}`);
    await expectError(sd.send(new RegisterInstanceCommand({ ServiceId: s.Id, InstanceId: "one-more", Attributes: {} })), "ResourceLimitExceeded", /Service .* limit is 4/);
    await register(sd, s.Id!, "i-0", { updated: "yes" });
    await sd.send(new DeregisterInstanceCommand({ ServiceId: s.Id, InstanceId: "i-1" }));
    await register(sd, s.Id!, "one-more");
  });

  test(`a namespace holds ${PER_NAMESPACE} instances here, across its services`, async () => {
    const ns = await namespace(sd, "http");
    const s1 = await service(sd, { NamespaceId: ns.id });
    const s2 = await service(sd, { NamespaceId: ns.id });
    for (let i = 0; i < PER_SERVICE; i++) await register(sd, s1.Id!, `a-${i}`);
    for (let i = 0; i < PER_NAMESPACE - PER_SERVICE; i++) await register(sd, s2.Id!, `b-${i}`);
    await expectError(sd.send(new RegisterInstanceCommand({ ServiceId: s2.Id, InstanceId: "b-x", Attributes: {} })), "ResourceLimitExceeded", /Namespace .* limit is 6/);
    // Another namespace is not affected.
    await register(sd, (await newService()).Id!, "elsewhere");
  });

  test("a region holds 50 namespaces (AWS's default): the 51st is ResourceLimitExceeded", async () => {
    const region = cloudMap(cairn, "eu-central-1");
    for (let i = 0; i < 50; i++) await region.send(new CreateHttpNamespaceCommand({ Name: `quota-${i}` }));
    await expectError(region.send(new CreateHttpNamespaceCommand({ Name: "quota-50" })), "ResourceLimitExceeded", /limit is 50/);
  });

  test("discovery beyond the configured rate is RequestLimitExceeded", async () => {
    const ns = await namespace(sd, "http");
    const s = await service(sd, { NamespaceId: ns.id });
    const west = cloudMap(cairn, "us-west-2");
    const discover = () => west.send(new DiscoverInstancesCommand({ NamespaceName: ns.httpName, ServiceName: s.Name! }));
    // The namespace is in us-east-1, so us-west-2 answers NamespaceNotFound — but only while under the rate.
    for (let i = 0; i < 3; i++) await expectError(discover(), "NamespaceNotFound");
    const limited = await expectError(discover(), "RequestLimitExceeded");
    assert.equal(limited.$metadata.httpStatusCode, 400);
    const revision = () => sd.send(new DiscoverInstancesRevisionCommand({ NamespaceName: ns.httpName, ServiceName: s.Name! }));
    await revision();
    await revision();
    await expectError(revision(), "RequestLimitExceeded");
  });
});

describe("DeregisterInstance", () => {
  test("removes the instance through a DEREGISTER_INSTANCE operation", async () => {
    const s = await newService();
    await register(sd, s.Id!, "gone", { a: "b" });
    const { OperationId } = await sd.send(new DeregisterInstanceCommand({ ServiceId: s.Arn, InstanceId: "gone" }));
    const op = (await sd.send(new GetOperationCommand({ OperationId }))).Operation!;
    assert.equal(op.Type, "DEREGISTER_INSTANCE");
    assert.equal(op.Status, "SUCCESS");
    assert.deepEqual(op.Targets, { INSTANCE: "gone", SERVICE: s.Id });
    const listed = await sd.send(new ListOperationsCommand({ Filters: [{ Name: "SERVICE_ID", Values: [s.Id!] }, { Name: "TYPE", Values: ["DEREGISTER_INSTANCE"] }] }));
    assert.deepEqual(listed.Operations, [{ Id: OperationId, Status: "SUCCESS" }]);
    await expectError(sd.send(new GetInstanceCommand({ ServiceId: s.Id, InstanceId: "gone" })), "InstanceNotFound");
    await expectError(sd.send(new DeregisterInstanceCommand({ ServiceId: s.Id, InstanceId: "gone" })), "InstanceNotFound");
    await expectError(sd.send(new DeregisterInstanceCommand({ ServiceId: "srv-aaaaaaaaaaaaaaaa", InstanceId: "gone" })), "ServiceNotFound");
    await expectError(sd.send(new DeregisterInstanceCommand({ ServiceId: s.Id, InstanceId: "x".repeat(65) })), "InvalidInput");
  });
});

describe("GetInstance and ListInstances", () => {
  test("GetInstance: InstanceNotFound and ServiceNotFound", async () => {
    const s = await newService();
    await expectError(sd.send(new GetInstanceCommand({ ServiceId: s.Id, InstanceId: "nope" })), "InstanceNotFound");
    await expectError(sd.send(new GetInstanceCommand({ ServiceId: "srv-aaaaaaaaaaaaaaaa", InstanceId: "nope" })), "ServiceNotFound");
    await expectError(sd.send(new GetInstanceCommand({ ServiceId: s.Id, InstanceId: "x".repeat(65) })), "InvalidInput");
  });

  test("ListInstances pages to the end in registration order, with InstanceSummary's shape", async () => {
    const ns = await namespace(sd, "http");
    const s = await service(sd, { NamespaceId: ns.id });
    const ids = ["d", "b", "c", "a"];
    for (const id of ids) await register(sd, s.Id!, id, { n: id });
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateListInstances({ client: sd, pageSize: 3 }, { ServiceId: s.Id })) {
      pages++;
      assert.equal(page.ResourceOwner, cairn.accountId);
      for (const i of page.Instances!) {
        assert.deepEqual(i, { Id: i.Id, Attributes: { n: i.Id }, CreatedByAccount: cairn.accountId });
        seen.push(i.Id!);
      }
    }
    assert.equal(pages, 2);
    assert.deepEqual(seen, ids);
    // Re-registration keeps an instance's place.
    await register(sd, s.Id!, "d", { n: "d" });
    assert.deepEqual((await sd.send(new ListInstancesCommand({ ServiceId: s.Id }))).Instances!.map((i) => i.Id), ids);
  });

  test("ListInstances: ServiceNotFound and InvalidInput", async () => {
    await expectError(sd.send(new ListInstancesCommand({ ServiceId: "srv-aaaaaaaaaaaaaaaa" })), "ServiceNotFound");
    const s = await newService();
    await expectError(sd.send(new ListInstancesCommand({ ServiceId: s.Id, MaxResults: 101 })), "InvalidInput");
    await expectError(sd.send(new ListInstancesCommand({ ServiceId: s.Id, NextToken: "bogus" })), "InvalidInput");
  });
});

describe("health", () => {
  test("no health configuration: UNKNOWN; UpdateInstanceCustomHealthStatus is CustomHealthNotFound", async () => {
    const s = await newService();
    await register(sd, s.Id!, "i-1");
    assert.deepEqual((await sd.send(new GetInstancesHealthStatusCommand({ ServiceId: s.Id }))).Status, { "i-1": "UNKNOWN" });
    await expectError(sd.send(new UpdateInstanceCustomHealthStatusCommand({ ServiceId: s.Id, InstanceId: "i-1", Status: "UNHEALTHY" })), "CustomHealthNotFound");
  });

  test("Route 53 health checks: instances start HEALTHY; custom updates are CustomHealthNotFound", async () => {
    const s = await newService({ HealthCheckConfig: { Type: "HTTP", ResourcePath: "/health" } });
    await expectError(sd.send(new RegisterInstanceCommand({ ServiceId: s.Id, InstanceId: "i-1", Attributes: { AWS_INSTANCE_IPV4: "127.0.0.2" } })), "InvalidInput", /AWS_INSTANCE_PORT/);
    await register(sd, s.Id!, "i-1", { AWS_INSTANCE_IPV4: "127.0.0.2", AWS_INSTANCE_PORT: "8080" });
    assert.deepEqual((await sd.send(new GetInstancesHealthStatusCommand({ ServiceId: s.Id }))).Status, { "i-1": "HEALTHY" });
    await expectError(sd.send(new UpdateInstanceCustomHealthStatusCommand({ ServiceId: s.Id, InstanceId: "i-1", Status: "UNHEALTHY" })), "CustomHealthNotFound");
  });

  test("custom health: AWS_INIT_HEALTH_STATUS (default HEALTHY), then UpdateInstanceCustomHealthStatus applies", async () => {
    const s = await newService({ HealthCheckCustomConfig: {} });
    await register(sd, s.Id!, "up");
    await register(sd, s.Id!, "down", { AWS_INIT_HEALTH_STATUS: "UNHEALTHY" });
    const status = async (input: { Instances?: string[] } = {}) => (await sd.send(new GetInstancesHealthStatusCommand({ ServiceId: s.Id, ...input }))).Status;
    assert.deepEqual(await status(), { up: "HEALTHY", down: "UNHEALTHY" });
    const out = await sd.send(new UpdateInstanceCustomHealthStatusCommand({ ServiceId: s.Arn, InstanceId: "down", Status: "HEALTHY" }));
    assert.equal(out.$metadata.httpStatusCode, 200);
    await sd.send(new UpdateInstanceCustomHealthStatusCommand({ ServiceId: s.Id, InstanceId: "up", Status: "UNHEALTHY" }));
    assert.deepEqual(await status(), { up: "UNHEALTHY", down: "HEALTHY" });
    assert.deepEqual(await status({ Instances: ["down"] }), { down: "HEALTHY" });
    // Re-registration starts the instance's health afresh.
    await register(sd, s.Id!, "up", { v: "2" });
    assert.deepEqual(await status({ Instances: ["up"] }), { up: "HEALTHY" });

    await expectError(sd.send(new UpdateInstanceCustomHealthStatusCommand({ ServiceId: s.Id, InstanceId: "nope", Status: "HEALTHY" })), "InstanceNotFound");
    await expectError(sd.send(new UpdateInstanceCustomHealthStatusCommand({ ServiceId: "srv-aaaaaaaaaaaaaaaa", InstanceId: "up", Status: "HEALTHY" })), "ServiceNotFound");
    await expectError(sd.send(new UpdateInstanceCustomHealthStatusCommand({ ServiceId: s.Id, InstanceId: "up", Status: "UNKNOWN" as never })), "InvalidInput", /enum/);
  });

  test("GetInstancesHealthStatus pages (with or without an instance list) and checks the instances it is given", async () => {
    const ns = await namespace(sd, "http");
    const s = await service(sd, { NamespaceId: ns.id, HealthCheckCustomConfig: {} });
    for (const id of ["a", "b", "c"]) await register(sd, s.Id!, id, id === "b" ? { AWS_INIT_HEALTH_STATUS: "UNHEALTHY" } : {});
    const collect = async (input: { Instances?: string[] }) => {
      const merged: Record<string, string> = {};
      let NextToken: string | undefined;
      let pages = 0;
      do {
        const page = await sd.send(new GetInstancesHealthStatusCommand({ ServiceId: s.Id, MaxResults: 2, NextToken, ...input }));
        assert.ok(Object.keys(page.Status!).length <= 2);
        Object.assign(merged, page.Status);
        NextToken = page.NextToken;
        pages++;
      } while (NextToken);
      return { merged, pages };
    };
    assert.deepEqual(await collect({}), { merged: { a: "HEALTHY", b: "UNHEALTHY", c: "HEALTHY" }, pages: 2 });
    assert.deepEqual(await collect({ Instances: ["c", "a", "b"] }), { merged: { a: "HEALTHY", b: "UNHEALTHY", c: "HEALTHY" }, pages: 2 });
    await expectError(sd.send(new GetInstancesHealthStatusCommand({ ServiceId: s.Id, Instances: ["a", "zz"] })), "InstanceNotFound", /zz/);
    await expectError(sd.send(new GetInstancesHealthStatusCommand({ ServiceId: s.Id, Instances: [] })), "InvalidInput");
    await expectError(sd.send(new GetInstancesHealthStatusCommand({ ServiceId: "srv-aaaaaaaaaaaaaaaa" })), "ServiceNotFound");
  });
});

describe("CloudTrail", () => {
  test("instance calls are recorded with the service and the instance as resources", async () => {
    const s = await newService({ HealthCheckCustomConfig: {} });
    const instanceId = uniqueName("trail");
    await register(sd, s.Id!, instanceId);
    await sd.send(new UpdateInstanceCustomHealthStatusCommand({ ServiceId: s.Id, InstanceId: instanceId, Status: "UNHEALTHY" }));
    await sd.send(new GetInstanceCommand({ ServiceId: s.Arn, InstanceId: instanceId }));
    await sd.send(new DeregisterInstanceCommand({ ServiceId: s.Id, InstanceId: instanceId }));
    const events = await lookupAll(ct, { LookupAttributes: [{ AttributeKey: "ResourceName", AttributeValue: instanceId }] });
    assert.deepEqual(events.map((e) => e.EventName).sort(), ["DeregisterInstance", "GetInstance", "RegisterInstance", "UpdateInstanceCustomHealthStatus"]);
    for (const e of events) {
      assert.deepEqual(e.Resources, [
        { ResourceType: "AWS::ServiceDiscovery::Service", ResourceName: s.Id },
        { ResourceType: "AWS::ServiceDiscovery::Instance", ResourceName: instanceId },
        { ResourceType: "AWS::ServiceDiscovery::Service", ResourceName: s.Arn },
      ]);
    }
    const reg = recordOf(events.find((e) => e.EventName === "RegisterInstance")!);
    assert.equal(reg.readOnly, false);
    assert.equal((reg.requestParameters as { instanceId: string }).instanceId, instanceId);
    assert.match((reg.responseElements as { operationId: string }).operationId, /^[a-z2-7]{32}-/);
    assert.equal(recordOf(events.find((e) => e.EventName === "GetInstance")!).readOnly, true);
  });
});
