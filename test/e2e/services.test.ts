import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateServiceCommand,
  DeleteNamespaceCommand,
  DeleteServiceAttributesCommand,
  DeleteServiceCommand,
  DeregisterInstanceCommand,
  GetInstancesHealthStatusCommand,
  GetNamespaceCommand,
  GetOperationCommand,
  GetServiceAttributesCommand,
  GetServiceCommand,
  ListOperationsCommand,
  ListServicesCommand,
  ListTagsForResourceCommand,
  UpdateServiceAttributesCommand,
  UpdateServiceCommand,
  paginateListServices,
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
let priv: TestNamespace;
let pub: TestNamespace;

/** This server allows 8 services per namespace (AWS documents no such quota; Cairn can enforce one). */
const SERVICES_PER_NAMESPACE = 8;
/** A namespace of its own, for tests that create several services. */
const fresh = () => namespace(sd, "http");

before(async () => {
  cairn = await startCairn({ env: { CAIRN_LIMIT_SERVICES_PER_NAMESPACE: String(SERVICES_PER_NAMESPACE) } });
  sd = cloudMap(cairn);
  ct = cloudTrail(cairn);
  [http, priv, pub] = await Promise.all([namespace(sd, "http"), namespace(sd, "private"), namespace(sd, "public")]);
});
after(async () => {
  await cairn.stop();
});

