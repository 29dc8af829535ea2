import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateHttpNamespaceCommand,
  CreatePrivateDnsNamespaceCommand,
  CreatePublicDnsNamespaceCommand,
  DeleteNamespaceCommand,
  GetNamespaceCommand,
  GetOperationCommand,
  ListNamespacesCommand,
  UpdateHttpNamespaceCommand,
  UpdatePrivateDnsNamespaceCommand,
  UpdatePublicDnsNamespaceCommand,
  paginateListNamespaces,
  type ServiceDiscoveryClient,
} from "@aws-sdk/client-servicediscovery";
import { startCairn, type CairnProcess } from "../support/cairn-process.js";
import { cloudMap } from "../support/clients.js";
import { createdNamespaceId, expectError, uniqueName } from "../support/cloudmap.js";

let cairn: CairnProcess;
let sd: ServiceDiscoveryClient;

before(async () => {
  cairn = await startCairn();
  sd = cloudMap(cairn);
});
after(async () => {
  await cairn.stop();
});

describe("CreateHttpNamespace", () => {
  test("creates a namespace visible through GetNamespace with AWS's shape", async () => {
    const name = uniqueName("http");
    const { OperationId } = await sd.send(new CreateHttpNamespaceCommand({ Name: name, Description: "d1", CreatorRequestId: "tok-1" + name }));
    assert.match(OperationId!, /^[a-z2-7]{32}-[0-9a-z]{8}$/);
    const op = (await sd.send(new GetOperationCommand({ OperationId }))).Operation!;
    assert.equal(op.Type, "CREATE_NAMESPACE");
    assert.equal(op.Status, "SUCCESS");
    assert.equal(op.OwnerAccount, cairn.accountId);
    assert.ok(op.CreateDate instanceof Date && op.UpdateDate instanceof Date);
    const id = op.Targets!.NAMESPACE!;
    assert.match(id, /^ns-[a-z2-7]{16}$/);

    const ns = (await sd.send(new GetNamespaceCommand({ Id: id }))).Namespace!;
    assert.equal(ns.Id, id);
    assert.equal(ns.Arn, `arn:aws:servicediscovery:us-east-1:${cairn.accountId}:namespace/${id}`);
    assert.equal(ns.Name, name);
    assert.equal(ns.Type, "HTTP");
    assert.equal(ns.Description, "d1");
    assert.equal(ns.ResourceOwner, cairn.accountId);
    assert.equal(ns.ServiceCount, 0);
    assert.equal(ns.CreatorRequestId, "tok-1" + name);
    assert.deepEqual(ns.Properties, { DnsProperties: { SOA: {} }, HttpProperties: { HttpName: name } });
    assert.ok(Math.abs(ns.CreateDate!.getTime() - Date.now()) < 60_000);
  });

  test("accepts the ARN wherever an ID is taken", async () => {
    const id = await createdNamespaceId(sd, new CreateHttpNamespaceCommand({ Name: uniqueName("arn") }));
    const { Namespace } = await sd.send(new GetNamespaceCommand({ Id: id }));
    const byArn = await sd.send(new GetNamespaceCommand({ Id: Namespace!.Arn! }));
    assert.equal(byArn.Namespace!.Id, id);
  });

  test("replays the same CreatorRequestId instead of creating twice", async () => {
    const name = uniqueName("idem");
    const first = await sd.send(new CreateHttpNamespaceCommand({ Name: name, CreatorRequestId: `same-${name}` }));
    const second = await sd.send(new CreateHttpNamespaceCommand({ Name: name, CreatorRequestId: `same-${name}` }));
    assert.equal(second.OperationId, first.OperationId);
    const list = await sd.send(new ListNamespacesCommand({ Filters: [{ Name: "NAME", Values: [name], Condition: "EQ" }] }));
    assert.equal(list.Namespaces!.length, 1);
  });

  test("answers NamespaceAlreadyExists with the existing namespace's ID and token", async () => {
    const name = uniqueName("dup");
    const id = await createdNamespaceId(sd, new CreateHttpNamespaceCommand({ Name: name, CreatorRequestId: `a-${name}` }));
    const error = await expectError(sd.send(new CreateHttpNamespaceCommand({ Name: name, CreatorRequestId: `b-${name}` })), "NamespaceAlreadyExists");
    assert.equal((error as unknown as { NamespaceId: string }).NamespaceId, id);
    assert.equal((error as unknown as { CreatorRequestId: string }).CreatorRequestId, `a-${name}`);
    assert.equal(error.$metadata.httpStatusCode, 400);
  });

  test("rejects invalid names with InvalidInput and creates nothing", async () => {
    const before = (await sd.send(new ListNamespacesCommand({}))).Namespaces!.length;
    await expectError(sd.send(new CreateHttpNamespaceCommand({ Name: "has space" })), "InvalidInput", /failed to satisfy constraint/);
    await expectError(sd.send(new CreateHttpNamespaceCommand({ Name: "arn:aws:nope" })), "InvalidInput");
    await expectError(sd.send(new CreateHttpNamespaceCommand({ Name: "x".repeat(1025) })), "InvalidInput", /length less than or equal to 1024/);
    await expectError(sd.send(new CreateHttpNamespaceCommand({ Name: uniqueName("d"), Description: "x".repeat(1025) })), "InvalidInput");
    const after = (await sd.send(new ListNamespacesCommand({}))).Namespaces!.length;
    assert.equal(after, before);
  });

  test("tags on create are applied, reserved aws: keys and more than 50 tags are refused atomically", async () => {
    const name = uniqueName("tags");
    await expectError(
      sd.send(new CreateHttpNamespaceCommand({ Name: name, Tags: [{ Key: "aws:owner", Value: "x" }] })),
      "InvalidInput",
    );
    const tags = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: `v${i}` }));
    const error = await expectError(sd.send(new CreateHttpNamespaceCommand({ Name: name, Tags: tags })), "TooManyTagsException");
    assert.match((error as unknown as { ResourceName: string }).ResourceName, /^arn:aws:servicediscovery:us-east-1:\d{12}:namespace\/ns-/);
    const list = await sd.send(new ListNamespacesCommand({ Filters: [{ Name: "NAME", Values: [name] }] }));
    assert.equal(list.Namespaces!.length, 0, "a failed create leaves no namespace behind");
  });
});

