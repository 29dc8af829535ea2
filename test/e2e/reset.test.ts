import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import {
  CreateHttpNamespaceCommand,
  CreateServiceCommand,
  DiscoverInstancesCommand,
  ListNamespacesCommand,
  ListServicesCommand,
  RegisterInstanceCommand,
} from "@aws-sdk/client-servicediscovery";
import { CreateRoleCommand, CreatePolicyCommand, ListPoliciesCommand, ListRolesCommand, ListUsersCommand } from "@aws-sdk/client-iam";
import { CreateTrailCommand, DescribeTrailsCommand } from "@aws-sdk/client-cloudtrail";
import { GetCallerIdentityCommand, GetSessionTokenCommand } from "@aws-sdk/client-sts";
import { CLI, startCairn, testAccount, type CairnProcess, type Credentials, type SpawnedCairn } from "../support/cairn-process.js";
import { launchCairn } from "../../src/embed/launch.js";
import { TEST_STORE, createTestDatabase } from "../support/postgres.js";
import { startCluster } from "../support/cluster.js";
import { eventually } from "../support/trails.js";
import { signedCairnCall } from "../support/cairn-endpoints.js";
import { cloudMap } from "../support/clients.js";
import { cloudTrail, lookupAll } from "../support/cloudtrail.js";
import { allow, as, iam, sts, userWithPolicy } from "../support/identity.js";
import { createdNamespaceId } from "../support/cloudmap.js";

const TRUST = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "sts:AssumeRole" }] };

/** Fills the store with one of everything the reset must remove; returns an IAM admin's key. */
async function populate(cairn: CairnProcess): Promise<Credentials> {
  const sd = cloudMap(cairn);
  const namespaceId = await createdNamespaceId(sd, new CreateHttpNamespaceCommand({ Name: "shop" }));
  const service = await sd.send(new CreateServiceCommand({ Name: "web", NamespaceId: namespaceId }));
  await sd.send(new RegisterInstanceCommand({ ServiceId: service.Service!.Id!, InstanceId: "web-1", Attributes: { AWS_INSTANCE_IPV4: "10.0.0.1" } }));
  await iam(cairn).send(new CreateRoleCommand({ RoleName: "deployer", AssumeRolePolicyDocument: JSON.stringify(TRUST) }));
  await iam(cairn).send(new CreatePolicyCommand({ PolicyName: "readers", PolicyDocument: JSON.stringify(allow("servicediscovery:List*")) }));
  await cloudTrail(cairn).send(new CreateTrailCommand({ Name: "audit", S3BucketName: "audit-bucket" }));
  return userWithPolicy(cairn, "admin", allow("*"));
}

async function namespaceNames(cairn: CairnProcess): Promise<string[]> {
  return ((await cloudMap(cairn).send(new ListNamespacesCommand({}))).Namespaces ?? []).map((n) => n.Name!);
}

describe("POST /_cairn/reset", () => {
  let cairn: CairnProcess;
  let admin: Credentials;
  after(async () => {
    await cairn?.stop();
  });

  test("does not exist without --allow-reset, even for the root key", async () => {
    const plain = await startCairn();
    try {
      await cloudMap(plain).send(new CreateHttpNamespaceCommand({ Name: "kept" }));
      const answer = await signedCairnCall(plain.url, plain.credentials, "POST", "/_cairn/reset");
      assert.equal(answer.status, 404);
      assert.equal(answer.json().__type, "UnknownOperationException");
      assert.deepEqual(await namespaceNames(plain), ["kept"]);
    } finally {
      await plain.stop();
    }
  });

  test("with --allow-reset, refuses every caller but the root key, and changes nothing", async () => {
    cairn = await startCairn({ args: ["--allow-reset"] });
    fs.mkdirSync(path.join(cairn.dataDir, "buckets", "audit-bucket"), { recursive: true });
    admin = await populate(cairn);
    const refusals: Array<[string, Promise<{ status: number; json(): Record<string, unknown> }>, number, string]> = [
      ["unsigned", signedCairnCall(cairn.url, undefined, "POST", "/_cairn/reset"), 400, "MissingAuthenticationTokenException"],
      [
        "a wrong secret",
        signedCairnCall(cairn.url, { ...cairn.credentials, secretAccessKey: "x".repeat(40) }, "POST", "/_cairn/reset"),
        400,
        "InvalidSignatureException",
      ],
      ["an IAM user allowed everything", signedCairnCall(cairn.url, admin, "POST", "/_cairn/reset"), 400, "AccessDeniedException"],
      ["the root key scoped to another service", signedCairnCall(cairn.url, cairn.credentials, "POST", "/_cairn/reset", { service: "servicediscovery" }), 400, "InvalidSignatureException"],
    ];
    for (const [who, call, status, code] of refusals) {
      const answer = await call;
      assert.equal(answer.json().__type, code, `${who}: ${JSON.stringify(answer.json())}`);
      assert.equal(answer.status, status, who);
    }
    // A session of the root key is not the root key.
    const session = await sts(cairn).send(new GetSessionTokenCommand({}));
    const sessionKey = { accessKeyId: session.Credentials!.AccessKeyId!, secretAccessKey: session.Credentials!.SecretAccessKey!, sessionToken: session.Credentials!.SessionToken! };
    assert.equal((await signedCairnCall(cairn.url, sessionKey, "POST", "/_cairn/reset")).json().__type, "AccessDeniedException");
    assert.equal((await signedCairnCall(cairn.url, cairn.credentials, "GET", "/_cairn/reset")).status, 404);
    assert.deepEqual(await namespaceNames(cairn), ["shop"]);
    assert.equal((await iam(cairn).send(new ListUsersCommand({}))).Users?.length, 1);
  });

  test("signed by the root key, empties the store before answering; the root key still works", async () => {
    const sd = cloudMap(cairn);
    const answer = await signedCairnCall(cairn.url, cairn.credentials, "POST", "/_cairn/reset");
    assert.equal(answer.status, 200, answer.body);
    assert.deepEqual(answer.json(), { status: "empty" });
    assert.deepEqual(await lookupAll(cloudTrail(cairn)), [], "no event is left");
    assert.deepEqual(await namespaceNames(cairn), []);
    assert.deepEqual((await sd.send(new ListServicesCommand({}))).Services, []);
    // The discovery view followed: DiscoverInstances is answered from memory.
    await assert.rejects(sd.send(new DiscoverInstancesCommand({ NamespaceName: "shop", ServiceName: "web" })), { name: "NamespaceNotFound" });
    const client = iam(cairn);
    assert.deepEqual((await client.send(new ListUsersCommand({}))).Users, []);
    assert.deepEqual((await client.send(new ListRolesCommand({}))).Roles, []);
    assert.deepEqual((await client.send(new ListPoliciesCommand({ Scope: "Local" }))).Policies, []);
    assert.deepEqual((await cloudTrail(cairn).send(new DescribeTrailsCommand({}))).trailList, []);
    assert.equal((await sts(cairn).send(new GetCallerIdentityCommand({}))).Account, cairn.accountId);
    // The IAM user's key went with the user, although the server had it cached.
    await assert.rejects(sts(as(cairn, admin)).send(new GetCallerIdentityCommand({})), { name: "InvalidClientTokenId" });
    // The same names can be created again.
    await cloudMap(cairn).send(new CreateHttpNamespaceCommand({ Name: "shop" }));
    assert.deepEqual(await namespaceNames(cairn), ["shop"]);
  });
});