describe("CreateService", () => {
  test("in an HTTP namespace: an HTTP service with AWS's shape", async () => {
    const name = uniqueName("web");
    const { Service } = await sd.send(
      new CreateServiceCommand({ Name: name, NamespaceId: http.id, Description: "the web tier", CreatorRequestId: `tok-${name}`, HealthCheckCustomConfig: {} }),
    );
    const s = Service!;
    assert.match(s.Id!, /^srv-[a-z2-7]{16}$/);
    assert.equal(s.Arn, `arn:aws:servicediscovery:us-east-1:${cairn.accountId}:service/${s.Id}`);
    assert.equal(s.Name, name);
    assert.equal(s.NamespaceId, http.id);
    assert.equal(s.Type, "HTTP");
    assert.equal(s.Description, "the web tier");
    assert.equal(s.InstanceCount, 0);
    assert.equal(s.ResourceOwner, cairn.accountId);
    assert.equal(s.CreatedByAccount, cairn.accountId);
    assert.equal(s.CreatorRequestId, `tok-${name}`);
    assert.deepEqual(s.HealthCheckCustomConfig, { FailureThreshold: 1 });
    assert.equal(s.DnsConfig, undefined);
    assert.ok(s.CreateDate instanceof Date && Math.abs(s.CreateDate.getTime() - Date.now()) < 60_000);
    const got = (await sd.send(new GetServiceCommand({ Id: s.Id }))).Service!;
    assert.deepEqual(got, s);
  });

  test("in a private DNS namespace with DnsConfig: a DNS_HTTP service echoing the namespace in DnsConfig", async () => {
    const { Service } = await sd.send(
      new CreateServiceCommand({
        Name: "_api._tcp",
        NamespaceId: priv.arn,
        DnsConfig: { DnsRecords: [{ Type: "SRV", TTL: 30 }] },
        HealthCheckCustomConfig: { FailureThreshold: 5 },
      }),
    );
    assert.equal(Service!.Type, "DNS_HTTP");
    assert.equal(Service!.NamespaceId, priv.id, "an ARN input still stores the bare namespace ID");
    assert.deepEqual(Service!.DnsConfig, { NamespaceId: priv.id, RoutingPolicy: "MULTIVALUE", DnsRecords: [{ Type: "SRV", TTL: 30 }] });
    assert.deepEqual(Service!.HealthCheckCustomConfig, { FailureThreshold: 1 });
  });

  test("the deprecated DnsConfig.NamespaceId alone names the namespace; a DNS namespace without DnsConfig gives an HTTP service", async () => {
    const legacy = await service(sd, { NamespaceId: undefined as never, DnsConfig: { NamespaceId: pub.id, RoutingPolicy: "WEIGHTED", DnsRecords: [{ Type: "CNAME", TTL: 60 }] } });
    assert.equal(legacy.NamespaceId, pub.id);
    assert.equal(legacy.DnsConfig!.RoutingPolicy, "WEIGHTED");
    const apiOnly = await service(sd, { NamespaceId: pub.id, Type: "HTTP" });
    assert.equal(apiOnly.Type, "HTTP");
    assert.equal(apiOnly.DnsConfig, undefined);
  });

  test("HealthCheckConfig is kept as sent in HTTP and public DNS namespaces", async () => {
    const a = await service(sd, { NamespaceId: http.id, HealthCheckConfig: { Type: "HTTPS", ResourcePath: "/ping", FailureThreshold: 2 } });
    assert.deepEqual(a.HealthCheckConfig, { Type: "HTTPS", ResourcePath: "/ping", FailureThreshold: 2 });
    const b = await service(sd, { NamespaceId: pub.id, DnsConfig: { DnsRecords: [{ Type: "A", TTL: 10 }, { Type: "AAAA", TTL: 20 }] }, HealthCheckConfig: { Type: "TCP" } });
    assert.deepEqual(b.HealthCheckConfig, { Type: "TCP" });
    assert.equal(b.Type, "DNS_HTTP");
  });

  test("AWS's combination rules answer InvalidInput and create nothing", async () => {
    const before = (await sd.send(new ListServicesCommand({}))).Services!.length;
    const cases: [string, object, RegExp][] = [
      // AWS's own text for both.
      ["DnsConfig in an HTTP namespace", { NamespaceId: http.id, DnsConfig: { DnsRecords: [{ Type: "A", TTL: 1 }] } }, /^When you specify an HTTP service, you can't include a DnsConfig element\.$/],
      ["Type HTTP with DnsConfig", { NamespaceId: priv.id, Type: "HTTP", DnsConfig: { DnsRecords: [{ Type: "A", TTL: 1 }] } }, /^When you specify an HTTP service, you can't include a DnsConfig element\.$/],
      ["both health configurations", { NamespaceId: http.id, HealthCheckConfig: { Type: "HTTP" }, HealthCheckCustomConfig: {} }, /not both/],
      ["HealthCheckConfig in a private DNS namespace", { NamespaceId: priv.id, HealthCheckConfig: { Type: "HTTP" } }, /private DNS/],
      [
        "CNAME with HealthCheckConfig",
        { NamespaceId: pub.id, DnsConfig: { RoutingPolicy: "WEIGHTED", DnsRecords: [{ Type: "CNAME", TTL: 1 }] }, HealthCheckConfig: { Type: "HTTP" } },
        /CNAME/,
      ],
      ["CNAME without WEIGHTED", { NamespaceId: pub.id, DnsConfig: { DnsRecords: [{ Type: "CNAME", TTL: 1 }] } }, /WEIGHTED/],
      ["A with SRV", { NamespaceId: priv.id, DnsConfig: { DnsRecords: [{ Type: "A", TTL: 1 }, { Type: "SRV", TTL: 1 }] } }, /not A and SRV/],
      ["no records", { NamespaceId: priv.id, DnsConfig: { DnsRecords: [] } }, /at least one/],
      ["TCP check with a path", { NamespaceId: http.id, HealthCheckConfig: { Type: "TCP", ResourcePath: "/x" } }, /ResourcePath/],
      ["no namespace at all", {}, /NamespaceId is required/],
      ["a name that is not a DNS label", { NamespaceId: http.id, Name: "-bad-" }, /regular expression/],
      ["a record type outside the enum", { NamespaceId: priv.id, DnsConfig: { DnsRecords: [{ Type: "MX", TTL: 1 }] } }, /enum/],
      ["a TTL out of range", { NamespaceId: priv.id, DnsConfig: { DnsRecords: [{ Type: "A", TTL: -1 }] } }, /greater than or equal to 0/],
      ["a failure threshold of 11", { NamespaceId: http.id, HealthCheckConfig: { Type: "HTTP", FailureThreshold: 11 } }, /less than or equal to 10/],
    ];
    for (const [what, input, message] of cases) {
      await expectError(sd.send(new CreateServiceCommand({ Name: uniqueName("bad"), ...input } as never)), "InvalidInput", message).catch((e: Error) => {
        throw new Error(`${what}: ${e.message}`);
      });
    }
    assert.equal((await sd.send(new ListServicesCommand({}))).Services!.length, before);
  });

  test("an unknown namespace (ID, or an ARN of another region) is NamespaceNotFound", async () => {
    await expectError(sd.send(new CreateServiceCommand({ Name: "x", NamespaceId: "ns-aaaaaaaaaaaaaaaa" })), "NamespaceNotFound");
    await expectError(sd.send(new CreateServiceCommand({ Name: "x", NamespaceId: http.arn.replace("us-east-1", "eu-west-1") })), "NamespaceNotFound");
  });

  test("a taken name is ServiceAlreadyExists with the existing service's ID, ARN and token", async () => {
    const ns = await namespace(sd, "http");
    const first = await service(sd, { NamespaceId: ns.id, Name: "Orders", CreatorRequestId: "first-orders" });
    const error = await expectError(sd.send(new CreateServiceCommand({ Name: "Orders", NamespaceId: ns.id, CreatorRequestId: "second-orders" })), "ServiceAlreadyExists", /^Service already exists\.$/);
    const fields = error as unknown as { ServiceId: string; ServiceArn: string; CreatorRequestId: string };
    assert.equal(fields.ServiceId, first.Id);
    assert.equal(fields.ServiceArn, first.Arn);
    assert.equal(fields.CreatorRequestId, "first-orders");
    assert.equal(error.$metadata.httpStatusCode, 400);
    // HTTP namespaces compare names case-sensitively; DNS namespaces do not (names become DNS names).
    await service(sd, { NamespaceId: ns.id, Name: "orders" });
    await service(sd, { NamespaceId: priv.id, Name: "Billing" });
    await expectError(sd.send(new CreateServiceCommand({ Name: "billing", NamespaceId: priv.id })), "ServiceAlreadyExists");
  });

  test("a repeated CreatorRequestId returns the first call's service instead of creating another", async () => {
    const ns = await namespace(sd, "http");
    const token = uniqueName("idem");
    const a = await service(sd, { NamespaceId: ns.id, Name: "once", CreatorRequestId: token });
    const b = await service(sd, { NamespaceId: ns.id, Name: "once", CreatorRequestId: token });
    assert.equal(b.Id, a.Id);
    assert.equal(b.CreateDate!.getTime(), a.CreateDate!.getTime());
    const listed = await sd.send(new ListServicesCommand({ Filters: [{ Name: "NAMESPACE_ID", Values: [ns.id] }] }));
    assert.equal(listed.Services!.length, 1);
  });

  test("tags on create are applied; more than 50 is TooManyTagsException and creates nothing", async () => {
    const ns = await namespace(sd, "http");
    const tagged = await service(sd, { NamespaceId: ns.id, Tags: [{ Key: "team", Value: "core" }] });
    assert.deepEqual((await sd.send(new ListTagsForResourceCommand({ ResourceARN: tagged.Arn }))).Tags, [{ Key: "team", Value: "core" }]);
    const tags = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: "v" }));
    const error = await expectError(sd.send(new CreateServiceCommand({ Name: "too-many", NamespaceId: ns.id, Tags: tags })), "TooManyTagsException");
    assert.match((error as unknown as { ResourceName: string }).ResourceName, /:service\/srv-/);
    const listed = await sd.send(new ListServicesCommand({ Filters: [{ Name: "NAMESPACE_ID", Values: [ns.id] }] }));
    assert.deepEqual(listed.Services!.map((s) => s.Id), [tagged.Id]);
  });

  test(`a namespace holds at most ${SERVICES_PER_NAMESPACE} services here: the next is ResourceLimitExceeded`, async () => {
    const ns = await namespace(sd, "http");
    for (let i = 0; i < SERVICES_PER_NAMESPACE; i++) await service(sd, { NamespaceId: ns.id });
    await expectError(sd.send(new CreateServiceCommand({ Name: "one-more", NamespaceId: ns.id })), "ResourceLimitExceeded", /limit is 8/);
    assert.equal((await sd.send(new GetNamespaceCommand({ Id: ns.id }))).Namespace!.ServiceCount, SERVICES_PER_NAMESPACE);
  });
});

