import { policySize } from "../../auth/policy.js";
import { operation, type AuthorizationFacts, type OperationContext } from "../operation.js";
import type { PolicyOwner } from "../../store/iam-records.js";
import { checkPolicyDocument, encodeDocument } from "./documents.js";
import { limitExceeded, noSuchEntity } from "./errors.js";
import { groupFacts, requireGroup, requireRole, requireUser, roleFacts, userFacts } from "./entities.js";

/** AWS's aggregate inline-policy size quotas (whitespace not counted). */
const AGGREGATE_LIMIT = { user: 2048, role: 10240, group: 5120 } as const;

interface Naming {
  kind: PolicyOwner["kind"];
  /** The input member that names the owner. */
  member: "UserName" | "RoleName" | "GroupName";
  /** Resolves the owner (NoSuchEntity when missing) and returns its stored name. */
  require(ctx: OperationContext, name: string): Promise<string>;
  /** `boundary`: the call is one AWS sets `iam:PermissionsBoundary` on (Put/Delete…Policy). */
  facts(ctx: OperationContext, name: string, boundary?: boolean): Promise<AuthorizationFacts>;
}

const user: Naming = {
  kind: "user",
  member: "UserName",
  require: async (ctx, name) => (await requireUser(ctx, name)).userName,
  facts: (ctx, name, boundary) => userFacts(ctx, name, {}, boundary),
};

const role: Naming = {
  kind: "role",
  member: "RoleName",
  require: async (ctx, name) => (await requireRole(ctx, name)).roleName,
  facts: (ctx, name, boundary) => roleFacts(ctx, name, {}, boundary),
};

const group: Naming = {
  kind: "group",
  member: "GroupName",
  require: async (ctx, name) => (await requireGroup(ctx, name)).groupName,
  facts: groupFacts,
};

type OwnerInput = { UserName?: string; RoleName?: string; GroupName?: string };

function inlinePolicyOperations(n: Naming) {
  const ownerName = (input: OwnerInput): string => input[n.member]!;
  const missing = (name: string) => noSuchEntity(`The ${n.kind} policy with name ${name} cannot be found.`);
  return {
    put: operation<OwnerInput & { PolicyName: string; PolicyDocument: string }, void>({
      authorize: (input, ctx) => n.facts(ctx, ownerName(input), true),
      async handle(input, ctx) {
        const owner = { kind: n.kind, name: await n.require(ctx, ownerName(input)) };
        const limit = AGGREGATE_LIMIT[n.kind];
        const quota = `Maximum policy size of ${limit} bytes exceeded for ${n.kind} ${owner.name}`;
        checkPolicyDocument(input.PolicyDocument, "identity", limit, quota);
        const others = (await ctx.tx.iam.listInlinePolicies(ctx.accountId, owner)).filter((p) => p.policyName !== input.PolicyName);
        const total = others.reduce((sum, p) => sum + policySize(p.document), policySize(input.PolicyDocument));
        if (total > limit) throw limitExceeded(quota);
        await ctx.tx.iam.putInlinePolicy(ctx.accountId, owner, { policyName: input.PolicyName, document: input.PolicyDocument });
      },
    }),
    get: operation<OwnerInput & { PolicyName: string }, Record<string, string>>({
      authorize: (input, ctx) => n.facts(ctx, ownerName(input)),
      async handle(input, ctx) {
        const name = await n.require(ctx, ownerName(input));
        const policy = await ctx.tx.iam.getInlinePolicy(ctx.accountId, { kind: n.kind, name }, input.PolicyName);
        if (!policy) throw missing(input.PolicyName);
        return { [n.member]: name, PolicyName: policy.policyName, PolicyDocument: encodeDocument(policy.document) };
      },
    }),
    list: operation<OwnerInput & { MaxItems?: number }, { PolicyNames: string[]; IsTruncated: boolean }>({
      authorize: (input, ctx) => n.facts(ctx, ownerName(input)),
      async handle(input, ctx) {
        const name = await n.require(ctx, ownerName(input));
        const policies = await ctx.tx.iam.listInlinePolicies(ctx.accountId, { kind: n.kind, name });
        return { PolicyNames: policies.map((p) => p.policyName), IsTruncated: false };
      },
    }),
    delete: operation<OwnerInput & { PolicyName: string }, void>({
      authorize: (input, ctx) => n.facts(ctx, ownerName(input), true),
      async handle(input, ctx) {
        const owner = { kind: n.kind, name: await n.require(ctx, ownerName(input)) };
        if (!(await ctx.tx.iam.getInlinePolicy(ctx.accountId, owner, input.PolicyName))) throw missing(input.PolicyName);
        await ctx.tx.iam.deleteInlinePolicy(ctx.accountId, owner, input.PolicyName);
      },
    }),
  };
}

const users = inlinePolicyOperations(user);
const roles = inlinePolicyOperations(role);
const groups = inlinePolicyOperations(group);

export const PutGroupPolicy = groups.put;
export const GetGroupPolicy = groups.get;
export const ListGroupPolicies = groups.list;
export const DeleteGroupPolicy = groups.delete;
export const PutUserPolicy = users.put;
export const GetUserPolicy = users.get;
export const ListUserPolicies = users.list;
export const DeleteUserPolicy = users.delete;
export const PutRolePolicy = roles.put;
export const GetRolePolicy = roles.get;
export const ListRolePolicies = roles.list;
export const DeleteRolePolicy = roles.delete;