describe("DNS namespaces", () => {
  test("a private DNS namespace carries its hosted zone, SOA TTL and HttpName", async () => {
    const name = `${uniqueName("priv")}.internal`;
    const id = await createdNamespaceId(
      sd,
      new CreatePrivateDnsNamespaceCommand({ Name: name, Vpc: "vpc-1234", Properties: { DnsProperties: { SOA: { TTL: 60 } } } }),
    );
    const ns = (await sd.send(new GetNamespaceCommand({ Id: id }))).Namespace!;
    assert.equal(ns.Type, "DNS_PRIVATE");
    assert.match(ns.Properties!.DnsProperties!.HostedZoneId!, /^Z[A-Z0-9]{20}$/);
    assert.deepEqual(ns.Properties!.DnsProperties!.SOA, { TTL: 60 });
    assert.equal(ns.Properties!.HttpProperties!.HttpName, name);
  });

  test("a public DNS namespace must be a valid domain name", async () => {
    await expectError(sd.send(new CreatePublicDnsNamespaceCommand({ Name: "not_a_domain" })), "InvalidInput");
    const name = `${uniqueName("pub")}.example.com`;
    const id = await createdNamespaceId(sd, new CreatePublicDnsNamespaceCommand({ Name: name }));
    const ns = (await sd.send(new GetNamespaceCommand({ Id: id }))).Namespace!;
    assert.equal(ns.Type, "DNS_PUBLIC");
    assert.deepEqual(ns.Properties!.DnsProperties!.SOA, {});
  });

  test("a private DNS namespace needs a VPC", async () => {
    await expectError(sd.send(new CreatePrivateDnsNamespaceCommand({ Name: "novpc.internal" } as never)), "InvalidInput", /vpc/);
  });

  test("a name reused by another kind of namespace gets a distinct HttpName", async () => {
    const name = `${uniqueName("shared")}.local`;
    const privId = await createdNamespaceId(sd, new CreatePrivateDnsNamespaceCommand({ Name: name, Vpc: "vpc-1" }));
    const httpId = await createdNamespaceId(sd, new CreateHttpNamespaceCommand({ Name: name }));
    const priv = (await sd.send(new GetNamespaceCommand({ Id: privId }))).Namespace!;
    const http = (await sd.send(new GetNamespaceCommand({ Id: httpId }))).Namespace!;
    assert.equal(priv.Properties!.HttpProperties!.HttpName, name);
    assert.notEqual(http.Properties!.HttpProperties!.HttpName, name);
    assert.ok(http.Properties!.HttpProperties!.HttpName!.startsWith(`${name}-`));
    await expectError(sd.send(new CreatePrivateDnsNamespaceCommand({ Name: name, Vpc: "vpc-1" })), "NamespaceAlreadyExists");
    await createdNamespaceId(sd, new CreatePrivateDnsNamespaceCommand({ Name: name, Vpc: "vpc-2" }));
  });
});