describe("GetService", () => {
  test("takes the ID or the ARN; unknown IDs, foreign ARNs and namespace ARNs are ServiceNotFound", async () => {
    const s = await service(sd, { NamespaceId: (await fresh()).id });
    assert.equal((await sd.send(new GetServiceCommand({ Id: s.Arn }))).Service!.Id, s.Id);
    await expectError(sd.send(new GetServiceCommand({ Id: "srv-aaaaaaaaaaaaaaaa" })), "ServiceNotFound");
    await expectError(sd.send(new GetServiceCommand({ Id: s.Arn!.replace(cairn.accountId, "999999999999") })), "ServiceNotFound");
    await expectError(sd.send(new GetServiceCommand({ Id: http.arn })), "ServiceNotFound");
    await expectError(sd.send(new GetServiceCommand({ Id: "x".repeat(256) })), "InvalidInput", /255/);
    await expectError(cloudMap(cairn, "us-west-2").send(new GetServiceCommand({ Id: s.Id })), "ServiceNotFound");
  });

  test("InstanceCount follows registrations", async () => {
    const s = await service(sd, { NamespaceId: (await fresh()).id });
    await register(sd, s.Id!, "i-1");
    await register(sd, s.Id!, "i-2");
    assert.equal((await sd.send(new GetServiceCommand({ Id: s.Id }))).Service!.InstanceCount, 2);
    await sd.send(new DeregisterInstanceCommand({ ServiceId: s.Id, InstanceId: "i-1" }));
    assert.equal((await sd.send(new GetServiceCommand({ Id: s.Id }))).Service!.InstanceCount, 1);
  });
});

