import type { Kysely, Selectable } from "kysely";
import type { Database } from "../schema.js";
import type { IamRepo } from "../store.js";
import type { IamGroupRecord, IamRoleRecord, IamUserRecord, ManagedPolicyRecord, PolicyOwner } from "../iam-records.js";
import { accessKeyFromRow } from "./accounts.js";
import type { NoteChange } from "../changes.js";

const key = (name: string): string => name.toLowerCase();

function userFromRow(r: Selectable<Database["iam_users"]>): IamUserRecord {
  const user: IamUserRecord = { accountId: r.account_id, userName: r.user_name, userId: r.user_id, path: r.path, arn: r.arn, createDate: new Date(Number(r.create_date)) };
  if (r.permissions_boundary !== null) user.permissionsBoundary = r.permissions_boundary;
  return user;
}

function groupFromRow(r: Selectable<Database["iam_groups"]>): IamGroupRecord {
  return { accountId: r.account_id, groupName: r.group_name, groupId: r.group_id, path: r.path, arn: r.arn, createDate: new Date(Number(r.create_date)) };
}

function roleFromRow(r: Selectable<Database["iam_roles"]>): IamRoleRecord {
  const role: IamRoleRecord = {
    accountId: r.account_id,
    roleName: r.role_name,
    roleId: r.role_id,
    path: r.path,
    arn: r.arn,
    trustPolicy: r.trust_policy,
    maxSessionDuration: Number(r.max_session_duration),
    createDate: new Date(Number(r.create_date)),
  };
  if (r.description !== null) role.description = r.description;
  if (r.permissions_boundary !== null) role.permissionsBoundary = r.permissions_boundary;
  return role;
}

function policyFromRow(r: Selectable<Database["iam_policies"]>): ManagedPolicyRecord {
  const policy: ManagedPolicyRecord = {
    accountId: r.account_id,
    policyName: r.policy_name,
    policyId: r.policy_id,
    path: r.path,
    arn: r.arn,
    document: r.document,
    defaultVersionId: r.default_version_id,
    createDate: new Date(Number(r.create_date)),
    updateDate: new Date(Number(r.update_date)),
  };
  if (r.description !== null) policy.description = r.description;
  return policy;
}