describe("Update*Namespace", () => {
  test("UpdateHttpNamespace changes the description through an UPDATE_NAMESPACE operation", async () => {
    const id = await createdNamespaceId(sd, new CreateHttpNamespaceCommand({ Name: uniqueName("upd"), Description: "old" }));
    const { OperationId } = await sd.send(new UpdateHttpNamespaceCommand({ Id: id, Namespace: { Description: "new" } }));
    const op = (await sd.send(new GetOperationCommand({ OperationId }))).Operation!;
    assert.equal(op.Type, "UPDATE_NAMESPACE");
    assert.deepEqual(op.Targets, { NAMESPACE: id });
    assert.equal((await sd.send(new GetNamespaceCommand({ Id: id }))).Namespace!.Description, "new");
  });

  test("UpdatePrivateDnsNamespace and UpdatePublicDnsNamespace change the SOA TTL", async () => {
    const privId = await createdNamespaceId(
      sd,
      new CreatePrivateDnsNamespaceCommand({ Name: `${uniqueName("u")}.internal`, Vpc: "vpc-9", Properties: { DnsProperties: { SOA: { TTL: 10 } } } }),
    );
    await sd.send(new UpdatePrivateDnsNamespaceCommand({ Id: privId, Namespace: { Properties: { DnsProperties: { SOA: { TTL: 99 } } } } }));
    assert.deepEqual((await sd.send(new GetNamespaceCommand({ Id: privId }))).Namespace!.Properties!.DnsProperties!.SOA, { TTL: 99 });

    const pubId = await createdNamespaceId(sd, new CreatePublicDnsNamespaceCommand({ Name: `${uniqueName("u")}.example.org` }));
    await sd.send(new UpdatePublicDnsNamespaceCommand({ Id: pubId, Namespace: { Description: "pub", Properties: { DnsProperties: { SOA: { TTL: 5 } } } } }));
    const pub = (await sd.send(new GetNamespaceCommand({ Id: pubId }))).Namespace!;
    assert.equal(pub.Description, "pub");
    assert.deepEqual(pub.Properties!.DnsProperties!.SOA, { TTL: 5 });
  });

  test("updating a namespace of another type is InvalidInput; an unknown one is NamespaceNotFound", async () => {
    const id = await createdNamespaceId(sd, new CreateHttpNamespaceCommand({ Name: uniqueName("typ") }));
    await expectError(sd.send(new UpdatePrivateDnsNamespaceCommand({ Id: id, Namespace: { Description: "x" } })), "InvalidInput");
    await expectError(sd.send(new UpdateHttpNamespaceCommand({ Id: "ns-aaaaaaaaaaaaaaaa", Namespace: { Description: "x" } })), "NamespaceNotFound");
    await expectError(sd.send(new UpdateHttpNamespaceCommand({ Id: id, Namespace: {} as never })), "InvalidInput", /description/);
  });

  test("a repeated UpdaterRequestId replays the first operation", async () => {
    const id = await createdNamespaceId(sd, new CreateHttpNamespaceCommand({ Name: uniqueName("updidem") }));
    const a = await sd.send(new UpdateHttpNamespaceCommand({ Id: id, UpdaterRequestId: `u-${id}`, Namespace: { Description: "1" } }));
    const b = await sd.send(new UpdateHttpNamespaceCommand({ Id: id, UpdaterRequestId: `u-${id}`, Namespace: { Description: "2" } }));
    assert.equal(b.OperationId, a.OperationId);
    assert.equal((await sd.send(new GetNamespaceCommand({ Id: id }))).Namespace!.Description, "1");
  });
});

describe("DeleteNamespace", () => {
  test("deletes through a DELETE_NAMESPACE operation; the namespace is then gone", async () => {
    const id = await createdNamespaceId(sd, new CreateHttpNamespaceCommand({ Name: uniqueName("del") }));
    const { OperationId } = await sd.send(new DeleteNamespaceCommand({ Id: id }));
    const op = (await sd.send(new GetOperationCommand({ OperationId }))).Operation!;
    assert.equal(op.Type, "DELETE_NAMESPACE");
    assert.equal(op.Status, "SUCCESS");
    await expectError(sd.send(new GetNamespaceCommand({ Id: id })), "NamespaceNotFound");
    await expectError(sd.send(new DeleteNamespaceCommand({ Id: id })), "NamespaceNotFound");
  });
});