describe("ListServices", () => {
  test("pages to the end without repeats and filters by NAMESPACE_ID (ID or ARN)", async () => {
    const ns = await namespace(sd, "http");
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await service(sd, { NamespaceId: ns.id })).Id!);
    await register(sd, ids[0]!, "only");
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateListServices({ client: sd, pageSize: 2 }, { Filters: [{ Name: "NAMESPACE_ID", Values: [ns.id], Condition: "EQ" }] })) {
      pages++;
      assert.ok(page.Services!.length <= 2);
      seen.push(...page.Services!.map((s) => s.Id!));
    }
    assert.equal(pages, 3);
    assert.deepEqual(seen, ids, "oldest first, each once");
    const byArn = await sd.send(new ListServicesCommand({ Filters: [{ Name: "NAMESPACE_ID", Values: [ns.arn] }] }));
    assert.deepEqual(byArn.Services!.map((s) => s.Id), ids);
    const first = byArn.Services![0]!;
    assert.equal(first.InstanceCount, 1);
    assert.equal(byArn.Services![1]!.InstanceCount, 0);
    assert.equal((first as { NamespaceId?: string }).NamespaceId, undefined, "ServiceSummary has no NamespaceId");
    assert.equal((first as { CreatorRequestId?: string }).CreatorRequestId, undefined, "nor CreatorRequestId");
    assert.equal(first.ResourceOwner, cairn.accountId);
  });

  test("ServiceSummary's DnsConfig leaves out the deprecated NamespaceId", async () => {
    const ns = await namespace(sd, "private");
    await service(sd, { NamespaceId: ns.id, DnsConfig: { DnsRecords: [{ Type: "A", TTL: 5 }] } });
    const listed = await sd.send(new ListServicesCommand({ Filters: [{ Name: "NAMESPACE_ID", Values: [ns.id] }] }));
    assert.deepEqual(listed.Services![0]!.DnsConfig, { RoutingPolicy: "MULTIVALUE", DnsRecords: [{ Type: "A", TTL: 5 }] });
  });

  test("RESOURCE_OWNER SELF lists the caller's services, OTHER_ACCOUNTS none; unknown namespaces list nothing", async () => {
    const all = await sd.send(new ListServicesCommand({ MaxResults: 100 }));
    const self = await sd.send(new ListServicesCommand({ MaxResults: 100, Filters: [{ Name: "RESOURCE_OWNER", Values: ["SELF"] }] }));
    assert.ok(all.Services!.length > 0);
    assert.deepEqual(self.Services!.map((s) => s.Id), all.Services!.map((s) => s.Id));
    const others = await sd.send(new ListServicesCommand({ Filters: [{ Name: "RESOURCE_OWNER", Values: ["OTHER_ACCOUNTS"] }] }));
    assert.equal(others.Services!.length, 0);
    const none = await sd.send(new ListServicesCommand({ Filters: [{ Name: "NAMESPACE_ID", Values: ["ns-aaaaaaaaaaaaaaaa"] }] }));
    assert.deepEqual(none.Services, []);
  });

  test("bad filters, sizes and tokens are InvalidInput", async () => {
    await expectError(sd.send(new ListServicesCommand({ Filters: [{ Name: "NAMESPACE_ID", Values: [http.id], Condition: "BEGINS_WITH" }] })), "InvalidInput");
    await expectError(sd.send(new ListServicesCommand({ Filters: [{ Name: "NAMESPACE_ID", Values: [http.id, priv.id] }] })), "InvalidInput");
    await expectError(sd.send(new ListServicesCommand({ Filters: [{ Name: "RESOURCE_OWNER", Values: ["ME"] }] })), "InvalidInput");
    await expectError(sd.send(new ListServicesCommand({ Filters: [{ Name: "TYPE" as never, Values: ["HTTP"] }] })), "InvalidInput");
    await expectError(sd.send(new ListServicesCommand({ MaxResults: 101 })), "InvalidInput");
    await expectError(sd.send(new ListServicesCommand({ NextToken: "nope" })), "InvalidInput");
  });
});

