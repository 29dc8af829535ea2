import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Subject } from "../conformance.js";
import { ACCOUNT } from "../fixtures.js";

export function accountCases(s: Subject): void {
  describe("accounts and access keys", () => {
    const at = new Date(Date.UTC(2026, 0, 10));
    const key = (accessKeyId: string, extra: { userName?: string; servicePrincipal?: string } = {}) =>
      ({ accessKeyId, accountId: ACCOUNT, secretAccessKey: "v1:x", status: "Active", createdAt: at, ...extra }) as const;

    test("an account and its keys read back as written; an empty store has no account", async () => {
      const store = await s.fresh();
      assert.equal(await store.transaction((tx) => tx.accounts.anyAccount()), undefined);
      await store.transaction(async (tx) => {
        await tx.accounts.createAccount(ACCOUNT, at);
        await tx.accounts.createAccessKey(key("AKIAROOT000000000000"));
        await tx.accounts.createAccessKey(key("AKIASVC0000000000000", { servicePrincipal: "ecs.amazonaws.com" }));
      });
      await store.transaction(async (tx) => {
        assert.equal(await tx.accounts.anyAccount(), ACCOUNT);
        assert.deepEqual(await tx.accounts.findAccessKey("AKIAROOT000000000000"), key("AKIAROOT000000000000"));
        assert.deepEqual(await tx.accounts.findAccessKey("AKIASVC0000000000000"), key("AKIASVC0000000000000", { servicePrincipal: "ecs.amazonaws.com" }));
        assert.equal(await tx.accounts.findAccessKey("AKIANONE000000000000"), undefined);
        assert.equal(await tx.accounts.rootAccessKeyId("999999999999"), undefined);
      });
    });

    test("emptyAllButRoot keeps the account, its root key and service keys, and removes users with their keys", async () => {
      const store = await s.fresh();
      await store.transaction(async (tx) => {
        await tx.accounts.createAccount(ACCOUNT, at);
        await tx.accounts.createAccessKey(key("AKIAROOT000000000000"));
        await tx.accounts.createAccessKey(key("AKIASERVICE000000000", { servicePrincipal: "ecs.amazonaws.com" }));
        await tx.iam.createUser({ accountId: ACCOUNT, userName: "maria", userId: "AIDAMARIA00000000000", path: "/", arn: `arn:aws:iam::${ACCOUNT}:user/maria`, createDate: at });
        await tx.accounts.createAccessKey(key("AKIAMARIA00000000000", { userName: "maria" }));
        await tx.namespaces.insert({ id: "ns-reset", arn: "arn:ns", accountId: ACCOUNT, region: "us-east-1", name: "n", type: "HTTP", httpName: "n", createDate: at });
        await tx.tags.put("arn:ns", [{ Key: "k", Value: "v" }]);
      });
      await store.transaction((tx) => tx.accounts.emptyAllButRoot());
      await store.transaction(async (tx) => {
        assert.equal(await tx.accounts.anyAccount(), ACCOUNT);
        assert.ok(await tx.accounts.findAccessKey("AKIAROOT000000000000"));
        assert.ok(await tx.accounts.findAccessKey("AKIASERVICE000000000"));
        assert.equal(await tx.accounts.findAccessKey("AKIAMARIA00000000000"), undefined);
        assert.equal(await tx.iam.getUser(ACCOUNT, "maria"), undefined);
        assert.equal(await tx.accounts.rootAccessKeyId(ACCOUNT), "AKIAROOT000000000000", "the root key, not the service key");
        assert.equal(await tx.namespaces.get(ACCOUNT, "us-east-1", "ns-reset"), undefined);
        assert.deepEqual(await tx.tags.list("arn:ns"), []);
      });
    });
  });
}
