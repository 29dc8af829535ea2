import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Authorizer } from "../../src/auth/authorizer.js";
import type { Principal } from "../../src/auth/principal.js";
import { SecretBox } from "../../src/auth/secret-box.js";
import { StoreCredentialResolver } from "../../src/auth/store-credentials.js";
import { noResourceType, type ApiDef, type OperationContext } from "../../src/services/operation.js";
import type { StoreChange } from "../../src/store/changes.js";
import type { KyselyStore } from "../../src/store/kysely-store.js";
import { DiscoveryView } from "../../src/view/discovery-view.js";
import { followStore } from "../../src/view/follow-store.js";
import { TEST_STORE } from "../support/postgres.js";
import { openTestStore, testStoreUrl } from "../support/stores.js";
import { instanceRecord, namespaceRecord, serviceRecord } from "../support/view-records.js";

/**
 * Memory follows the store alone: writes made straight through the store's repositories (what the health prober or an
 * operator's tool does; no handler, nobody telling anyone) reach the discovery view and the IAM caches, on this node
 * before the writing transaction returns.
 */
const ACCOUNT = "123456789012";
const onlyPostgres = TEST_STORE === "postgres" ? false : "another node exists only on PostgreSQL (runs in the PostgreSQL pass)";
const at = new Date(1_700_000_000_000);
const ns = namespaceRecord({ id: "ns-cs", name: "shop", accountId: ACCOUNT, createDate: at });
const svc = serviceRecord({ id: "srv-cs", namespaceId: "ns-cs", name: "web", accountId: ACCOUNT, healthCheckCustomConfig: { FailureThreshold: 1 }, createDate: at });
const instance = (id: string, zone: string) => instanceRecord({ id, serviceId: "srv-cs", namespaceId: "ns-cs", attributes: { zone }, createdByAccount: ACCOUNT, createDate: at, updateDate: at });

const opened: KyselyStore[] = [];
after(async () => {
  for (const store of opened) await store.close();
});
async function fresh(): Promise<KyselyStore> {
  const store = await openTestStore();
  opened.push(store);
  return store;
}

