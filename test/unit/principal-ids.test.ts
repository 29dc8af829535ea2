import { after, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { policyOwnerOf, type Principal } from "../../src/auth/principal.js";
import { SecretBox } from "../../src/auth/secret-box.js";
import { StoreCredentialResolver } from "../../src/auth/store-credentials.js";
import { parseEntityArn, roleByArn } from "../../src/services/iam/arns.js";
import { rewriteTrustPrincipal } from "../../src/services/iam/trust-principals.js";
import type { KyselyStore } from "../../src/store/kysely-store.js";
import { TEST_STORE } from "../support/postgres.js";
import { openTestStore } from "../support/stores.js";

const ACCOUNT = "123456789012";
const stores: KyselyStore[] = [];
after(async () => {
  for (const s of stores) await s.close();
});

test("entity ARNs: account, kind and last path segment; wildcards and other kinds are not entity ARNs", () => {
  assert.deepEqual(parseEntityArn(`arn:aws:iam::${ACCOUNT}:role/dev/x/Admin`), { accountId: ACCOUNT, kind: "role", name: "Admin" });
  assert.deepEqual(parseEntityArn(`arn:aws:iam::${ACCOUNT}:user/bob`), { accountId: ACCOUNT, kind: "user", name: "bob" });
  for (const arn of [`arn:aws:iam::${ACCOUNT}:role/dev/*`, `arn:aws:iam::${ACCOUNT}:user/b?b`, `arn:aws:iam::${ACCOUNT}:group/g`, `arn:aws:iam::${ACCOUNT}:root`, "arn:aws:iam::12:role/x", `arn:aws:iam::${ACCOUNT}:role/`]) {
    assert.equal(parseEntityArn(arn), undefined, arn);
  }
});

test("trust policy rewrites replace exact AWS principals only, in Principal and NotPrincipal, strings and lists", () => {
  const bob = `arn:aws:iam::${ACCOUNT}:user/bob`;
  const doc = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Principal: { AWS: [bob, `${bob}2`, `arn:aws:iam::${ACCOUNT}:user/BOB`], Service: bob }, Action: "sts:AssumeRole" },
      { Effect: "Deny", NotPrincipal: { AWS: bob }, Action: "sts:AssumeRole" },
      { Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" },
    ],
  });
  const rewritten = JSON.parse(rewriteTrustPrincipal(doc, bob, "AIDAEXAMPLE")!) as { Statement: { Principal?: unknown; NotPrincipal?: unknown }[] };
  assert.deepEqual(rewritten.Statement[0]!.Principal, { AWS: ["AIDAEXAMPLE", `${bob}2`, `arn:aws:iam::${ACCOUNT}:user/BOB`], Service: bob });
  assert.deepEqual(rewritten.Statement[1]!.NotPrincipal, { AWS: "AIDAEXAMPLE" });
  assert.equal(rewritten.Statement[2]!.Principal, "*");
  assert.equal(rewriteTrustPrincipal(doc, `arn:aws:iam::${ACCOUNT}:user/carol`, "AIDAX"), undefined, "a document naming no such principal is left alone");
});

test("the policy owner of each kind of caller is a unique id", () => {
  const base = { accountId: ACCOUNT, accessKeyId: "AKIAX", arn: "arn" };
  const session = { origin: "AssumeRole" as const, creationDate: "2026-01-01T00:00:00Z", mfaAuthenticated: false };
  const cases: [Principal, ReturnType<typeof policyOwnerOf>][] = [
    [{ ...base, type: "Root", principalId: ACCOUNT }, undefined],
    [{ ...base, type: "AWSService", principalId: "ecs.amazonaws.com", service: "ecs.amazonaws.com" }, undefined],
    [{ ...base, type: "IAMUser", principalId: "AIDA1", userName: "u" }, { kind: "user", id: "AIDA1" }],
    [
      { ...base, type: "AssumedRole", principalId: "AROA1:s", roleName: "r", roleArn: "a", sessionName: "s", session: { ...session, issuer: { type: "Role", principalId: "AROA1", arn: "a", accountId: ACCOUNT } } },
      { kind: "role", id: "AROA1" },
    ],
    [
      { ...base, type: "FederatedUser", principalId: "x", federatedName: "f", session: { ...session, origin: "GetFederationToken", issuer: { type: "IAMUser", principalId: "AIDA2", arn: "a", accountId: ACCOUNT } } },
      { kind: "user", id: "AIDA2" },
    ],
    [{ ...base, type: "FederatedUser", principalId: "x", federatedName: "f", session: { ...session, origin: "GetFederationToken", issuer: { type: "Root", principalId: ACCOUNT, arn: "a", accountId: ACCOUNT } } }, undefined],
  ];
  for (const [p, owner] of cases) assert.deepEqual(policyOwnerOf(p), owner, p.type);
});

