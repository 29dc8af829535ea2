import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { DiscoverInstancesCommand, ListNamespacesCommand, ListServicesCommand, GetServiceCommand } from "@aws-sdk/client-servicediscovery";
import { GetUserPolicyCommand, ListAttachedRolePoliciesCommand, ListAttachedUserPoliciesCommand, ListUsersCommand } from "@aws-sdk/client-iam";
import { GetEventSelectorsCommand, GetTrailStatusCommand } from "@aws-sdk/client-cloudtrail";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { startCairn, tempDataDir, testAccount, type CairnProcess } from "../support/cairn-process.js";
import { cloudMap } from "../support/clients.js";
import { cloudTrail, lookupAll, recordOf } from "../support/cloudtrail.js";
import { as, iam, sts } from "../support/identity.js";

const account = testAccount();
const allowList = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "servicediscovery:List*", Resource: "*" }] };
/** Not the server's default region: namespaces and trails go there, IAM (global) stays in us-east-1. */
const REGION = "eu-west-1";
const INIT = {
  region: REGION,
  policies: [{ PolicyName: "readers", PolicyDocument: allowList }],
  users: [
    {
      UserName: "ci",
      Path: "/robots/",
      Policies: [{ PolicyName: "discover", PolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "servicediscovery:DiscoverInstances", Resource: "*" }] } }],
      AttachedPolicies: ["readers"],
      AccessKey: true,
    },
  ],
  roles: [
    {
      RoleName: "deployer",
      AssumeRolePolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account.accountId}:root` }, Action: "sts:AssumeRole" }] },
      AttachedPolicies: ["readers"],
    },
  ],
  namespaces: [
    {
      Name: "shop",
      Services: [
        {
          Name: "web",
          HealthCheckCustomConfig: { FailureThreshold: 1 },
          Instances: [
            { InstanceId: "web-1", Attributes: { AWS_INSTANCE_IPV4: "10.0.0.1", AWS_INSTANCE_PORT: "8080" } },
            { InstanceId: "web-2", Attributes: { AWS_INSTANCE_IPV4: "10.0.0.2", AWS_INSTANCE_PORT: "8080" } },
          ],
        },
      ],
    },
    { Type: "DNS_PRIVATE", Name: "internal.example", Vpc: "vpc-1", Services: [{ Name: "db", DnsConfig: { DnsRecords: [{ Type: "A", TTL: 30 }] } }] },
  ],
  trails: [{ Name: "audit", S3BucketName: "audit-bucket", EventSelectors: [{ ReadWriteType: "WriteOnly", IncludeManagementEvents: true }], StartLogging: true }],
};

function writeInit(dataDir: string, content: unknown): string {
  const file = path.join(dataDir, "init.json");
  fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
}

async function initEvents(cairn: CairnProcess) {
  const events = [...(await lookupAll(cloudTrail(cairn, REGION))), ...(await lookupAll(cloudTrail(cairn, "us-east-1")))];
  return events.map(recordOf).filter((r) => r.userAgent === "cairn-init");
}

describe("cairn serve --init FILE", () => {
  const dataDir = tempDataDir();
  let cairn: CairnProcess;
  before(async () => {
    fs.mkdirSync(path.join(dataDir, "buckets", "audit-bucket"), { recursive: true });
    cairn = await startCairn({ spawn: true, dataDir, account, args: ["--init", writeInit(dataDir, INIT)] });
  });
  after(async () => {
    await cairn?.stop();
  });

  test("creates what the file declares", async () => {
    const sd = cloudMap(cairn, REGION);
    const names = ((await sd.send(new ListNamespacesCommand({}))).Namespaces ?? []).map((n) => n.Name).sort();
    assert.deepEqual(names, ["internal.example", "shop"]);
    const found = await sd.send(new DiscoverInstancesCommand({ NamespaceName: "shop", ServiceName: "web" }));
    assert.deepEqual(found.Instances?.map((i) => i.InstanceId).sort(), ["web-1", "web-2"]);
    const db = (await sd.send(new ListServicesCommand({}))).Services!.find((s) => s.Name === "db")!;
    assert.deepEqual((await sd.send(new GetServiceCommand({ Id: db.Id }))).Service?.DnsConfig?.DnsRecords, [{ Type: "A", TTL: 30 }]);
    const client = iam(cairn);
    assert.deepEqual((await client.send(new ListUsersCommand({}))).Users?.map((u) => `${u.Path}${u.UserName}`), ["/robots/ci"]);
    assert.ok((await client.send(new GetUserPolicyCommand({ UserName: "ci", PolicyName: "discover" }))).PolicyDocument);
    assert.deepEqual((await client.send(new ListAttachedUserPoliciesCommand({ UserName: "ci" }))).AttachedPolicies?.map((p) => p.PolicyName), ["readers"]);
    assert.deepEqual((await client.send(new ListAttachedRolePoliciesCommand({ RoleName: "deployer" }))).AttachedPolicies?.map((p) => p.PolicyName), ["readers"]);
    assert.equal((await cloudTrail(cairn, REGION).send(new GetTrailStatusCommand({ Name: "audit" }))).IsLogging, true);
    const selectors = await cloudTrail(cairn, REGION).send(new GetEventSelectorsCommand({ TrailName: "audit" }));
    assert.deepEqual(selectors.EventSelectors?.map((e) => e.ReadWriteType), ["WriteOnly"]);
    // The user's generated key is written 0600 for the operator, and works.
    const keysFile = path.join(dataDir, "init-access-keys.json");
    assert.equal(fs.statSync(keysFile).mode & 0o777, 0o600);
    const key = (JSON.parse(fs.readFileSync(keysFile, "utf8")) as Record<string, { accessKeyId: string; secretAccessKey: string }>).ci!;
    assert.match((await sts(as(cairn, key)).send(new GetCallerIdentityCommand({}))).Arn!, /:user\/robots\/ci$/);
    const asCi = await cloudMap(as(cairn, key), REGION).send(new DiscoverInstancesCommand({ NamespaceName: "shop", ServiceName: "web" }));
    assert.equal(asCi.Instances?.length, 2);
  });

  test("records every creation in CloudTrail as the root user with userAgent cairn-init", async () => {
    const events = await initEvents(cairn);
    const names = events.map((e) => e.eventName as string).sort();
    assert.deepEqual(names, [
      "AttachRolePolicy",
      "AttachUserPolicy",
      "CreateAccessKey",
      "CreateHttpNamespace",
      "CreatePolicy",
      "CreatePrivateDnsNamespace",
      "CreateRole",
      "CreateService",
      "CreateService",
      "CreateTrail",
      "CreateUser",
      "PutEventSelectors",
      "PutUserPolicy",
      "RegisterInstance",
      "RegisterInstance",
      "StartLogging",
    ]);
    for (const e of events) {
      const identity = e.userIdentity as Record<string, unknown>;
      assert.equal(identity.type, "Root");
      assert.equal(identity.arn, `arn:aws:iam::${account.accountId}:root`);
      assert.equal(identity.accessKeyId, account.credentials.accessKeyId);
      assert.equal(e.errorCode, undefined);
      assert.equal(e.awsRegion, e.eventSource === "iam.amazonaws.com" ? "us-east-1" : REGION, String(e.eventName));
    }
  });

  test("a second start with the same file changes nothing", async () => {
    const before = (await initEvents(cairn)).length;
    const revision = (await cloudMap(cairn, REGION).send(new DiscoverInstancesCommand({ NamespaceName: "shop", ServiceName: "web" }))).InstancesRevision;
    await cairn.stop();
    cairn = await startCairn({ spawn: true, dataDir, account, args: ["--init", path.join(dataDir, "init.json")] });
    assert.equal((await initEvents(cairn)).length, before);
    const again = await cloudMap(cairn, REGION).send(new DiscoverInstancesCommand({ NamespaceName: "shop", ServiceName: "web" }));
    assert.equal(again.InstancesRevision, revision);
    assert.equal(Object.keys(JSON.parse(fs.readFileSync(path.join(dataDir, "init-access-keys.json"), "utf8")) as object).length, 1);
  });
});

describe("a bad --init file fails the start with the AWS error and where it is", () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ["not JSON", "{ nope", /--init \S+init\.json: .*JSON/],
    ["an unknown top-level member", { namespace: [] }, /\$\.namespace: unknown member/],
    ["a typo in an API member", { namespaces: [{ Name: "shop", Services: [{ Name: "web", DnsConfg: {} }] }] }, /\$\.namespaces\[0\]\.Services\[0\]\.DnsConfg: unknown member \(CreateService takes/],
    ["an input the API refuses", { namespaces: [{ Name: "shop", Services: [{ Name: "web", Instances: [{ InstanceId: "i-1", Attributes: { AWS_INSTANCE_IPV4: "not-an-ip" } }] }] }] }, /\$\.namespaces\[0\]\.Services\[0\]\.Instances\[0\]: InvalidInput: /],
    ["a shape the API refuses", { users: [{ UserName: "" }] }, /\$\.users\[0\]: ValidationError: /],
    ["a trail rule the API refuses", { trails: [{ Name: "audit", S3BucketName: "audit-bucket", EventSelectors: [{ ReadWriteType: "Sometimes" }] }] }, /\$\.trails\[0\]\.EventSelectors: \w+: /],
    ["an unknown namespace type", { namespaces: [{ Type: "DNS", Name: "x" }] }, /\$\.namespaces\[0\]\.Type: must be HTTP, DNS_PRIVATE or DNS_PUBLIC/],
  ];
  for (const [what, content, message] of cases) {
    test(what, async () => {
      const dataDir = tempDataDir();
      fs.mkdirSync(path.join(dataDir, "buckets", "audit-bucket"), { recursive: true });
      await assert.rejects(startCairn({ spawn: true, dataDir, args: ["--init", writeInit(dataDir, content)] }), (error: Error) => {
        assert.match(error.message, /exited with 1 before listening/);
        assert.match(error.message, message);
        return true;
      });
    });
  }
});
