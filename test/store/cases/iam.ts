import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Subject } from "../conformance.js";
import { ACCOUNT, OTHER_ACCOUNT, defined } from "../fixtures.js";

const at = new Date(Date.UTC(2026, 0, 10));
const later = new Date(Date.UTC(2026, 0, 11));
const arn = (kind: string, name: string, path = "/") => `arn:aws:iam::${ACCOUNT}:${kind}${path}${name}`;
const user = (userName: string, path = "/", id = `AIDA${userName.toUpperCase()}`) => ({ accountId: ACCOUNT, userName, userId: id, path, arn: arn("user", userName, path), createDate: at });
const group = (groupName: string, path = "/") => ({ accountId: ACCOUNT, groupName, groupId: `AGPA${groupName.toUpperCase()}`, path, arn: arn("group", groupName, path), createDate: at });
const role = (roleName: string, path = "/") => ({ accountId: ACCOUNT, roleName, roleId: `AROA${roleName.toUpperCase()}`, path, arn: arn("role", roleName, path), trustPolicy: '{"t":1}', maxSessionDuration: 3600, createDate: at });
const policy = (policyName: string, document = `{"p":"${policyName}"}`) => ({ accountId: ACCOUNT, policyName, policyId: `ANPA${policyName.toUpperCase()}`, path: "/", arn: arn("policy", policyName), document, defaultVersionId: "v1", createDate: at, updateDate: at });

