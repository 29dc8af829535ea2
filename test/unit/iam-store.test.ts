import { after, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openSqliteStore } from "../../src/store/sqlite/open.js";
import type { Store } from "../../src/store/store.js";

const ACCOUNT = "123456789012";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cairn-iam-"));
const stores: Store[] = [];
after(async () => {
  for (const s of stores) await s.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function store(name: string): Promise<Store> {
  const s = await openSqliteStore(path.join(dir, name));
  stores.push(s);
  return s;
}

test("expired STS sessions are purged in bounded batches", async () => {
  const s = await store("sessions.db");
  const now = Date.UTC(2026, 0, 10);
  await s.transaction(async (tx) => {
    for (let i = 0; i < 5; i++) {
      await tx.iam.createSession({
        accessKeyId: `ASIAOLD${i}`,
        accountId: ACCOUNT,
        secretAccessKey: "v1:x",
        sessionToken: "v1:y",
        principal: "{}",
        expiration: new Date(now - 3 * 86_400_000),
        createdAt: new Date(now - 4 * 86_400_000),
      });
    }
    await tx.iam.createSession({ accessKeyId: "ASIALIVE", accountId: ACCOUNT, secretAccessKey: "v1:x", sessionToken: "v1:y", principal: "{}", expiration: new Date(now + 1000), createdAt: new Date(now) });
  });
  await s.transaction((tx) => tx.iam.deleteSessionsExpiredBefore(new Date(now - 86_400_000), 3));
  const left = await s.transaction(async (tx) => {
    const ids: string[] = [];
    for (const id of ["ASIAOLD0", "ASIAOLD1", "ASIAOLD2", "ASIAOLD3", "ASIAOLD4", "ASIALIVE"]) if (await tx.iam.findSession(id)) ids.push(id);
    return ids;
  });
  assert.equal(left.length, 3, "three of five expired sessions went, the live one stayed");
  assert.ok(left.includes("ASIALIVE"));
});

test("a renamed user keeps its keys, inline and attached policies and tags", async () => {
  const s = await store("users.db");
  const at = new Date();
  await s.transaction(async (tx) => {
    await tx.accounts.createAccount(ACCOUNT, at);
    await tx.iam.createUser({ accountId: ACCOUNT, userName: "Old", userId: "AIDA1", path: "/", arn: `arn:aws:iam::${ACCOUNT}:user/Old`, createDate: at });
    await tx.accounts.createAccessKey({ accessKeyId: "AKIA1", accountId: ACCOUNT, secretAccessKey: "v1:x", status: "Active", createdAt: at, userName: "Old" });
    await tx.iam.putInlinePolicy(ACCOUNT, { kind: "user", name: "old" }, { policyName: "p", document: "{}" });
    await tx.iam.createPolicy({ accountId: ACCOUNT, policyName: "m", policyId: "ANPA1", path: "/", arn: `arn:aws:iam::${ACCOUNT}:policy/m`, document: "{}", defaultVersionId: "v1", createDate: at, updateDate: at });
    await tx.iam.attach(ACCOUNT, { kind: "user", name: "OLD" }, `arn:aws:iam::${ACCOUNT}:policy/m`, at);
    await tx.tags.put(`arn:aws:iam::${ACCOUNT}:user/Old`, [{ Key: "k", Value: "v" }]);
  });
  await s.transaction(async (tx) => {
    const user = (await tx.iam.getUser(ACCOUNT, "old"))!;
    await tx.iam.updateUser(ACCOUNT, user.userName, { ...user, userName: "New", path: "/x/", arn: `arn:aws:iam::${ACCOUNT}:user/x/New` });
  });
  await s.transaction(async (tx) => {
    assert.equal(await tx.iam.getUser(ACCOUNT, "Old"), undefined);
    assert.equal((await tx.iam.getUser(ACCOUNT, "new"))?.arn, `arn:aws:iam::${ACCOUNT}:user/x/New`);
    assert.deepEqual((await tx.iam.listAccessKeys(ACCOUNT, "New")).map((k) => k.accessKeyId), ["AKIA1"]);
    assert.deepEqual(await tx.iam.identityPolicies(ACCOUNT, { kind: "user", name: "new" }), ["{}", "{}"]);
    assert.equal(await tx.iam.attachmentCount(`arn:aws:iam::${ACCOUNT}:policy/m`), 1);
    assert.deepEqual(await tx.tags.list(`arn:aws:iam::${ACCOUNT}:user/x/New`), [{ Key: "k", Value: "v" }]);
  });
});