describe("UpdateService", () => {
  test("changes the description and TTLs through an UPDATE_SERVICE operation targeting the service", async () => {
    const s = await service(sd, { NamespaceId: priv.id, Description: "old", DnsConfig: { DnsRecords: [{ Type: "A", TTL: 60 }, { Type: "AAAA", TTL: 60 }] } });
    const { OperationId } = await sd.send(
      new UpdateServiceCommand({ Id: s.Arn, Service: { Description: "new", DnsConfig: { DnsRecords: [{ Type: "AAAA", TTL: 5 }, { Type: "A", TTL: 10 }] } } }),
    );
    const op = (await sd.send(new GetOperationCommand({ OperationId }))).Operation!;
    assert.equal(op.Type, "UPDATE_SERVICE");
    assert.equal(op.Status, "SUCCESS");
    assert.deepEqual(op.Targets, { SERVICE: s.Id });
    const listed = await sd.send(new ListOperationsCommand({ Filters: [{ Name: "SERVICE_ID", Values: [s.Id!] }, { Name: "TYPE", Values: ["UPDATE_SERVICE"] }] }));
    assert.deepEqual(listed.Operations!.map((o) => o.Id), [OperationId]);
    const got = (await sd.send(new GetServiceCommand({ Id: s.Id }))).Service!;
    assert.equal(got.Description, "new");
    assert.deepEqual(got.DnsConfig!.DnsRecords, [{ Type: "AAAA", TTL: 5 }, { Type: "A", TTL: 10 }]);
    assert.equal(got.DnsConfig!.RoutingPolicy, "MULTIVALUE");
  });

  test("record types, the health check type and custom health cannot change; HTTP namespaces cannot update at all", async () => {
    const dns = await service(sd, { NamespaceId: pub.id, DnsConfig: { DnsRecords: [{ Type: "A", TTL: 60 }] }, HealthCheckConfig: { Type: "HTTP" } });
    await expectError(sd.send(new UpdateServiceCommand({ Id: dns.Id, Service: { DnsConfig: { DnsRecords: [{ Type: "SRV", TTL: 1 }] }, HealthCheckConfig: { Type: "HTTP" } } })), "InvalidInput", /can't change/);
    await expectError(sd.send(new UpdateServiceCommand({ Id: dns.Id, Service: { HealthCheckConfig: { Type: "TCP" } } })), "InvalidInput", /TCP/);
    const custom = await service(sd, { NamespaceId: priv.id, HealthCheckCustomConfig: {} });
    await expectError(sd.send(new UpdateServiceCommand({ Id: custom.Id, Service: { HealthCheckConfig: { Type: "HTTP" } } })), "InvalidInput");
    const inHttp = await service(sd, { NamespaceId: (await fresh()).id });
    await expectError(sd.send(new UpdateServiceCommand({ Id: inHttp.Id, Service: { Description: "x" } })), "InvalidInput", /HTTP namespace/);
    await expectError(sd.send(new UpdateServiceCommand({ Id: "srv-aaaaaaaaaaaaaaaa", Service: {} })), "ServiceNotFound");
    assert.deepEqual((await sd.send(new GetServiceCommand({ Id: dns.Id }))).Service!.HealthCheckConfig, { Type: "HTTP" }, "failed updates change nothing");
  });

  test("adding a Route 53 health check makes instances HEALTHY; leaving it out removes it (UNKNOWN); custom health stays", async () => {
    const s = await service(sd, { NamespaceId: pub.id, DnsConfig: { DnsRecords: [{ Type: "A", TTL: 60 }] } });
    await register(sd, s.Id!, "i-1", { AWS_INSTANCE_IPV4: "192.0.2.1", AWS_INSTANCE_PORT: "80" });
    const health = async () => (await sd.send(new GetInstancesHealthStatusCommand({ ServiceId: s.Id }))).Status;
    assert.deepEqual(await health(), { "i-1": "UNKNOWN" });
    await sd.send(new UpdateServiceCommand({ Id: s.Id, Service: { HealthCheckConfig: { Type: "HTTP", ResourcePath: "/hc" } } }));
    assert.deepEqual((await sd.send(new GetServiceCommand({ Id: s.Id }))).Service!.HealthCheckConfig, { Type: "HTTP", ResourcePath: "/hc" });
    assert.deepEqual(await health(), { "i-1": "HEALTHY" });
    await sd.send(new UpdateServiceCommand({ Id: s.Id, Service: { Description: "no check" } }));
    const after = (await sd.send(new GetServiceCommand({ Id: s.Id }))).Service!;
    assert.equal(after.HealthCheckConfig, undefined);
    assert.deepEqual(after.DnsConfig!.DnsRecords, [{ Type: "A", TTL: 60 }], "records are kept when DnsConfig is left out");
    assert.deepEqual(await health(), { "i-1": "UNKNOWN" });

    const custom = await service(sd, { NamespaceId: priv.id, HealthCheckCustomConfig: {} });
    await sd.send(new UpdateServiceCommand({ Id: custom.Id, Service: { Description: "still custom" } }));
    assert.deepEqual((await sd.send(new GetServiceCommand({ Id: custom.Id }))).Service!.HealthCheckCustomConfig, { FailureThreshold: 1 });
  });

  test("a service without DNS records cannot be given any", async () => {
    const s = await service(sd, { NamespaceId: priv.id, Type: "HTTP" });
    await expectError(sd.send(new UpdateServiceCommand({ Id: s.Id, Service: { DnsConfig: { DnsRecords: [{ Type: "A", TTL: 1 }] } } })), "InvalidInput", /no DNS records/);
  });
});

describe("DeleteService", () => {
  test("is ResourceInUse while instances are registered, then deletes the service, its attributes and its tags", async () => {
    const s = await service(sd, { NamespaceId: (await fresh()).id, Tags: [{ Key: "k", Value: "v" }] });
    await sd.send(new UpdateServiceAttributesCommand({ ServiceId: s.Id, Attributes: { a: "1" } }));
    await register(sd, s.Id!, "i-1");
    await expectError(sd.send(new DeleteServiceCommand({ Id: s.Id })), "ResourceInUse", /1 registered instance/);
    await sd.send(new DeregisterInstanceCommand({ ServiceId: s.Id, InstanceId: "i-1" }));
    const out = await sd.send(new DeleteServiceCommand({ Id: s.Arn }));
    assert.equal(out.$metadata.httpStatusCode, 200);
    await expectError(sd.send(new GetServiceCommand({ Id: s.Id })), "ServiceNotFound");
    await expectError(sd.send(new GetServiceAttributesCommand({ ServiceId: s.Id })), "ServiceNotFound");
    await expectError(sd.send(new ListTagsForResourceCommand({ ResourceARN: s.Arn })), "ResourceNotFoundException");
    await expectError(sd.send(new DeleteServiceCommand({ Id: s.Id })), "ServiceNotFound");
    await expectError(sd.send(new DeleteServiceCommand({ Id: "" })), "ServiceNotFound");
  });

  test("DeleteNamespace is ResourceInUse while the namespace has services", async () => {
    const ns = await namespace(sd, "http");
    const s = await service(sd, { NamespaceId: ns.id });
    await expectError(sd.send(new DeleteNamespaceCommand({ Id: ns.id })), "ResourceInUse", /1 service/);
    await sd.send(new DeleteServiceCommand({ Id: s.Id }));
    const { OperationId } = await sd.send(new DeleteNamespaceCommand({ Id: ns.id }));
    assert.equal((await sd.send(new GetOperationCommand({ OperationId }))).Operation!.Status, "SUCCESS");
  });
});

describe("service attributes", () => {
  test("start empty, merge on update, and lose deleted keys (absent keys are ignored)", async () => {
    const s = await service(sd, { NamespaceId: (await fresh()).id });
    const get = async () => (await sd.send(new GetServiceAttributesCommand({ ServiceId: s.Arn }))).ServiceAttributes!;
    const empty = await get();
    assert.deepEqual(empty, { ServiceArn: s.Arn, ResourceOwner: cairn.accountId, Attributes: {} });
    await sd.send(new UpdateServiceAttributesCommand({ ServiceId: s.Id, Attributes: { port: "8080", tier: "web" } }));
    await sd.send(new UpdateServiceAttributesCommand({ ServiceId: s.Id, Attributes: { tier: "api", "unicode ✓": "ünïcode value" } }));
    assert.deepEqual((await get()).Attributes, { port: "8080", tier: "api", "unicode ✓": "ünïcode value" });
    await sd.send(new DeleteServiceAttributesCommand({ ServiceId: s.Id, Attributes: ["port", "never-set"] }));
    assert.deepEqual((await get()).Attributes, { tier: "api", "unicode ✓": "ünïcode value" });
  });

  test("more than 30 after an update is ServiceAttributesLimitExceededException (and changes nothing)", async () => {
    const s = await service(sd, { NamespaceId: (await fresh()).id });
    const thirty = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, String(i)]));
    await sd.send(new UpdateServiceAttributesCommand({ ServiceId: s.Id, Attributes: thirty }));
    await sd.send(new UpdateServiceAttributesCommand({ ServiceId: s.Id, Attributes: { k0: "overwrite is fine" } }));
    await expectError(sd.send(new UpdateServiceAttributesCommand({ ServiceId: s.Id, Attributes: { k30: "x", k0: "y" } })), "ServiceAttributesLimitExceededException", /at most 30/);
    const attrs = (await sd.send(new GetServiceAttributesCommand({ ServiceId: s.Id }))).ServiceAttributes!.Attributes!;
    assert.equal(Object.keys(attrs).length, 30);
    assert.equal(attrs.k0, "overwrite is fine");
  });

  test("unknown services are ServiceNotFound; malformed requests are InvalidInput", async () => {
    const missing = "srv-aaaaaaaaaaaaaaaa";
    await expectError(sd.send(new GetServiceAttributesCommand({ ServiceId: missing })), "ServiceNotFound");
    await expectError(sd.send(new UpdateServiceAttributesCommand({ ServiceId: missing, Attributes: { a: "b" } })), "ServiceNotFound");
    await expectError(sd.send(new DeleteServiceAttributesCommand({ ServiceId: missing, Attributes: ["a"] })), "ServiceNotFound");
    const s = await service(sd, { NamespaceId: (await fresh()).id });
    const thirtyOne = Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`k${i}`, "v"]));
    await expectError(sd.send(new UpdateServiceAttributesCommand({ ServiceId: s.Id, Attributes: thirtyOne })), "InvalidInput");
    await expectError(sd.send(new UpdateServiceAttributesCommand({ ServiceId: s.Id, Attributes: {} })), "InvalidInput");
    await expectError(sd.send(new UpdateServiceAttributesCommand({ ServiceId: s.Id, Attributes: { ["k".repeat(256)]: "v" } })), "InvalidInput");
    await expectError(sd.send(new UpdateServiceAttributesCommand({ ServiceId: s.Id, Attributes: { k: "v".repeat(1025) } })), "InvalidInput");
    await expectError(sd.send(new DeleteServiceAttributesCommand({ ServiceId: s.Id, Attributes: [] })), "InvalidInput");
  });
});

