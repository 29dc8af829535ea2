import type * as iam from "../../generated/iam.js";
import { requestTagConditions } from "../request-tags.js";
import { noResourceType, operation } from "../operation.js";
import type { IamRoleRecord } from "../../store/iam-records.js";
import type { Tag } from "../../store/records.js";
import { checkPolicyDocument, encodeDocument } from "./documents.js";
import { entityAlreadyExists, limitExceeded } from "./errors.js";
import { boundaryShape, createFacts, onRole, page, requireBoundaryPolicy, requireNoPolicies } from "./entities.js";
import { roleArn, uniqueId } from "./ids.js";
import { checkTrustPrincipals, retargetTrustPolicies } from "./trust-principals.js";

const MAX_TAGS = 50;
/** AWS's default ACLSizePerRole quota for trust policies. */
export const TRUST_POLICY_MAX = 2048;
const DEFAULT_MAX_SESSION_DURATION = 3600;

function checkTrustPolicy(document: string): void {
  checkPolicyDocument(document, "trust", TRUST_POLICY_MAX, `Cannot exceed quota for ACLSizePerRole: ${TRUST_POLICY_MAX}`);
}

function roleShape(r: IamRoleRecord, tags?: Tag[]): iam.Role {
  const out: iam.Role = {
    Path: r.path,
    RoleName: r.roleName,
    RoleId: r.roleId,
    Arn: r.arn,
    CreateDate: r.createDate,
    AssumeRolePolicyDocument: encodeDocument(r.trustPolicy),
    MaxSessionDuration: r.maxSessionDuration,
  };
  if (r.description !== undefined) out.Description = r.description;
  const boundary = boundaryShape(r.permissionsBoundary);
  if (boundary) out.PermissionsBoundary = boundary;
  if (tags && tags.length > 0) out.Tags = tags;
  return out;
}

export const CreateRole = operation<iam.CreateRoleRequest, iam.CreateRoleResponse>({
  authorize: (input, ctx) => createFacts(roleArn(ctx.accountId, input.Path ?? "/", input.RoleName), input, "iam:TagRole"),
  async handle(input, ctx) {
    if (await ctx.tx.iam.getRole(ctx.accountId, input.RoleName)) throw entityAlreadyExists(`Role with name ${input.RoleName} already exists.`);
    checkTrustPolicy(input.AssumeRolePolicyDocument);
    await checkTrustPrincipals(ctx, input.AssumeRolePolicyDocument);
    await requireBoundaryPolicy(ctx, input.PermissionsBoundary);
    const path = input.Path ?? "/";
    const role: IamRoleRecord = {
      accountId: ctx.accountId,
      roleName: input.RoleName,
      roleId: uniqueId("AROA"),
      path,
      arn: roleArn(ctx.accountId, path, input.RoleName),
      trustPolicy: input.AssumeRolePolicyDocument,
      maxSessionDuration: input.MaxSessionDuration ?? DEFAULT_MAX_SESSION_DURATION,
      createDate: ctx.now,
    };
    if (input.Description !== undefined) role.description = input.Description;
    if (input.PermissionsBoundary !== undefined) role.permissionsBoundary = input.PermissionsBoundary;
    await ctx.tx.iam.createRole(role);
    if (input.Tags && input.Tags.length > 0) await ctx.tx.tags.put(role.arn, input.Tags);
    return { Role: roleShape(role, input.Tags) };
  },
});

export const GetRole = onRole<iam.GetRoleRequest, iam.GetRoleResponse>({ boundary: true }, async (_input, ctx, role) => {
  return { Role: roleShape(role, await ctx.tx.tags.list(role.arn)) };
});

export const ListRoles = operation<iam.ListRolesRequest, iam.ListRolesResponse>({
  authorize: noResourceType,
  async handle(input, ctx) {
    const max = input.MaxItems ?? 100;
    const roles = await ctx.tx.iam.listRoles(ctx.accountId, input.PathPrefix ?? "/", max + 1, input.Marker);
    const { items, IsTruncated, Marker } = page(roles, max, (r) => r.roleName);
    return { Roles: items.map((r) => roleShape(r)), IsTruncated, Marker };
  },
});

/** Deletes a role: its sessions die with it, and trust policies naming it name its unique id from then on. */
export const DeleteRole = onRole<iam.DeleteRoleRequest, void>({ boundary: true }, async (_input, ctx, role) => {
  const owner = { kind: "role", name: role.roleName } as const;
  await requireNoPolicies(ctx, owner);
  await ctx.tx.tags.removeAll(role.arn);
  await ctx.tx.iam.deleteRole(ctx.accountId, role.roleName);
  await retargetTrustPolicies(ctx, role.arn, role.roleId);
});

export const UpdateAssumeRolePolicy = onRole<iam.UpdateAssumeRolePolicyRequest, void>({ boundary: true }, async (input, ctx, role) => {
  checkTrustPolicy(input.PolicyDocument);
  await checkTrustPrincipals(ctx, input.PolicyDocument);
  await ctx.tx.iam.updateTrustPolicy(ctx.accountId, role.roleName, input.PolicyDocument);
});

export const TagRole = onRole<iam.TagRoleRequest, void>({ facts: (input) => ({ conditions: requestTagConditions(input.Tags) }) }, async (input, ctx, role) => {
  const existing = await ctx.tx.tags.list(role.arn);
  const keys = new Set([...existing.map((t) => t.Key), ...input.Tags.map((t) => t.Key)]);
  if (keys.size > MAX_TAGS) throw limitExceeded("The number of tags has reached the maximum limit.");
  await ctx.tx.tags.put(role.arn, input.Tags);
});

export const UntagRole = onRole<iam.UntagRoleRequest, void>({ facts: (input) => ({ conditions: { "aws:TagKeys": input.TagKeys } }) }, async (input, ctx, role) => {
  await ctx.tx.tags.remove(role.arn, input.TagKeys);
});

export const ListRoleTags = onRole<iam.ListRoleTagsRequest, iam.ListRoleTagsResponse>({}, async (_input, ctx, role) => {
  return { Tags: await ctx.tx.tags.list(role.arn), IsTruncated: false };
});

export const UpdateRole = onRole<iam.UpdateRoleRequest, iam.UpdateRoleResponse>({ boundary: true }, async (input, ctx, role) => {
  const change: { description?: string; maxSessionDuration?: number } = {};
  if (input.Description !== undefined) change.description = input.Description;
  if (input.MaxSessionDuration !== undefined) change.maxSessionDuration = input.MaxSessionDuration;
  await ctx.tx.iam.updateRole(ctx.accountId, role.roleName, change);
  return {};
});