export function iamRepo(db: Kysely<Database>, note: NoteChange): IamRepo {
  const policiesChanged = () => note({ kind: "policies" });
  const principalChanged = (rows: ReadonlyArray<{ id: string }>) => {
    for (const row of rows) note({ kind: "principal", id: row.id });
  };
  const owned = <T extends "iam_inline_policies" | "iam_attachments">(table: T, accountId: string, owner: PolicyOwner) =>
    db
      .selectFrom(table as "iam_inline_policies")
      .where("account_id", "=", accountId)
      .where("owner_kind", "=", owner.kind)
      .where("owner_key", "=", key(owner.name));
  return {
    async createUser(u) {
      await db
        .insertInto("iam_users")
        .values({
          account_id: u.accountId,
          name_key: key(u.userName),
          user_name: u.userName,
          user_id: u.userId,
          path: u.path,
          arn: u.arn,
          create_date: u.createDate.getTime(),
          permissions_boundary: u.permissionsBoundary ?? null,
        })
        .execute();
      note({ kind: "principal", id: u.userId });
    },
    async getUser(accountId, userName) {
      const r = await db.selectFrom("iam_users").selectAll().where("account_id", "=", accountId).where("name_key", "=", key(userName)).executeTakeFirst();
      return r ? userFromRow(r) : undefined;
    },
    async getUserById(accountId, userId) {
      const r = await db.selectFrom("iam_users").selectAll().where("account_id", "=", accountId).where("user_id", "=", userId).executeTakeFirst();
      return r ? userFromRow(r) : undefined;
    },
    async listUsers(accountId, pathPrefix, limit, after) {
      // Path prefixes are matched here: LIKE would treat `_` and `%` in paths as wildcards.
      let q = db.selectFrom("iam_users").selectAll().where("account_id", "=", accountId);
      if (after !== undefined) q = q.where("name_key", ">", key(after));
      const rows = await q.orderBy("name_key").execute();
      return rows.filter((r) => r.path.startsWith(pathPrefix)).slice(0, limit).map(userFromRow);
    },
    async deleteUser(accountId, userName) {
      principalChanged(await db.deleteFrom("iam_users").where("account_id", "=", accountId).where("name_key", "=", key(userName)).returning("user_id as id").execute());
    },
    async updateUser(accountId, userName, next) {
      const old = await db.selectFrom("iam_users").select("arn").where("account_id", "=", accountId).where("name_key", "=", key(userName)).executeTakeFirst();
      const renamed = await db
        .updateTable("iam_users")
        .set({ name_key: key(next.userName), user_name: next.userName, path: next.path, arn: next.arn })
        .where("account_id", "=", accountId)
        .where("name_key", "=", key(userName))
        .returning("user_id as id")
        .execute();
      principalChanged(renamed);
      const keys = await db
        .updateTable("access_keys")
        .set({ user_name: next.userName })
        .where("account_id", "=", accountId)
        .where("user_name", "=", userName)
        .returning("access_key_id")
        .execute();
      for (const k of keys) note({ kind: "accessKey", id: k.access_key_id });
      await db
        .updateTable("iam_group_members")
        .set({ user_key: key(next.userName) })
        .where("account_id", "=", accountId)
        .where("user_key", "=", key(userName))
        .execute();
      for (const table of ["iam_inline_policies", "iam_attachments"] as const) {
        await db
          .updateTable(table)
          .set({ owner_key: key(next.userName) })
          .where("account_id", "=", accountId)
          .where("owner_kind", "=", "user")
          .where("owner_key", "=", key(userName))
          .execute();
      }
      if (old) await db.updateTable("tags").set({ resource_arn: next.arn }).where("resource_arn", "=", old.arn).execute();
      policiesChanged();
    },
    async listAccessKeys(accountId, userName) {
      const rows = await db.selectFrom("access_keys").selectAll().where("account_id", "=", accountId).where("user_name", "=", userName).orderBy("created_at").execute();
      return rows.map(accessKeyFromRow);
    },
    async updateAccessKeyStatus(accessKeyId, status) {
      await db.updateTable("access_keys").set({ status }).where("access_key_id", "=", accessKeyId).execute();
      note({ kind: "accessKey", id: accessKeyId });
    },
    async deleteAccessKey(accessKeyId) {
      await db.deleteFrom("access_keys").where("access_key_id", "=", accessKeyId).execute();
      note({ kind: "accessKey", id: accessKeyId });
    },

    async createGroup(g) {
      await db
        .insertInto("iam_groups")
        .values({ account_id: g.accountId, name_key: key(g.groupName), group_name: g.groupName, group_id: g.groupId, path: g.path, arn: g.arn, create_date: g.createDate.getTime() })
        .execute();
      policiesChanged();
    },
    async getGroup(accountId, groupName) {
      const r = await db.selectFrom("iam_groups").selectAll().where("account_id", "=", accountId).where("name_key", "=", key(groupName)).executeTakeFirst();
      return r ? groupFromRow(r) : undefined;
    },
    async listGroups(accountId, pathPrefix, limit, after) {
      let q = db.selectFrom("iam_groups").selectAll().where("account_id", "=", accountId);
      if (after !== undefined) q = q.where("name_key", ">", key(after));
      const rows = await q.orderBy("name_key").execute();
      return rows.filter((r) => r.path.startsWith(pathPrefix)).slice(0, limit).map(groupFromRow);
    },
    async deleteGroup(accountId, groupName) {
      await db.deleteFrom("iam_groups").where("account_id", "=", accountId).where("name_key", "=", key(groupName)).execute();
      policiesChanged();
    },
    async addUserToGroup(accountId, groupName, userName) {
      await db
        .insertInto("iam_group_members")
        .values({ account_id: accountId, group_key: key(groupName), user_key: key(userName) })
        .onConflict((oc) => oc.columns(["account_id", "group_key", "user_key"]).doNothing())
        .execute();
      policiesChanged();
    },
    async removeUserFromGroup(accountId, groupName, userName) {
      await db
        .deleteFrom("iam_group_members")
        .where("account_id", "=", accountId)
        .where("group_key", "=", key(groupName))
        .where("user_key", "=", key(userName))
        .execute();
      policiesChanged();
    },
    async groupMembers(accountId, groupName) {
      const rows = await db
        .selectFrom("iam_group_members as m")
        .innerJoin("iam_users as u", (j) => j.onRef("u.account_id", "=", "m.account_id").onRef("u.name_key", "=", "m.user_key"))
        .selectAll("u")
        .where("m.account_id", "=", accountId)
        .where("m.group_key", "=", key(groupName))
        .orderBy("u.name_key")
        .execute();
      return rows.map(userFromRow);
    },
    async groupsOfUser(accountId, userName) {
      const rows = await db
        .selectFrom("iam_group_members as m")
        .innerJoin("iam_groups as g", (j) => j.onRef("g.account_id", "=", "m.account_id").onRef("g.name_key", "=", "m.group_key"))
        .selectAll("g")
        .where("m.account_id", "=", accountId)
        .where("m.user_key", "=", key(userName))
        .orderBy("g.name_key")
        .execute();
      return rows.map(groupFromRow);
    },
    async createRole(r) {
      await db
        .insertInto("iam_roles")
        .values({
          account_id: r.accountId,
          name_key: key(r.roleName),
          role_name: r.roleName,
          role_id: r.roleId,
          path: r.path,
          arn: r.arn,
          trust_policy: r.trustPolicy,
          description: r.description ?? null,
          max_session_duration: r.maxSessionDuration,
          create_date: r.createDate.getTime(),
          permissions_boundary: r.permissionsBoundary ?? null,
        })
        .execute();
      note({ kind: "principal", id: r.roleId });
    },
    async getRole(accountId, roleName) {
      const r = await db.selectFrom("iam_roles").selectAll().where("account_id", "=", accountId).where("name_key", "=", key(roleName)).executeTakeFirst();
      return r ? roleFromRow(r) : undefined;
    },
    async getRoleById(accountId, roleId) {
      const r = await db.selectFrom("iam_roles").selectAll().where("account_id", "=", accountId).where("role_id", "=", roleId).executeTakeFirst();
      return r ? roleFromRow(r) : undefined;
    },
    async listRoles(accountId, pathPrefix, limit, after) {
      // Path prefixes are matched here: LIKE would treat `_` and `%` in paths as wildcards.
      let q = db.selectFrom("iam_roles").selectAll().where("account_id", "=", accountId);
      if (after !== undefined) q = q.where("name_key", ">", key(after));
      const rows = await q.orderBy("name_key").execute();
      return rows.filter((r) => r.path.startsWith(pathPrefix)).slice(0, limit).map(roleFromRow);
    },
    async deleteRole(accountId, roleName) {
      principalChanged(await db.deleteFrom("iam_roles").where("account_id", "=", accountId).where("name_key", "=", key(roleName)).returning("role_id as id").execute());
    },
    async updateRole(accountId, roleName, change) {
      const set: { description?: string; max_session_duration?: number } = {};
      if (change.description !== undefined) set.description = change.description;
      if (change.maxSessionDuration !== undefined) set.max_session_duration = change.maxSessionDuration;
      if (Object.keys(set).length === 0) return;
      principalChanged(await db.updateTable("iam_roles").set(set).where("account_id", "=", accountId).where("name_key", "=", key(roleName)).returning("role_id as id").execute());
    },
    async updateTrustPolicy(accountId, roleName, document) {
      principalChanged(
        await db.updateTable("iam_roles").set({ trust_policy: document }).where("account_id", "=", accountId).where("name_key", "=", key(roleName)).returning("role_id as id").execute(),
      );
    },

    async putInlinePolicy(accountId, owner, policy) {
      await db
        .insertInto("iam_inline_policies")
        .values({ account_id: accountId, owner_kind: owner.kind, owner_key: key(owner.name), policy_name: policy.policyName, document: policy.document })
        .onConflict((oc) => oc.columns(["account_id", "owner_kind", "owner_key", "policy_name"]).doUpdateSet({ document: policy.document }))
        .execute();
      policiesChanged();
    },
    async getInlinePolicy(accountId, owner, policyName) {
      const r = await owned("iam_inline_policies", accountId, owner).select(["policy_name", "document"]).where("policy_name", "=", policyName).executeTakeFirst();
      return r ? { policyName: r.policy_name, document: r.document } : undefined;
    },
    async listInlinePolicies(accountId, owner) {
      const rows = await owned("iam_inline_policies", accountId, owner).select(["policy_name", "document"]).orderBy("policy_name").execute();
      return rows.map((r) => ({ policyName: r.policy_name, document: r.document }));
    },
    async deleteInlinePolicy(accountId, owner, policyName) {
      await db
        .deleteFrom("iam_inline_policies")
        .where("account_id", "=", accountId)
        .where("owner_kind", "=", owner.kind)
        .where("owner_key", "=", key(owner.name))
        .where("policy_name", "=", policyName)
        .execute();
      policiesChanged();
    },

    async createPolicy(p) {
      await db
        .insertInto("iam_policies")
        .values({
          arn: p.arn,
          account_id: p.accountId,
          name_key: key(p.policyName),
          policy_name: p.policyName,
          policy_id: p.policyId,
          path: p.path,
          document: p.document,
          default_version_id: p.defaultVersionId,
          next_version: 2,
          description: p.description ?? null,
          create_date: p.createDate.getTime(),
          update_date: p.updateDate.getTime(),
        })
        .execute();
      await db.insertInto("iam_policy_versions").values({ policy_arn: p.arn, version_id: p.defaultVersionId, document: p.document, create_date: p.createDate.getTime() }).execute();
      policiesChanged();
    },
    async getPolicy(arn) {
      const r = await db.selectFrom("iam_policies").selectAll().where("arn", "=", arn).executeTakeFirst();
      return r ? policyFromRow(r) : undefined;
    },
    async getPolicyByName(accountId, policyName) {
      const r = await db.selectFrom("iam_policies").selectAll().where("account_id", "=", accountId).where("name_key", "=", key(policyName)).executeTakeFirst();
      return r ? policyFromRow(r) : undefined;
    },
    async listPolicies(accountId, after) {
      let q = db.selectFrom("iam_policies").selectAll().where("account_id", "=", accountId);
      if (after !== undefined) q = q.where("name_key", ">", key(after));
      return (await q.orderBy("name_key").execute()).map(policyFromRow);
    },
    async deletePolicy(arn) {
      await db.deleteFrom("iam_policy_versions").where("policy_arn", "=", arn).execute();
      await db.deleteFrom("iam_policies").where("arn", "=", arn).execute();
      policiesChanged();
    },
    async listPolicyVersions(arn) {
      const rows = await db.selectFrom("iam_policy_versions").selectAll().where("policy_arn", "=", arn).orderBy("create_date").orderBy("version_id").execute();
      return rows.map((r) => ({ versionId: r.version_id, document: r.document, createDate: new Date(Number(r.create_date)) }));
    },
    async addPolicyVersion(arn, document, makeDefault, at) {
      const row = await db.selectFrom("iam_policies").select("next_version").where("arn", "=", arn).executeTakeFirstOrThrow();
      const versionId = `v${Number(row.next_version)}`;
      await db.insertInto("iam_policy_versions").values({ policy_arn: arn, version_id: versionId, document, create_date: at.getTime() }).execute();
      await db
        .updateTable("iam_policies")
        .set(makeDefault ? { next_version: Number(row.next_version) + 1, document, default_version_id: versionId, update_date: at.getTime() } : { next_version: Number(row.next_version) + 1 })
        .where("arn", "=", arn)
        .execute();
      policiesChanged();
      return versionId;
    },
    async setDefaultPolicyVersion(arn, versionId, at) {
      const version = await db.selectFrom("iam_policy_versions").select("document").where("policy_arn", "=", arn).where("version_id", "=", versionId).executeTakeFirstOrThrow();
      await db.updateTable("iam_policies").set({ document: version.document, default_version_id: versionId, update_date: at.getTime() }).where("arn", "=", arn).execute();
      policiesChanged();
    },
    async deletePolicyVersion(arn, versionId) {
      await db.deleteFrom("iam_policy_versions").where("policy_arn", "=", arn).where("version_id", "=", versionId).execute();
      policiesChanged();
    },
    async attach(accountId, owner, policyArn, at) {
      await db
        .insertInto("iam_attachments")
        .values({ account_id: accountId, owner_kind: owner.kind, owner_key: key(owner.name), policy_arn: policyArn, attached_at: at.getTime() })
        .onConflict((oc) => oc.columns(["account_id", "owner_kind", "owner_key", "policy_arn"]).doNothing())
        .execute();
      policiesChanged();
    },
    async detach(accountId, owner, policyArn) {
      await db
        .deleteFrom("iam_attachments")
        .where("account_id", "=", accountId)
        .where("owner_kind", "=", owner.kind)
        .where("owner_key", "=", key(owner.name))
        .where("policy_arn", "=", policyArn)
        .execute();
      policiesChanged();
    },
    async listAttached(accountId, owner) {
      const rows = await db
        .selectFrom("iam_attachments as a")
        .innerJoin("iam_policies as p", "p.arn", "a.policy_arn")
        .select(["p.policy_name", "p.arn"])
        .where("a.account_id", "=", accountId)
        .where("a.owner_kind", "=", owner.kind)
        .where("a.owner_key", "=", key(owner.name))
        .orderBy("a.attached_at")
        .execute();
      return rows.map((r) => ({ policyName: r.policy_name, policyArn: r.arn }));
    },
    async attachmentCount(policyArn) {
      const r = await db.selectFrom("iam_attachments").select((eb) => eb.fn.countAll().as("n")).where("policy_arn", "=", policyArn).executeTakeFirst();
      return Number(r?.n ?? 0);
    },
    async setPermissionsBoundary(accountId, owner, policyArn) {
      const table = owner.kind === "user" ? "iam_users" : "iam_roles";
      await db
        .updateTable(table)
        .set({ permissions_boundary: policyArn ?? null })
        .where("account_id", "=", accountId)
        .where("name_key", "=", key(owner.name))
        .execute();
      policiesChanged();
    },
    async boundaryUsageCount(policyArn) {
      let n = 0;
      for (const table of ["iam_users", "iam_roles"] as const) {
        const r = await db.selectFrom(table).select((eb) => eb.fn.countAll().as("n")).where("permissions_boundary", "=", policyArn).executeTakeFirst();
        n += Number(r?.n ?? 0);
      }
      return n;
    },
    async boundaryDocument(accountId, owner) {
      const table = owner.kind === "user" ? "iam_users" : "iam_roles";
      const r = await db
        .selectFrom(`${table} as o` as "iam_users as o")
        .innerJoin("iam_policies as p", "p.arn", "o.permissions_boundary")
        .select("p.document")
        .where("o.account_id", "=", accountId)
        .where("o.name_key", "=", key(owner.name))
        .executeTakeFirst();
      return r?.document;
    },
    async identityPolicies(accountId, owner) {
      const own = async (o: PolicyOwner): Promise<string[]> => {
        const inline = await owned("iam_inline_policies", accountId, o).select("document").orderBy("policy_name").execute();
        const attached = await db
          .selectFrom("iam_attachments as a")
          .innerJoin("iam_policies as p", "p.arn", "a.policy_arn")
          .select("p.document")
          .where("a.account_id", "=", accountId)
          .where("a.owner_kind", "=", o.kind)
          .where("a.owner_key", "=", key(o.name))
          .execute();
        return [...inline.map((r) => r.document), ...attached.map((r) => r.document)];
      };
      const documents = await own(owner);
      if (owner.kind !== "user") return documents;
      const groups = await db
        .selectFrom("iam_group_members")
        .select("group_key")
        .where("account_id", "=", accountId)
        .where("user_key", "=", key(owner.name))
        .orderBy("group_key")
        .execute();
      for (const g of groups) documents.push(...(await own({ kind: "group", name: g.group_key })));
      return documents;
    },

    async createSession(s) {
      await db
        .insertInto("sts_sessions")
        .values({
          access_key_id: s.accessKeyId,
          account_id: s.accountId,
          secret_access_key: s.secretAccessKey,
          session_token: s.sessionToken,
          principal: s.principal,
          expiration: s.expiration.getTime(),
          created_at: s.createdAt.getTime(),
        })
        .execute();
    },
    async deleteSessionsExpiredBefore(cutoff, limit) {
      const stale = db.selectFrom("sts_sessions").select("access_key_id").where("expiration", "<", cutoff.getTime()).limit(limit);
      await db.deleteFrom("sts_sessions").where("access_key_id", "in", stale).execute();
    },
    async findSession(accessKeyId) {
      const r = await db.selectFrom("sts_sessions").selectAll().where("access_key_id", "=", accessKeyId).executeTakeFirst();
      if (!r) return undefined;
      return {
        accessKeyId: r.access_key_id,
        accountId: r.account_id,
        secretAccessKey: r.secret_access_key,
        sessionToken: r.session_token,
        principal: r.principal,
        expiration: new Date(Number(r.expiration)),
        createdAt: new Date(Number(r.created_at)),
      };
    },
  };
}