describe("CloudTrail", () => {
  test("service calls are recorded with the service as their resource", async () => {
    const s = await service(sd, { NamespaceId: (await fresh()).id });
    await sd.send(new GetServiceCommand({ Id: s.Arn }));
    await sd.send(new UpdateServiceAttributesCommand({ ServiceId: s.Id, Attributes: { a: "b" } }));
    await expectError(sd.send(new DeleteServiceCommand({ Id: "srv-aaaaaaaaaaaaaaaa" })), "ServiceNotFound");
    const events = await lookupAll(ct, { LookupAttributes: [{ AttributeKey: "ResourceName", AttributeValue: s.Id }] });
    const names = events.map((e) => e.EventName).sort();
    assert.deepEqual(names, ["CreateService", "GetService", "UpdateServiceAttributes"]);
    for (const e of events) {
      const serviceOnly = e.Resources!.filter((r) => r.ResourceType === "AWS::ServiceDiscovery::Service");
      assert.deepEqual(serviceOnly, [
        { ResourceType: "AWS::ServiceDiscovery::Service", ResourceName: s.Id },
        { ResourceType: "AWS::ServiceDiscovery::Service", ResourceName: s.Arn },
      ]);
      // CreateService also names the namespace it created the service in.
      assert.equal(e.Resources!.length, e.EventName === "CreateService" ? 4 : 2, JSON.stringify(e.Resources));
    }
    const create = recordOf(events.find((e) => e.EventName === "CreateService")!);
    assert.equal(create.readOnly, false);
    assert.equal((create.responseElements as { service: { id: string } }).service.id, s.Id);
    const failed = await lookupAll(ct, { LookupAttributes: [{ AttributeKey: "ResourceName", AttributeValue: "srv-aaaaaaaaaaaaaaaa" }] });
    assert.ok(failed.some((e) => e.EventName === "DeleteService" && recordOf(e).errorCode === "ServiceNotFound"));
  });
});