test(`users and roles are found by unique id and by exact ARN only; a deleted role's sessions are not recognised (${TEST_STORE})`, async () => {
  const store = await openTestStore();
  stores.push(store);
  const box = SecretBox.open(fs.mkdtempSync(path.join(os.tmpdir(), "cairn-box-")));
  const at = new Date();
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/ops/Admin`;
  const principal = {
    type: "AssumedRole",
    accountId: ACCOUNT,
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/s`,
    principalId: "AROAOLD:s",
    roleName: "Admin",
    roleArn,
    sessionName: "s",
    session: { origin: "AssumeRole", creationDate: at.toISOString(), mfaAuthenticated: false, issuer: { type: "Role", principalId: "AROAOLD", arn: roleArn, accountId: ACCOUNT } },
  };
  await store.transaction(async (tx) => {
    await tx.accounts.createAccount(ACCOUNT, at);
    await tx.iam.createUser({ accountId: ACCOUNT, userName: "bob", userId: "AIDABOB", path: "/", arn: `arn:aws:iam::${ACCOUNT}:user/bob`, createDate: at });
    await tx.iam.createRole({ accountId: ACCOUNT, roleName: "Admin", roleId: "AROAOLD", path: "/ops/", arn: roleArn, trustPolicy: "{}", maxSessionDuration: 3600, createDate: at });
    const expiration = new Date(at.getTime() + 3_600_000);
    await tx.iam.createSession({ accessKeyId: "ASIAOLDROLE", accountId: ACCOUNT, secretAccessKey: box.seal("secret"), sessionToken: box.seal("token"), principal: JSON.stringify(principal), expiration, createdAt: at });
  });
  const found = await store.transaction(async (tx) => ({
    user: (await tx.iam.getUserById(ACCOUNT, "AIDABOB"))?.userName,
    role: (await tx.iam.getRoleById(ACCOUNT, "AROAOLD"))?.roleName,
    otherAccount: await tx.iam.getUserById("210987654321", "AIDABOB"),
    exact: (await roleByArn(tx.iam, ACCOUNT, roleArn))?.roleId,
    wrongPath: await roleByArn(tx.iam, ACCOUNT, `arn:aws:iam::${ACCOUNT}:role/Admin`),
    wrongCase: await roleByArn(tx.iam, ACCOUNT, `arn:aws:iam::${ACCOUNT}:role/ops/ADMIN`),
    wrongAccount: await roleByArn(tx.iam, "210987654321", `arn:aws:iam::210987654321:role/ops/Admin`),
  }));
  assert.deepEqual(found, { user: "bob", role: "Admin", otherAccount: undefined, exact: "AROAOLD", wrongPath: undefined, wrongCase: undefined, wrongAccount: undefined });

  const resolver = new StoreCredentialResolver(store, box, 60_000);
  assert.equal((await resolver.resolve("ASIAOLDROLE"))?.principal.arn, principal.arn);
  await store.transaction(async (tx) => {
    await tx.iam.deleteRole(ACCOUNT, "Admin");
    await tx.iam.createRole({ accountId: ACCOUNT, roleName: "Admin", roleId: "AROANEW", path: "/ops/", arn: roleArn, trustPolicy: "{}", maxSessionDuration: 3600, createDate: at });
  });
  // The store's change stream drops the cached session at once (the cache age here is a minute): nobody tells it.
  assert.equal(await resolver.resolve("ASIAOLDROLE"), undefined, "the namesake does not revive the session");
  resolver.close();
});
