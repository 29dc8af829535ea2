import { taggedCreate } from "../request-tags.js";
import type * as iam from "../../generated/iam.js";
import { noResourceType, operation, type AuthorizationFacts, type OperationContext } from "../operation.js";
import type { ManagedPolicyRecord, PolicyOwner } from "../../store/iam-records.js";
import { checkPolicyDocument } from "./documents.js";
import { deleteConflict, entityAlreadyExists, noSuchEntity } from "./errors.js";
import { groupFacts, page, requireGroup, requireRole, requireUser, roleFacts, userFacts } from "./entities.js";
import { policyArn, uniqueId } from "./ids.js";

/** AWS's PolicySize quota for managed policies. */
export const MANAGED_POLICY_MAX = 6144;

export async function requirePolicy(ctx: OperationContext, arn: string): Promise<ManagedPolicyRecord> {
  const policy = await ctx.tx.iam.getPolicy(arn);
  if (!policy || policy.accountId !== ctx.accountId) throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
  return policy;
}

async function policyShape(ctx: OperationContext, p: ManagedPolicyRecord): Promise<iam.Policy> {
  const out: iam.Policy = {
    PolicyName: p.policyName,
    PolicyId: p.policyId,
    Arn: p.arn,
    Path: p.path,
    DefaultVersionId: p.defaultVersionId,
    AttachmentCount: await ctx.tx.iam.attachmentCount(p.arn),
    PermissionsBoundaryUsageCount: await ctx.tx.iam.boundaryUsageCount(p.arn),
    IsAttachable: true,
    CreateDate: p.createDate,
    UpdateDate: p.updateDate,
  };
  if (p.description !== undefined) out.Description = p.description;
  return out;
}

export const policyFacts = (arn: string): AuthorizationFacts => ({ resources: [arn] });

export const CreatePolicy = operation<iam.CreatePolicyRequest, iam.CreatePolicyResponse>({
  // Tags are authorised as AWS does (iam:TagPolicy too), though Cairn keeps no policy tags (README).
  authorize: (input, ctx) => ({ ...policyFacts(policyArn(ctx.accountId, input.Path ?? "/", input.PolicyName)), ...taggedCreate(input.Tags, "iam:TagPolicy") }),
  async handle(input, ctx) {
    if (await ctx.tx.iam.getPolicyByName(ctx.accountId, input.PolicyName)) {
      throw entityAlreadyExists(`A policy called ${input.PolicyName} already exists. Duplicate names are not allowed.`);
    }
    checkPolicyDocument(input.PolicyDocument, "identity", MANAGED_POLICY_MAX, `Cannot exceed quota for PolicySize: ${MANAGED_POLICY_MAX}`);
    const path = input.Path ?? "/";
    const policy: ManagedPolicyRecord = {
      accountId: ctx.accountId,
      policyName: input.PolicyName,
      policyId: uniqueId("ANPA"),
      path,
      arn: policyArn(ctx.accountId, path, input.PolicyName),
      document: input.PolicyDocument,
      defaultVersionId: "v1",
      createDate: ctx.now,
      updateDate: ctx.now,
    };
    if (input.Description !== undefined) policy.description = input.Description;
    await ctx.tx.iam.createPolicy(policy);
    return { Policy: await policyShape(ctx, policy) };
  },
});

export const GetPolicy = operation<iam.GetPolicyRequest, iam.GetPolicyResponse>({
  authorize: (input) => policyFacts(input.PolicyArn),
  async handle(input, ctx) {
    return { Policy: await policyShape(ctx, await requirePolicy(ctx, input.PolicyArn)) };
  },
});

export const ListPolicies = operation<iam.ListPoliciesRequest, iam.ListPoliciesResponse>({
  authorize: noResourceType,
  async handle(input, ctx) {
    // Cairn has no AWS-managed policies: every scope lists the account's own.
    if (input.Scope === "AWS") return { Policies: [], IsTruncated: false };
    const max = input.MaxItems ?? 100;
    const matching: ManagedPolicyRecord[] = [];
    for (const p of await ctx.tx.iam.listPolicies(ctx.accountId, input.Marker)) {
      if (!p.path.startsWith(input.PathPrefix ?? "/")) continue;
      if (input.OnlyAttached && (await ctx.tx.iam.attachmentCount(p.arn)) === 0) continue;
      matching.push(p);
      if (matching.length > max) break;
    }
    const { items, IsTruncated, Marker } = page(matching, max, (p) => p.policyName);
    return { Policies: await Promise.all(items.map((p) => policyShape(ctx, p))), IsTruncated, Marker };
  },
});

