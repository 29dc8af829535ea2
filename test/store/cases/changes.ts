import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { StoreChange } from "../../../src/store/changes.js";
import type { Store } from "../../../src/store/store.js";
import type { Subject } from "../conformance.js";
import { ACCOUNT, REGION, defined, instance, namespace, service, sleep, until } from "../fixtures.js";

const at = new Date(Date.UTC(2026, 0, 10));
const ignore = () => undefined;

/** Every change `store` hands its listeners from now on. */
function listen(store: Store): StoreChange[] {
  const heard: StoreChange[] = [];
  store.watch({ changed: (c) => heard.push(c), resync: ignore });
  return heard;
}

/**
 * This node's own changes: the discovery rows it wrote (with `written`) and revisions. A shared store's nodes also
 * hear every other node's commits from the database, with keys only.
 */
const own = (heard: StoreChange[]) => heard.filter((c) => ("written" in c && c.written !== undefined) || c.kind === "instancesRevision");

/** The change stream (store.ts `watch`, changes.ts): the one way a committed change reaches memory. */
export function changeCases(s: Subject): void {
  const onlyShared = s.impl.shared ? false : `${s.name} is not shared by several nodes`;

  /** Two nodes on one store: one writes, the other listens (once its feed is up). */
  async function writerAndListener(): Promise<{ writer: Store; heard: StoreChange[] }> {
    const { stores } = await s.nodes(2);
    const heard: StoreChange[] = [];
    let resyncs = 0;
    stores[1]!.watch({ changed: (c) => heard.push(c), resync: () => resyncs++ });
    await until("listening", () => resyncs > 0);
    return { writer: stores[0]!, heard };
  }

  describe("the change stream", () => {
    test("a node hears each discovery change it commits, before the call returns, with the row as written; nothing rolled back", async () => {
      const store = await s.fresh();
      const heard = listen(store);
      const ns = namespace("ns-own", at);
      const svc = service("srv-own", "ns-own", at);
      const inst = instance("srv-own", "i-1", "ns-own", at);
      await store.transaction(async (tx) => {
        await tx.namespaces.insert(ns);
        await tx.services.insert(svc, "srv-own");
        await tx.instances.put(inst);
        await tx.services.bumpRevision("srv-own", 5);
      });
      assert.deepEqual(defined(own(heard)), defined([
        { kind: "namespace", accountId: ACCOUNT, region: REGION, id: "ns-own", written: ns },
        { kind: "service", accountId: ACCOUNT, region: REGION, id: "srv-own", written: svc },
        { kind: "instance", serviceId: "srv-own", instanceId: "i-1", written: inst },
        { kind: "instancesRevision", serviceId: "srv-own", revision: 5 },
      ]));

      heard.length = 0;
      await store.transaction(async (tx) => {
        await tx.namespaces.update("ns-own", { description: "shop" });
        await tx.services.update("srv-own", { description: "front" });
        await tx.instances.setHealth("srv-own", "i-1", { status: "UNHEALTHY" }, at);
      });
      const [nsChange, svcChange, instChange, ...rest] = own(heard);
      assert.equal(nsChange?.kind === "namespace" && nsChange.written?.description, "shop", "the row as the update left it");
      assert.equal(svcChange?.kind === "service" && svcChange.written?.description, "front");
      assert.ok(instChange?.kind === "instance" && instChange.written?.healthStatus === "UNHEALTHY" && instChange.written.attributes.AWS_INSTANCE_IPV4 === "10.0.0.1");
      assert.deepEqual(rest, []);

      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.namespaces.insert(namespace("ns-rolled-back", at));
          await tx.instances.put(instance("srv-own", "i-rolled-back", "ns-own", at));
          throw new Error("no");
        }),
      );
      heard.length = 0;
      await store.transaction(async (tx) => {
        await tx.instances.delete("srv-own", "i-1");
        await tx.instances.delete("srv-own", "i-none");
        await tx.services.delete("srv-own");
        await tx.namespaces.delete("ns-own");
      });
      assert.deepEqual(own(heard), [
        { kind: "instance", serviceId: "srv-own", instanceId: "i-1", written: null },
        { kind: "service", accountId: ACCOUNT, region: REGION, id: "srv-own", written: null },
        { kind: "namespace", accountId: ACCOUNT, region: REGION, id: "ns-own", written: null },
      ], "a deleted row is written as null; deleting nothing says nothing");
      await sleep(200);
      assert.ok(!heard.some((c) => ("id" in c && c.id === "ns-rolled-back") || ("instanceId" in c && c.instanceId === "i-rolled-back")), "a rolled-back write is never heard");
    });

    test("a node hears the IAM changes it commits before the call returns: keys, principals by unique id, policies", async () => {
      const store = await s.fresh();
      const heard = listen(store);
      const expectHeard = async (change: StoreChange, write: Parameters<Store["transaction"]>[0]) => {
        heard.length = 0;
        await store.transaction(write);
        assert.ok(heard.some((c) => JSON.stringify(c) === JSON.stringify(change)), `${JSON.stringify(change)} in ${JSON.stringify(heard)}`);
      };
      await store.transaction((tx) => tx.tags.put("arn:aws:servicediscovery:us-east-1:123456789012:service/srv-1", [{ Key: "k", Value: "v" }]));
      await sleep(200);
      assert.deepEqual(heard, [], "tags of anything but an IAM user decide no permission");
      const userArn = `arn:aws:iam::${ACCOUNT}:user/ann`;
      await expectHeard({ kind: "principal", id: "AIDAANN" }, (tx) => tx.iam.createUser({ accountId: ACCOUNT, userName: "ann", userId: "AIDAANN", path: "/", arn: userArn, createDate: at }));
      await expectHeard({ kind: "accessKey", id: "AKIAANN" }, (tx) =>
        tx.accounts.createAccessKey({ accessKeyId: "AKIAANN", accountId: ACCOUNT, secretAccessKey: "v1:x", status: "Active", createdAt: at, userName: "ann" }),
      );
      await expectHeard({ kind: "accessKey", id: "AKIAANN" }, (tx) => tx.iam.updateAccessKeyStatus("AKIAANN", "Inactive"));
      await expectHeard({ kind: "policies" }, (tx) => tx.iam.putInlinePolicy(ACCOUNT, { kind: "user", name: "ann" }, { policyName: "p", document: "{}" }));
      await expectHeard({ kind: "policies" }, (tx) => tx.tags.put(userArn, [{ Key: "team", Value: "shop" }]));
      await expectHeard({ kind: "principal", id: "AROADEPLOY" }, (tx) =>
        tx.iam.createRole({ accountId: ACCOUNT, roleName: "deploy", roleId: "AROADEPLOY", path: "/", arn: `arn:aws:iam::${ACCOUNT}:role/deploy`, trustPolicy: "{}", maxSessionDuration: 3600, createDate: at }),
      );
      await expectHeard({ kind: "accessKey", id: "AKIAANN" }, (tx) => tx.iam.deleteAccessKey("AKIAANN"));
    });

    test("a listener that unsubscribed hears nothing more", async () => {
      const { stores } = await s.nodes(2);
      const heard: StoreChange[] = [];
      const unsubscribe = stores[1]!.watch({ changed: (c) => heard.push(c), resync: ignore });
      unsubscribe();
      await stores[0]!.transaction((tx) => tx.namespaces.insert(namespace("ns-unheard")));
      await stores[1]!.transaction((tx) => tx.namespaces.insert(namespace("ns-unheard-here")));
      await sleep(300);
      assert.deepEqual(heard, []);
    });

    test("another node hears each committed change to namespaces, services, instances and keys, and nothing rolled back", { skip: onlyShared }, async () => {
      const { writer, heard } = await writerAndListener();
      await writer.transaction(async (tx) => {
        await tx.namespaces.insert(namespace("ns-heard", at));
        await tx.services.insert(service("srv-heard", "ns-heard", at, { arn: "arn", name: "web" }), "web");
        await tx.instances.put(instance("srv-heard", "i:1", "ns-heard", at, { attributes: {} }));
      });
      await writer.transaction((tx) => tx.services.bumpRevision("srv-heard", 5));
      await writer.transaction((tx) => tx.instances.setHealth("srv-heard", "i:1", { status: "UNHEALTHY" }, at));
      await assert.rejects(
        writer.transaction(async (tx) => {
          await tx.namespaces.insert(namespace("ns-rolled-back", at));
          throw new Error("no");
        }),
      );
      await writer.transaction((tx) => tx.accounts.createAccessKey({ accessKeyId: "AKIAHEARD", accountId: ACCOUNT, secretAccessKey: "x", status: "Active", createdAt: at }));
      await until("every change", () => heard.length >= 5 || undefined);
      await sleep(200);
      assert.deepEqual(heard, [
        { kind: "namespace", accountId: ACCOUNT, region: REGION, id: "ns-heard" },
        { kind: "service", accountId: ACCOUNT, region: REGION, id: "srv-heard" },
        { kind: "instance", serviceId: "srv-heard", instanceId: "i:1" },
        // The revision bump alone says nothing; the health change does.
        { kind: "instance", serviceId: "srv-heard", instanceId: "i:1" },
        { kind: "accessKey", id: "AKIAHEARD" },
      ]);
    });

    test("a node hears its own writes once, with their rows, not again from the database; another node's it hears", { skip: onlyShared }, async () => {
      const { stores } = await s.nodes(2);
      const heard: StoreChange[] = [];
      let resyncs = 0;
      stores[0]!.watch({ changed: (c) => heard.push(c), resync: () => resyncs++ });
      await until("listening", () => resyncs > 0);
      await stores[0]!.transaction((tx) => tx.namespaces.insert(namespace("ns-own", at)));
      await stores[1]!.transaction((tx) => tx.namespaces.insert(namespace("ns-other", at)));
      await until("the other node's change", () => heard.some((c) => c.kind === "namespace" && c.id === "ns-other") || undefined);
      await sleep(200);
      assert.deepEqual(
        heard.filter((c) => c.kind === "namespace").map((c) => `${c.kind === "namespace" ? c.id : ""}:${"written" in c && c.written ? "row" : "keys"}`),
        ["ns-own:row", "ns-other:keys"],
      );
    });

    test("another node hears IAM changes: a user or role by its unique id, anything deciding permissions as `policies`", { skip: onlyShared }, async () => {
      const { writer, heard } = await writerAndListener();
      await writer.transaction((tx) => tx.iam.createUser({ accountId: ACCOUNT, userName: "bob", userId: "AIDABOB", path: "/", arn: `arn:aws:iam::${ACCOUNT}:user/bob`, createDate: at }));
      await until("the user", () => heard.some((c) => c.kind === "principal" && c.id === "AIDABOB"));
      await writer.transaction((tx) => tx.iam.createGroup({ accountId: ACCOUNT, groupName: "g", groupId: "AGPAG", path: "/", arn: `arn:aws:iam::${ACCOUNT}:group/g`, createDate: at }));
      await until("the group, as policies", () => heard.some((c) => c.kind === "policies"));
    });
  });
}
