import { after, test } from "node:test";
import assert from "node:assert/strict";
import type { Store } from "../../src/store/store.js";
import { openTestStore } from "../support/stores.js";

const ACCOUNT = "123456789012";
const stores: Store[] = [];
after(async () => {
  for (const s of stores) await s.close();
});

test("emptyAllButRoot keeps the account, its root key and service keys, and removes users with their keys", async () => {
  const store = await openTestStore();
  stores.push(store);
  const at = new Date();
  const key = (accessKeyId: string, extra: { userName?: string; servicePrincipal?: string } = {}) =>
    ({ accessKeyId, accountId: ACCOUNT, secretAccessKey: "v1:x", status: "Active", createdAt: at, ...extra }) as const;
  await store.transaction(async (tx) => {
    await tx.accounts.createAccount(ACCOUNT, at);
    await tx.accounts.createAccessKey(key("AKIAROOT000000000000"));
    await tx.accounts.createAccessKey(key("AKIASERVICE000000000", { servicePrincipal: "ecs.amazonaws.com" }));
    await tx.iam.createUser({ accountId: ACCOUNT, userName: "maria", userId: "AIDAMARIA00000000000", path: "/", arn: `arn:aws:iam::${ACCOUNT}:user/maria`, createDate: at });
    await tx.accounts.createAccessKey(key("AKIAMARIA00000000000", { userName: "maria" }));
  });
  await store.transaction((tx) => tx.accounts.emptyAllButRoot());
  await store.transaction(async (tx) => {
    assert.equal(await tx.accounts.anyAccount(), ACCOUNT);
    assert.ok(await tx.accounts.findAccessKey("AKIAROOT000000000000"));
    assert.ok(await tx.accounts.findAccessKey("AKIASERVICE000000000"));
    assert.equal(await tx.accounts.findAccessKey("AKIAMARIA00000000000"), undefined);
    assert.equal(await tx.iam.getUser(ACCOUNT, "maria"), undefined);
    assert.equal(await tx.accounts.rootAccessKeyId(ACCOUNT), "AKIAROOT000000000000", "the root key, not the service key");
  });
});