describe("ListNamespaces", () => {
  test("pages to the end without repeats, and filters by TYPE, NAME and HTTP_NAME", async () => {
    const prefix = uniqueName("page");
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push(await createdNamespaceId(sd, new CreateHttpNamespaceCommand({ Name: `${prefix}-${i}` })));
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateListNamespaces({ client: sd, pageSize: 3 }, { Filters: [{ Name: "NAME", Values: [prefix], Condition: "BEGINS_WITH" }] })) {
      pages++;
      assert.ok(page.Namespaces!.length <= 3);
      seen.push(...page.Namespaces!.map((n) => n.Id!));
    }
    assert.equal(pages, 3);
    assert.deepEqual([...seen].sort(), [...ids].sort());

    const http = await sd.send(new ListNamespacesCommand({ Filters: [{ Name: "TYPE", Values: ["HTTP"] }, { Name: "NAME", Values: [`${prefix}-3`] }] }));
    assert.deepEqual(http.Namespaces!.map((n) => n.Id), [ids[3]]);
    const summary = http.Namespaces![0]!;
    assert.equal(summary.ServiceCount, 0);
    assert.equal((summary as { CreatorRequestId?: string }).CreatorRequestId, undefined);
    const none = await sd.send(new ListNamespacesCommand({ Filters: [{ Name: "TYPE", Values: ["DNS_PUBLIC"] }, { Name: "NAME", Values: [`${prefix}-3`] }] }));
    assert.equal(none.Namespaces!.length, 0);
    const byHttpName = await sd.send(new ListNamespacesCommand({ Filters: [{ Name: "HTTP_NAME", Values: [`${prefix}-4`], Condition: "EQ" }] }));
    assert.deepEqual(byHttpName.Namespaces!.map((n) => n.Id), [ids[4]]);
    const typeIn = await sd.send(
      new ListNamespacesCommand({ Filters: [{ Name: "TYPE", Values: ["HTTP", "DNS_PRIVATE"], Condition: "IN" }, { Name: "NAME", Values: [prefix], Condition: "BEGINS_WITH" }] }),
    );
    assert.equal(typeIn.Namespaces!.length, 7);
    const mine = await sd.send(new ListNamespacesCommand({ Filters: [{ Name: "RESOURCE_OWNER", Values: ["OTHER_ACCOUNTS"] }] }));
    assert.equal(mine.Namespaces!.length, 0);
  });

  test("bad filters, sizes and tokens are InvalidInput", async () => {
    await expectError(sd.send(new ListNamespacesCommand({ MaxResults: 101 })), "InvalidInput");
    await expectError(sd.send(new ListNamespacesCommand({ Filters: [{ Name: "NAME", Values: ["a", "b"], Condition: "EQ" }] })), "InvalidInput");
    await expectError(sd.send(new ListNamespacesCommand({ Filters: [{ Name: "NAME", Values: ["a"], Condition: "BETWEEN" }] })), "InvalidInput");
    await expectError(sd.send(new ListNamespacesCommand({ Filters: [{ Name: "TYPE", Values: ["NOPE"] }] })), "InvalidInput");
    await expectError(sd.send(new ListNamespacesCommand({ Filters: [{ Name: "BOGUS" as never, Values: ["x"] }] })), "InvalidInput");
    await expectError(sd.send(new ListNamespacesCommand({ NextToken: "garbage" })), "InvalidInput");
  });
});

describe("regions", () => {
  test("a namespace lives in the region of the request's SigV4 scope", async () => {
    const west = cloudMap(cairn, "us-west-2");
    const id = await createdNamespaceId(west, new CreateHttpNamespaceCommand({ Name: uniqueName("west") }));
    const ns = (await west.send(new GetNamespaceCommand({ Id: id }))).Namespace!;
    assert.match(ns.Arn!, /^arn:aws:servicediscovery:us-west-2:/);
    await expectError(sd.send(new GetNamespaceCommand({ Id: id })), "NamespaceNotFound");
    await expectError(sd.send(new GetNamespaceCommand({ Id: ns.Arn! })), "NamespaceNotFound");
    const eastIds = (await sd.send(new ListNamespacesCommand({}))).Namespaces!.map((n) => n.Id);
    assert.ok(!eastIds.includes(id));
  });
});