describe("cairn serve --ephemeral", () => {
  test("runs on a temporary data dir that is gone once the server exits", async () => {
    const { accountId, credentials } = testAccount();
    const store = TEST_STORE === "postgres" ? ["--store", await createTestDatabase()] : [];
    const env = { ...process.env, CAIRN_ACCOUNT_ID: accountId, CAIRN_ROOT_ACCESS_KEY_ID: credentials.accessKeyId, CAIRN_ROOT_SECRET_ACCESS_KEY: credentials.secretAccessKey };
    const launched = await launchCairn([process.execPath, CLI, "serve", "--ephemeral", "--port", "0", "--dns-port", "0", ...store], env);
    const dataDir = /cairn data dir (\S+) \(ephemeral/.exec(launched.output())?.[1];
    assert.ok(dataDir && fs.existsSync(path.join(dataDir, "secrets.key")), launched.output());
    await cloudMap({ url: launched.url, credentials } as CairnProcess).send(new CreateHttpNamespaceCommand({ Name: "gone-soon" }));
    launched.child.kill("SIGTERM");
    assert.equal(await launched.exited, 0);
    assert.equal(fs.existsSync(dataDir), false);
  });

  test("refuses a --data-dir beside it", async () => {
    await assert.rejects(launchCairn([process.execPath, CLI, "serve", "--ephemeral", "--data-dir", "/tmp/x", "--port", "0"], process.env), /exited with 1[\s\S]*--ephemeral and --data-dir exclude each other/);
  });
});

describe("a reset on one node of a PostgreSQL cluster", { skip: TEST_STORE === "postgres" ? false : "several nodes need PostgreSQL (runs in the PostgreSQL pass)" }, () => {
  test("reaches the other node's discovery view and key cache", async () => {
    const cluster = await startCluster(2, { args: ["--allow-reset"] });
    try {
      const [a, b] = cluster.nodes as [SpawnedCairn, SpawnedCairn];
      const sd = cloudMap(a);
      const namespaceId = await createdNamespaceId(sd, new CreateHttpNamespaceCommand({ Name: "shared" }));
      const service = await sd.send(new CreateServiceCommand({ Name: "web", NamespaceId: namespaceId }));
      await sd.send(new RegisterInstanceCommand({ ServiceId: service.Service!.Id!, InstanceId: "web-1", Attributes: { AWS_INSTANCE_IPV4: "10.0.0.1" } }));
      const user = await userWithPolicy(a, "reader", allow("*"));
      const discoverOnB = () => cloudMap(b).send(new DiscoverInstancesCommand({ NamespaceName: "shared", ServiceName: "web" }));
      await eventually(async () => ((await discoverOnB()).Instances?.length === 1 ? true : undefined), "node b sees the instance", 10_000);
      assert.equal((await sts(as(b, user)).send(new GetCallerIdentityCommand({}))).Account, b.accountId, "node b caches the user's key");
      assert.equal((await signedCairnCall(a.url, a.credentials, "POST", "/_cairn/reset")).status, 200);
      await eventually(
        () => discoverOnB().then(() => undefined, (error: Error) => (error.name === "NamespaceNotFound" ? true : undefined)),
        "node b's view follows the reset",
        10_000,
      );
      await eventually(
        () => sts(as(b, user)).send(new GetCallerIdentityCommand({})).then(() => undefined, (error: Error) => (error.name === "InvalidClientTokenId" ? true : undefined)),
        "node b forgets the user's key",
        10_000,
      );
    } finally {
      await cluster.stop();
    }
  });
});
