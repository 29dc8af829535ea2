import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import type { KyselyStore } from "../../src/store/kysely-store.js";
import type { InstanceRecord, NamespaceRecord, ServiceRecord } from "../../src/store/records.js";
import { DiscoveryView } from "../../src/view/discovery-view.js";
import { followStore } from "../../src/view/follow-store.js";
import { TEST_STORE } from "../support/postgres.js";
import { openTestStore, testStoreUrl } from "../support/stores.js";

const skip = TEST_STORE === "postgres" ? false : "another node's changes exist only on PostgreSQL (runs in the PostgreSQL pass)";
const at = new Date(1_700_000_000_000);
const ACCOUNT = "123456789012";

const ns: NamespaceRecord = { id: "ns-f", arn: "arn:ns", accountId: ACCOUNT, region: "us-east-1", name: "shop", type: "HTTP", httpName: "shop", createDate: at };
const svc: ServiceRecord = {
  id: "srv-f",
  arn: "arn:srv",
  accountId: ACCOUNT,
  region: "us-east-1",
  namespaceId: "ns-f",
  name: "web",
  type: "HTTP",
  healthCheckCustomConfig: { FailureThreshold: 1 },
  createdByAccount: ACCOUNT,
  createDate: at,
  instancesRevision: 1,
};
const instance = (id: string, zone: string): InstanceRecord => ({
  serviceId: "srv-f",
  id,
  namespaceId: "ns-f",
  attributes: { zone },
  createdByAccount: ACCOUNT,
  healthStatus: "HEALTHY",
  createDate: at,
  updateDate: at,
});

async function eventually(what: string, probe: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("a node's discovery view follows changes written through another node", { skip }, () => {
  const stores: KyselyStore[] = [];
  after(async () => {
    for (const s of stores) await s.close();
  });

  test("creations, health written straight through the instances repository, deletions, and a full reload after a lost connection", async () => {
    const url = await testStoreUrl();
    const writer = await openTestStore(url);
    const follower = await openTestStore(url);
    stores.push(writer, follower);
    const view = await DiscoveryView.load(follower);
    const stop = followStore(follower, view, () => undefined);
    const instances = () => view.lookup(ACCOUNT, "us-east-1", "shop", "web");

    await writer.transaction(async (tx) => {
      await tx.namespaces.insert(ns);
      await tx.services.insert(svc, "web");
      await tx.instances.put(instance("a", "1a"));
    });
    await eventually("the namespace, service and instance", () => {
      const found = instances();
      return found.found && found.service.instances.get("a")?.attributes.zone === "1a";
    });

    // What a health checker does: one repository call, no handler.
    await writer.transaction((tx) => tx.instances.setHealth("srv-f", "a", { status: "UNHEALTHY" }, at));
    await eventually("the health change", () => {
      const found = instances();
      return found.found && found.service.instances.get("a")?.health === "UNHEALTHY";
    });

    await writer.transaction(async (tx) => {
      await tx.instances.put(instance("b", "1b"));
      await tx.instances.delete("srv-f", "a");
    });
    await eventually("b in, a out", () => {
      const found = instances();
      return found.found && found.service.instances.has("b") && !found.service.instances.has("a");
    });

    // Cut the follower's listening connection, and change things while it reconnects: the reload finds them.
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query("select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'cairn changes' and datname = current_database()");
    await admin.end();
    await writer.transaction((tx) => tx.instances.put(instance("c", "1c")));
    await eventually("c after the reconnection", () => {
      const found = instances();
      return found.found && found.service.instances.has("c");
    });

    await writer.transaction(async (tx) => {
      for (const i of ["b", "c"]) await tx.instances.delete("srv-f", i);
      await tx.services.delete("srv-f");
      await tx.namespaces.delete("ns-f");
    });
    await eventually("everything gone", () => view.namespace("ns-f") === undefined && view.service("srv-f") === undefined);
    assert.deepEqual(instances(), { found: false });
    stop();
  });
});