describe(`store (${TEST_STORE}): a write through the store alone reaches memory`, () => {
  test("the discovery view: namespaces, services, instances, revisions and health, and nothing rolled back", async () => {
    const store = await fresh();
    const view = await DiscoveryView.load(store);
    const stop = followStore(store, view, (message, error) => assert.fail(`${message}: ${String(error)}`));
    const web = () => {
      const found = view.lookup(ACCOUNT, "us-east-1", "shop", "web");
      return found.found ? found.service : undefined;
    };

    await store.transaction(async (tx) => {
      await tx.namespaces.insert(ns);
      await tx.services.insert(svc, "web");
      await tx.instances.put(instance("a", "1a"));
      await tx.services.bumpRevision("srv-cs", 5);
    });
    assert.equal(web()?.instances.get("a")?.attributes.zone, "1a", "heard before the transaction returned");
    assert.equal(web()?.revision, 5);

    await store.transaction((tx) => tx.instances.setHealth("srv-cs", "a", { status: "UNHEALTHY", customStatus: "UNHEALTHY" }, at));
    assert.equal(web()?.instances.get("a")?.health, "UNHEALTHY");
    assert.equal(web()?.instances.get("a")?.attributes.zone, "1a", "the row as the update left it");

    await store.transaction(async (tx) => {
      await tx.services.update("srv-cs", { description: "the shop's front" });
      await tx.namespaces.update("ns-cs", { description: "shop" });
    });
    assert.equal(web()?.record.description, "the shop's front");
    assert.equal(view.namespace("ns-cs")?.record.description, "shop");

    await assert.rejects(
      store.transaction(async (tx) => {
        await tx.instances.put(instance("rolled-back", "1z"));
        throw new Error("no");
      }),
    );
    assert.equal(web()?.instances.has("rolled-back"), false, "a rolled-back write is never heard");

    await store.transaction(async (tx) => {
      await tx.instances.delete("srv-cs", "a");
      await tx.services.bumpRevision("srv-cs", 6);
    });
    assert.deepEqual(web()?.list(), []);
    assert.equal(web()?.revision, 6);

    await store.transaction(async (tx) => {
      await tx.services.delete("srv-cs");
      await tx.namespaces.delete("ns-cs");
    });
    assert.equal(view.service("srv-cs"), undefined);
    assert.equal(view.namespace("ns-cs"), undefined);
    stop();
  });

  test("the key cache: a key deactivated or deleted, and the keys of a renamed or deleted user, are read again", async () => {
    const store = await fresh();
    const box = SecretBox.open(fs.mkdtempSync(path.join(os.tmpdir(), "cairn-box-")));
    // A cache age of a minute: only the change stream can make the resolver read a key again within this test.
    const credentials = new StoreCredentialResolver(store, box, 60_000);
    await store.transaction(async (tx) => {
      await tx.accounts.createAccount(ACCOUNT, at);
      await tx.iam.createUser({ accountId: ACCOUNT, userName: "bob", userId: "AIDABOB", path: "/", arn: `arn:aws:iam::${ACCOUNT}:user/bob`, createDate: at });
      for (const id of ["AKIABOBONE", "AKIABOBTWO"]) {
        await tx.accounts.createAccessKey({ accessKeyId: id, accountId: ACCOUNT, secretAccessKey: box.seal("s"), status: "Active", createdAt: at, userName: "bob" });
      }
    });
    assert.equal((await credentials.resolve("AKIABOBONE"))?.active, true);
    await store.transaction((tx) => tx.iam.updateAccessKeyStatus("AKIABOBONE", "Inactive"));
    assert.equal((await credentials.resolve("AKIABOBONE"))?.active, false);

    assert.equal((await credentials.resolve("AKIABOBTWO"))?.principal.arn, `arn:aws:iam::${ACCOUNT}:user/bob`);
    await store.transaction(async (tx) => {
      const user = (await tx.iam.getUser(ACCOUNT, "bob"))!;
      await tx.iam.updateUser(ACCOUNT, "bob", { ...user, userName: "robert", arn: `arn:aws:iam::${ACCOUNT}:user/robert` });
    });
    assert.equal((await credentials.resolve("AKIABOBTWO"))?.principal.arn, `arn:aws:iam::${ACCOUNT}:user/robert`);

    await store.transaction((tx) => tx.iam.deleteAccessKey("AKIABOBTWO"));
    assert.equal(await credentials.resolve("AKIABOBTWO"), undefined);
    credentials.close();
  });

  test("the policy cache: a policy, a group membership and a user's tags changed through the store apply to the next call", async () => {
    const store = await fresh();
    const authorizer = new Authorizer(store);
    await seedReader(store);
    const allowed = () => listsNamespaces(authorizer);

    assert.equal(await allowed(), false, "not in the group yet (and now cached)");
    await store.transaction((tx) => tx.iam.addUserToGroup(ACCOUNT, "readers", "ann"));
    assert.equal(await allowed(), true, "a membership added through the store");

    await store.transaction((tx) => tx.iam.putInlinePolicy(ACCOUNT, { kind: "group", name: "readers" }, { policyName: "read", document: allow("servicediscovery:ListNamespaces", { StringEquals: { "aws:PrincipalTag/team": "shop" } }) }));
    assert.equal(await allowed(), false, "a policy changed through the store");
    await store.transaction((tx) => tx.tags.put(ANN.arn, [{ Key: "team", Value: "shop" }]));
    assert.equal(await allowed(), true, "the user's tags changed through the store");
    authorizer.close();
  });

  test("another node's IAM changes reach this node's policy and key caches at once", { skip: onlyPostgres }, async () => {
    const url = await testStoreUrl();
    const [writer, node] = [await openTestStore(url), await openTestStore(url)];
    opened.push(writer, node);
    const box = SecretBox.open(fs.mkdtempSync(path.join(os.tmpdir(), "cairn-box-")));
    const authorizer = new Authorizer(node);
    const credentials = new StoreCredentialResolver(node, box, 60_000);
    await seedReader(writer);
    await writer.transaction((tx) => tx.accounts.createAccessKey({ accessKeyId: "AKIAANN", accountId: ACCOUNT, secretAccessKey: box.seal("s"), status: "Active", createdAt: at, userName: "ann" }));
    assert.equal(await listsNamespaces(authorizer), false);
    assert.equal((await credentials.resolve("AKIAANN"))?.principal.arn, ANN.arn);

    await writer.transaction((tx) => tx.iam.addUserToGroup(ACCOUNT, "readers", "ann"));
    await until("the membership to be heard", () => listsNamespaces(authorizer));
    await writer.transaction(async (tx) => {
      await tx.iam.updateUser(ACCOUNT, "ann", { ...ANN, userName: "anne", arn: `arn:aws:iam::${ACCOUNT}:user/anne` });
    });
    await until("the rename to be heard", async () => (await credentials.resolve("AKIAANN"))?.principal.arn === `arn:aws:iam::${ACCOUNT}:user/anne`);
    authorizer.close();
    credentials.close();
  });

  test("each committed write is heard once by the node that wrote it, with the row written", async () => {
    const store = await fresh();
    const heard: StoreChange[] = [];
    const unwatch = store.watch({ changed: (c) => c.kind !== "policies" && heard.push(c), resync: () => undefined });
    await store.transaction(async (tx) => {
      await tx.namespaces.insert(ns);
      await tx.services.insert(svc, "web");
    });
    unwatch();
    const own = heard.filter((c) => "written" in c);
    assert.deepEqual(own, [
      { kind: "namespace", accountId: ACCOUNT, region: "us-east-1", id: "ns-cs", written: ns },
      { kind: "service", accountId: ACCOUNT, region: "us-east-1", id: "srv-cs", written: svc },
    ]);
  });
});