export const DeletePolicy = operation<iam.DeletePolicyRequest, void>({
  authorize: (input) => policyFacts(input.PolicyArn),
  async handle(input, ctx) {
    const policy = await requirePolicy(ctx, input.PolicyArn);
    if ((await ctx.tx.iam.attachmentCount(policy.arn)) > 0 || (await ctx.tx.iam.boundaryUsageCount(policy.arn)) > 0) {
      throw deleteConflict("Cannot delete a policy attached to entities.");
    }
    await ctx.tx.iam.deletePolicy(policy.arn);
  },
});

interface OwnerKind {
  kind: PolicyOwner["kind"];
  require(ctx: OperationContext, name: string): Promise<string>;
  /** `extra`: the call's own keys; `boundary`: AWS sets `iam:PermissionsBoundary` on it (users and roles). */
  facts(ctx: OperationContext, name: string, extra?: AuthorizationFacts, boundary?: boolean): Promise<AuthorizationFacts>;
}

const userOwner: OwnerKind = {
  kind: "user",
  require: async (ctx, name) => (await requireUser(ctx, name)).userName,
  facts: (ctx, name, extra, boundary) => userFacts(ctx, name, extra, boundary),
};
const groupOwner: OwnerKind = {
  kind: "group",
  require: async (ctx, name) => (await requireGroup(ctx, name)).groupName,
  facts: async (ctx, name, extra) => ({ ...extra, ...(await groupFacts(ctx, name)) }),
};
const roleOwner: OwnerKind = {
  kind: "role",
  require: async (ctx, name) => (await requireRole(ctx, name)).roleName,
  facts: (ctx, name, extra, boundary) => roleFacts(ctx, name, extra, boundary),
};

/** `iam:PolicyARN` of Attach/Detach…Policy: the managed policy being attached or detached. */
const policyArnKey = (input: { PolicyArn: string }): AuthorizationFacts => ({ conditions: { "iam:PolicyARN": input.PolicyArn } });

function attachmentOperations(o: OwnerKind, nameOf: (input: { UserName?: string; RoleName?: string; GroupName?: string }) => string) {
  return {
    attach: operation<{ UserName?: string; RoleName?: string; GroupName?: string; PolicyArn: string }, void>({
      authorize: (input, ctx) => o.facts(ctx, nameOf(input), policyArnKey(input), true),
      async handle(input, ctx) {
        const name = await o.require(ctx, nameOf(input));
        await requirePolicy(ctx, input.PolicyArn);
        await ctx.tx.iam.attach(ctx.accountId, { kind: o.kind, name }, input.PolicyArn, ctx.now);
      },
    }),
    detach: operation<{ UserName?: string; RoleName?: string; GroupName?: string; PolicyArn: string }, void>({
      authorize: (input, ctx) => o.facts(ctx, nameOf(input), policyArnKey(input), true),
      async handle(input, ctx) {
        const owner = { kind: o.kind, name: await o.require(ctx, nameOf(input)) };
        const attached = await ctx.tx.iam.listAttached(ctx.accountId, owner);
        if (!attached.some((a) => a.policyArn === input.PolicyArn)) throw noSuchEntity(`Policy ${input.PolicyArn} was not found.`);
        await ctx.tx.iam.detach(ctx.accountId, owner, input.PolicyArn);
      },
    }),
    list: operation<{ UserName?: string; RoleName?: string; GroupName?: string }, { AttachedPolicies: iam.AttachedPolicy[]; IsTruncated: boolean }>({
      authorize: (input, ctx) => o.facts(ctx, nameOf(input)),
      async handle(input, ctx) {
        const name = await o.require(ctx, nameOf(input));
        const attached = await ctx.tx.iam.listAttached(ctx.accountId, { kind: o.kind, name });
        return { AttachedPolicies: attached.map((a) => ({ PolicyName: a.policyName, PolicyArn: a.policyArn })), IsTruncated: false };
      },
    }),
  };
}

const forUsers = attachmentOperations(userOwner, (input) => input.UserName!);
const forRoles = attachmentOperations(roleOwner, (input) => input.RoleName!);
const forGroups = attachmentOperations(groupOwner, (input) => input.GroupName!);

export const AttachGroupPolicy = forGroups.attach;
export const DetachGroupPolicy = forGroups.detach;
export const ListAttachedGroupPolicies = forGroups.list;
export const AttachUserPolicy = forUsers.attach;
export const DetachUserPolicy = forUsers.detach;
export const ListAttachedUserPolicies = forUsers.list;
export const AttachRolePolicy = forRoles.attach;
export const DetachRolePolicy = forRoles.detach;
export const ListAttachedRolePolicies = forRoles.list;