/** IAM users, groups, roles, policies and STS sessions; names match case-insensitively. */
export function iamCases(s: Subject): void {
  describe("IAM", () => {
    test("users: create, get by name (any case) and by id, list by path prefix after a name, delete", async () => {
      const store = await s.fresh();
      await store.transaction(async (tx) => {
        await tx.iam.createUser({ ...user("Bob", "/eng/"), permissionsBoundary: arn("policy", "b") });
        await tx.iam.createUser(user("alice"));
        await tx.iam.createUser(user("carol", "/eng_x/"));
        await tx.iam.createUser({ ...user("dave"), accountId: OTHER_ACCOUNT });
      });
      await store.transaction(async (tx) => {
        assert.deepEqual(defined(await tx.iam.getUser(ACCOUNT, "BOB")), { ...user("Bob", "/eng/"), permissionsBoundary: arn("policy", "b") });
        assert.equal((await tx.iam.getUserById(ACCOUNT, "AIDABOB"))?.userName, "Bob");
        assert.equal(await tx.iam.getUserById(OTHER_ACCOUNT, "AIDABOB"), undefined);
        assert.deepEqual((await tx.iam.listUsers(ACCOUNT, "/", 10)).map((u) => u.userName), ["alice", "Bob", "carol"], "by name, any case");
        assert.deepEqual((await tx.iam.listUsers(ACCOUNT, "/eng", 10)).map((u) => u.userName), ["Bob", "carol"]);
        assert.deepEqual((await tx.iam.listUsers(ACCOUNT, "/eng/", 10)).map((u) => u.userName), ["Bob"], "a path prefix is literal: `_` is no wildcard");
        assert.deepEqual((await tx.iam.listUsers(ACCOUNT, "/", 1, "ALICE")).map((u) => u.userName), ["Bob"]);
        await tx.iam.deleteUser(ACCOUNT, "bob");
        assert.equal(await tx.iam.getUser(ACCOUNT, "Bob"), undefined);
      });
    });

    test("a renamed user keeps its keys, inline and attached policies and tags", async () => {
      const store = await s.fresh();
      await store.transaction(async (tx) => {
        await tx.accounts.createAccount(ACCOUNT, at);
        await tx.iam.createUser({ accountId: ACCOUNT, userName: "Old", userId: "AIDA1", path: "/", arn: `arn:aws:iam::${ACCOUNT}:user/Old`, createDate: at });
        await tx.accounts.createAccessKey({ accessKeyId: "AKIA1", accountId: ACCOUNT, secretAccessKey: "v1:x", status: "Active", createdAt: at, userName: "Old" });
        await tx.iam.putInlinePolicy(ACCOUNT, { kind: "user", name: "old" }, { policyName: "p", document: "{}" });
        await tx.iam.createPolicy({ accountId: ACCOUNT, policyName: "m", policyId: "ANPA1", path: "/", arn: `arn:aws:iam::${ACCOUNT}:policy/m`, document: "{}", defaultVersionId: "v1", createDate: at, updateDate: at });
        await tx.iam.attach(ACCOUNT, { kind: "user", name: "OLD" }, `arn:aws:iam::${ACCOUNT}:policy/m`, at);
        await tx.tags.put(`arn:aws:iam::${ACCOUNT}:user/Old`, [{ Key: "k", Value: "v" }]);
      });
      await store.transaction(async (tx) => {
        const found = (await tx.iam.getUser(ACCOUNT, "old"))!;
        await tx.iam.updateUser(ACCOUNT, found.userName, { ...found, userName: "New", path: "/x/", arn: `arn:aws:iam::${ACCOUNT}:user/x/New` });
      });
      await store.transaction(async (tx) => {
        assert.equal(await tx.iam.getUser(ACCOUNT, "Old"), undefined);
        assert.equal((await tx.iam.getUser(ACCOUNT, "new"))?.arn, `arn:aws:iam::${ACCOUNT}:user/x/New`);
        assert.deepEqual((await tx.iam.listAccessKeys(ACCOUNT, "New")).map((k) => k.accessKeyId), ["AKIA1"]);
        assert.deepEqual(await tx.iam.identityPolicies(ACCOUNT, { kind: "user", name: "new" }), ["{}", "{}"]);
        assert.equal(await tx.iam.attachmentCount(`arn:aws:iam::${ACCOUNT}:policy/m`), 1);
        assert.deepEqual(await tx.tags.list(`arn:aws:iam::${ACCOUNT}:user/x/New`), [{ Key: "k", Value: "v" }]);
      });
    });

    test("a user's access keys: listed oldest first, status changed, deleted", async () => {
      const store = await s.fresh();
      const key = (id: string, createdAt: Date) => ({ accessKeyId: id, accountId: ACCOUNT, secretAccessKey: "v1:x", status: "Active" as const, createdAt, userName: "u" });
      await store.transaction(async (tx) => {
        await tx.iam.createUser(user("u"));
        await tx.accounts.createAccessKey(key("AKIAB", later));
        await tx.accounts.createAccessKey(key("AKIAA", at));
      });
      await store.transaction(async (tx) => {
        assert.deepEqual((await tx.iam.listAccessKeys(ACCOUNT, "u")).map((k) => k.accessKeyId), ["AKIAA", "AKIAB"]);
        await tx.iam.updateAccessKeyStatus("AKIAA", "Inactive");
        await tx.iam.deleteAccessKey("AKIAB");
        assert.deepEqual(
          (await tx.iam.listAccessKeys(ACCOUNT, "u")).map((k) => [k.accessKeyId, k.status]),
          [["AKIAA", "Inactive"]],
        );
        assert.equal((await tx.accounts.findAccessKey("AKIAA"))?.status, "Inactive");
      });
    });

    test("groups: create, get, list, members both ways, remove, delete", async () => {
      const store = await s.fresh();
      await store.transaction(async (tx) => {
        for (const name of ["zed", "Amy"]) await tx.iam.createUser(user(name));
        await tx.iam.createGroup(group("Ops", "/ops/"));
        await tx.iam.createGroup(group("dev"));
        await tx.iam.addUserToGroup(ACCOUNT, "ops", "ZED");
        await tx.iam.addUserToGroup(ACCOUNT, "OPS", "amy");
        await tx.iam.addUserToGroup(ACCOUNT, "ops", "amy");
        await tx.iam.addUserToGroup(ACCOUNT, "dev", "amy");
      });
      await store.transaction(async (tx) => {
        assert.deepEqual(defined(await tx.iam.getGroup(ACCOUNT, "OPS")), group("Ops", "/ops/"));
        assert.deepEqual((await tx.iam.listGroups(ACCOUNT, "/", 10)).map((g) => g.groupName), ["dev", "Ops"]);
        assert.deepEqual((await tx.iam.listGroups(ACCOUNT, "/ops/", 10)).map((g) => g.groupName), ["Ops"]);
        assert.deepEqual((await tx.iam.listGroups(ACCOUNT, "/", 10, "dev")).map((g) => g.groupName), ["Ops"]);
        assert.deepEqual((await tx.iam.groupMembers(ACCOUNT, "ops")).map((u) => u.userName), ["Amy", "zed"], "once each, by name");
        assert.deepEqual((await tx.iam.groupsOfUser(ACCOUNT, "AMY")).map((g) => g.groupName), ["dev", "Ops"]);
        await tx.iam.removeUserFromGroup(ACCOUNT, "Ops", "Amy");
        assert.deepEqual((await tx.iam.groupMembers(ACCOUNT, "ops")).map((u) => u.userName), ["zed"]);
        await tx.iam.deleteGroup(ACCOUNT, "DEV");
        assert.equal(await tx.iam.getGroup(ACCOUNT, "dev"), undefined);
      });
    });

    test("roles: create, get by name and id, list, update, new trust policy, delete", async () => {
      const store = await s.fresh();
      await store.transaction(async (tx) => {
        await tx.iam.createRole({ ...role("Deploy", "/ci/"), description: "d", permissionsBoundary: arn("policy", "b") });
        await tx.iam.createRole(role("app"));
      });
      await store.transaction(async (tx) => {
        assert.deepEqual(defined(await tx.iam.getRole(ACCOUNT, "deploy")), { ...role("Deploy", "/ci/"), description: "d", permissionsBoundary: arn("policy", "b") });
        assert.equal((await tx.iam.getRoleById(ACCOUNT, "AROAAPP"))?.roleName, "app");
        assert.deepEqual((await tx.iam.listRoles(ACCOUNT, "/", 10)).map((r) => r.roleName), ["app", "Deploy"]);
        assert.deepEqual((await tx.iam.listRoles(ACCOUNT, "/ci/", 10)).map((r) => r.roleName), ["Deploy"]);
        assert.deepEqual((await tx.iam.listRoles(ACCOUNT, "/", 1, "app")).map((r) => r.roleName), ["Deploy"]);
        await tx.iam.updateRole(ACCOUNT, "DEPLOY", { maxSessionDuration: 7200 });
        await tx.iam.updateTrustPolicy(ACCOUNT, "deploy", '{"t":2}');
        const updated = (await tx.iam.getRole(ACCOUNT, "Deploy"))!;
        assert.deepEqual([updated.maxSessionDuration, updated.description, updated.trustPolicy], [7200, "d", '{"t":2}']);
        await tx.iam.updateRole(ACCOUNT, "Deploy", { description: "" });
        assert.equal((await tx.iam.getRole(ACCOUNT, "Deploy"))!.maxSessionDuration, 7200);
        await tx.iam.deleteRole(ACCOUNT, "APP");
        assert.equal(await tx.iam.getRole(ACCOUNT, "app"), undefined);
      });
    });

    test("inline policies per owner: put adds or replaces, get, list by name, delete", async () => {
      const store = await s.fresh();
      const owner = { kind: "role", name: "R" } as const;
      await store.transaction(async (tx) => {
        await tx.iam.putInlinePolicy(ACCOUNT, owner, { policyName: "b", document: "{1}" });
        await tx.iam.putInlinePolicy(ACCOUNT, owner, { policyName: "a", document: "{2}" });
        await tx.iam.putInlinePolicy(ACCOUNT, { kind: "role", name: "r" }, { policyName: "b", document: "{3}" });
        await tx.iam.putInlinePolicy(ACCOUNT, { kind: "user", name: "R" }, { policyName: "u", document: "{4}" });
      });
      await store.transaction(async (tx) => {
        assert.deepEqual(await tx.iam.getInlinePolicy(ACCOUNT, owner, "b"), { policyName: "b", document: "{3}" }, "the owner's name matches in any case");
        assert.deepEqual(await tx.iam.listInlinePolicies(ACCOUNT, owner), [{ policyName: "a", document: "{2}" }, { policyName: "b", document: "{3}" }]);
        assert.equal(await tx.iam.getInlinePolicy(ACCOUNT, owner, "u"), undefined, "per kind of owner");
        await tx.iam.deleteInlinePolicy(ACCOUNT, owner, "a");
        assert.deepEqual((await tx.iam.listInlinePolicies(ACCOUNT, owner)).map((p) => p.policyName), ["b"]);
      });
    });

    test("managed policies: versions, default version, attachments, boundaries, and every identity policy of a user", async () => {
      const store = await s.fresh();
      await store.transaction(async (tx) => {
        await tx.iam.createPolicy({ ...policy("Zeta"), description: "z" });
        await tx.iam.createPolicy(policy("alpha"));
        await tx.iam.createPolicy(policy("bound"));
        await tx.iam.createUser(user("u"));
        await tx.iam.createGroup(group("g"));
        await tx.iam.addUserToGroup(ACCOUNT, "g", "u");
        await tx.iam.putInlinePolicy(ACCOUNT, { kind: "user", name: "u" }, { policyName: "in", document: "{user-inline}" });
        await tx.iam.putInlinePolicy(ACCOUNT, { kind: "group", name: "g" }, { policyName: "in", document: "{group-inline}" });
        await tx.iam.attach(ACCOUNT, { kind: "user", name: "u" }, arn("policy", "alpha"), at);
        await tx.iam.attach(ACCOUNT, { kind: "user", name: "U" }, arn("policy", "alpha"), at);
        await tx.iam.attach(ACCOUNT, { kind: "user", name: "u" }, arn("policy", "Zeta"), later);
        await tx.iam.attach(ACCOUNT, { kind: "group", name: "g" }, arn("policy", "Zeta"), at);
      });
      await store.transaction(async (tx) => {
        assert.deepEqual(defined(await tx.iam.getPolicy(arn("policy", "Zeta"))), { ...policy("Zeta"), description: "z" });
        assert.equal((await tx.iam.getPolicyByName(ACCOUNT, "ZETA"))?.policyName, "Zeta");
        assert.deepEqual((await tx.iam.listPolicies(ACCOUNT)).map((p) => p.policyName), ["alpha", "bound", "Zeta"]);
        assert.deepEqual((await tx.iam.listPolicies(ACCOUNT, "bound")).map((p) => p.policyName), ["Zeta"]);
        assert.deepEqual(await tx.iam.listAttached(ACCOUNT, { kind: "user", name: "u" }), [
          { policyName: "alpha", policyArn: arn("policy", "alpha") },
          { policyName: "Zeta", policyArn: arn("policy", "Zeta") },
        ]);
        assert.equal(await tx.iam.attachmentCount(arn("policy", "Zeta")), 2);
        // Inline documents, then attached ones (in no set order), then the same for each of the user's groups.
        const documents = await tx.iam.identityPolicies(ACCOUNT, { kind: "user", name: "u" });
        assert.deepEqual([documents[0], [...documents.slice(1, 3)].sort(), ...documents.slice(3)], ["{user-inline}", ['{"p":"Zeta"}', '{"p":"alpha"}'], "{group-inline}", '{"p":"Zeta"}']);
        assert.deepEqual(await tx.iam.identityPolicies(ACCOUNT, { kind: "group", name: "G" }), ["{group-inline}", '{"p":"Zeta"}']);
      });
      await store.transaction(async (tx) => {
        assert.equal(await tx.iam.addPolicyVersion(arn("policy", "alpha"), "{v2}", false, later), "v2");
        assert.equal((await tx.iam.getPolicy(arn("policy", "alpha")))!.document, '{"p":"alpha"}', "not the default yet");
        assert.equal(await tx.iam.addPolicyVersion(arn("policy", "alpha"), "{v3}", true, later), "v3");
        const p = (await tx.iam.getPolicy(arn("policy", "alpha")))!;
        assert.deepEqual([p.defaultVersionId, p.document, p.updateDate.getTime()], ["v3", "{v3}", later.getTime()]);
        await tx.iam.setDefaultPolicyVersion(arn("policy", "alpha"), "v2", later);
        assert.equal((await tx.iam.getPolicy(arn("policy", "alpha")))!.document, "{v2}");
        await tx.iam.deletePolicyVersion(arn("policy", "alpha"), "v3");
        assert.deepEqual(
          (await tx.iam.listPolicyVersions(arn("policy", "alpha"))).map((v) => [v.versionId, v.document]),
          [["v1", '{"p":"alpha"}'], ["v2", "{v2}"]],
        );
        assert.equal(await tx.iam.addPolicyVersion(arn("policy", "alpha"), "{v4}", false, later), "v4", "numbers are never reused");
        await tx.iam.detach(ACCOUNT, { kind: "user", name: "U" }, arn("policy", "alpha"));
        assert.deepEqual((await tx.iam.listAttached(ACCOUNT, { kind: "user", name: "u" })).map((a) => a.policyName), ["Zeta"]);
        await tx.iam.deletePolicy(arn("policy", "bound"));
        assert.equal(await tx.iam.getPolicy(arn("policy", "bound")), undefined);
        assert.deepEqual(await tx.iam.listPolicyVersions(arn("policy", "bound")), []);
      });
      await store.transaction(async (tx) => {
        await tx.iam.createPolicy(policy("limit", "{limit}"));
        await tx.iam.createRole(role("r"));
        await tx.iam.setPermissionsBoundary(ACCOUNT, { kind: "user", name: "U" }, arn("policy", "limit"));
        await tx.iam.setPermissionsBoundary(ACCOUNT, { kind: "role", name: "R" }, arn("policy", "limit"));
        assert.equal((await tx.iam.getUser(ACCOUNT, "u"))!.permissionsBoundary, arn("policy", "limit"));
        assert.equal(await tx.iam.boundaryDocument(ACCOUNT, { kind: "role", name: "r" }), "{limit}");
        assert.equal(await tx.iam.boundaryUsageCount(arn("policy", "limit")), 2);
        await tx.iam.setPermissionsBoundary(ACCOUNT, { kind: "role", name: "r" }, undefined);
        assert.equal((await tx.iam.getRole(ACCOUNT, "r"))!.permissionsBoundary, undefined);
        assert.equal(await tx.iam.boundaryDocument(ACCOUNT, { kind: "role", name: "r" }), undefined);
        assert.equal(await tx.iam.boundaryUsageCount(arn("policy", "limit")), 1);
      });
    });

    test("STS sessions: found by key id; expired ones purged in bounded batches", async () => {
      const store = await s.fresh();
      const now = Date.UTC(2026, 0, 10);
      const session = (accessKeyId: string, expiration: number) => ({ accessKeyId, accountId: ACCOUNT, secretAccessKey: "v1:x", sessionToken: "v1:y", principal: "{}", expiration: new Date(expiration), createdAt: new Date(expiration - 86_400_000) });
      await store.transaction(async (tx) => {
        for (let i = 0; i < 5; i++) await tx.iam.createSession(session(`ASIAOLD${i}`, now - 3 * 86_400_000));
        await tx.iam.createSession(session("ASIALIVE", now + 1000));
      });
      assert.deepEqual(await store.transaction((tx) => tx.iam.findSession("ASIALIVE")), session("ASIALIVE", now + 1000));
      await store.transaction((tx) => tx.iam.deleteSessionsExpiredBefore(new Date(now - 86_400_000), 3));
      const left = await store.transaction(async (tx) => {
        const ids: string[] = [];
        for (const id of ["ASIAOLD0", "ASIAOLD1", "ASIAOLD2", "ASIAOLD3", "ASIAOLD4", "ASIALIVE"]) if (await tx.iam.findSession(id)) ids.push(id);
        return ids;
      });
      assert.equal(left.length, 3, "three of five expired sessions went, the live one stayed");
      assert.ok(left.includes("ASIALIVE"));
    });
  });
}