const ANN = { accountId: ACCOUNT, userName: "ann", userId: "AIDAANN", path: "/", arn: `arn:aws:iam::${ACCOUNT}:user/ann`, createDate: at };

/** User ann, and a group `readers` whose inline policy allows ListNamespaces (ann is not in it yet). */
async function seedReader(store: KyselyStore): Promise<void> {
  await store.transaction(async (tx) => {
    await tx.accounts.createAccount(ACCOUNT, at);
    await tx.iam.createUser(ANN);
    await tx.iam.createGroup({ accountId: ACCOUNT, groupName: "readers", groupId: "AGPAREADERS", path: "/", arn: `arn:aws:iam::${ACCOUNT}:group/readers`, createDate: at });
    await tx.iam.putInlinePolicy(ACCOUNT, { kind: "group", name: "readers" }, { policyName: "read", document: allow("servicediscovery:ListNamespaces") });
  });
}

/** Whether ann may call ListNamespaces, as the authorizer (and its cache) says. */
function listsNamespaces(authorizer: Authorizer): Promise<boolean> {
  const principal: Principal = { type: "IAMUser", accountId: ACCOUNT, arn: ANN.arn, principalId: ANN.userId, accessKeyId: "AKIAANN", userName: "ann" };
  const api = { signingName: "servicediscovery", model: { metadata: { protocol: "json" } }, operations: { ListNamespaces: { authorize: noResourceType } } } as unknown as ApiDef;
  const ctx = { accountId: ACCOUNT, region: "us-east-1", principal, now: at } as OperationContext;
  return authorizer.authorize(api, "ListNamespaces", {}, ctx, { sourceIp: "127.0.0.1", secure: false }).then(
    () => true,
    (error: Error) => (/not authorized/.test(error.message) ? false : Promise.reject(error)),
  );
}

/** Shorter than the caches' own ages (5 s for policies): only a notification can make `probe` true in time. */
async function until(what: string, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 3_000;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function allow(action: string, condition?: Record<string, Record<string, string>>): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: action, Resource: "*", ...(condition ? { Condition: condition } : {}) }] });
}
