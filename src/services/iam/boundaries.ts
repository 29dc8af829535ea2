/** Put/Delete{User,Role}PermissionsBoundary: a managed policy that caps what the entity's policies can grant. */
import type * as iam from "../../generated/iam.js";
import { onRole, onUser, requireBoundaryPolicy } from "./entities.js";
import type { AuthorizationFacts } from "../operation.js";

/** `iam:PermissionsBoundary` of a Put…PermissionsBoundary call is the boundary being set. */
const newBoundary = (input: { PermissionsBoundary: string }): AuthorizationFacts => ({ conditions: { "iam:PermissionsBoundary": input.PermissionsBoundary } });

export const PutUserPermissionsBoundary = onUser<iam.PutUserPermissionsBoundaryRequest, void>({ facts: newBoundary }, async (input, ctx, user) => {
  await requireBoundaryPolicy(ctx, input.PermissionsBoundary);
  await ctx.tx.iam.setPermissionsBoundary(ctx.accountId, { kind: "user", name: user.userName }, input.PermissionsBoundary);
  ctx.tx.afterCommit(() => ctx.deps.forgetPolicies());
});

export const DeleteUserPermissionsBoundary = onUser<iam.DeleteUserPermissionsBoundaryRequest, void>({ boundary: true }, async (_input, ctx, user) => {
  await ctx.tx.iam.setPermissionsBoundary(ctx.accountId, { kind: "user", name: user.userName }, undefined);
  ctx.tx.afterCommit(() => ctx.deps.forgetPolicies());
});

export const PutRolePermissionsBoundary = onRole<iam.PutRolePermissionsBoundaryRequest, void>({ facts: newBoundary }, async (input, ctx, role) => {
  await requireBoundaryPolicy(ctx, input.PermissionsBoundary);
  await ctx.tx.iam.setPermissionsBoundary(ctx.accountId, { kind: "role", name: role.roleName }, input.PermissionsBoundary);
  ctx.tx.afterCommit(() => ctx.deps.forgetPolicies());
});

export const DeleteRolePermissionsBoundary = onRole<iam.DeleteRolePermissionsBoundaryRequest, void>({ boundary: true }, async (_input, ctx, role) => {
  await ctx.tx.iam.setPermissionsBoundary(ctx.accountId, { kind: "role", name: role.roleName }, undefined);
  ctx.tx.afterCommit(() => ctx.deps.forgetPolicies());
});
