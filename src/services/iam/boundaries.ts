import type * as iam from "../../generated/iam.js";
import { onRole, onUser, requireBoundaryPolicy } from "./entities.js";
import type { PolicyChangeDeps } from "./deps.js";

/** Put/Delete{User,Role}PermissionsBoundary: a managed policy that caps what the entity's policies can grant. */
export function boundaryOperations(deps: PolicyChangeDeps) {
  return {
    PutUserPermissionsBoundary: onUser<iam.PutUserPermissionsBoundaryRequest, void>({ readOnly: false }, async (input, ctx, user) => {
      await requireBoundaryPolicy(ctx, input.PermissionsBoundary);
      await ctx.tx.iam.setPermissionsBoundary(ctx.accountId, { kind: "user", name: user.userName }, input.PermissionsBoundary);
      ctx.tx.afterCommit(deps.forgetPolicies);
    }),
    DeleteUserPermissionsBoundary: onUser<iam.DeleteUserPermissionsBoundaryRequest, void>({ readOnly: false }, async (_input, ctx, user) => {
      await ctx.tx.iam.setPermissionsBoundary(ctx.accountId, { kind: "user", name: user.userName }, undefined);
      ctx.tx.afterCommit(deps.forgetPolicies);
    }),
    PutRolePermissionsBoundary: onRole<iam.PutRolePermissionsBoundaryRequest, void>({ readOnly: false }, async (input, ctx, role) => {
      await requireBoundaryPolicy(ctx, input.PermissionsBoundary);
      await ctx.tx.iam.setPermissionsBoundary(ctx.accountId, { kind: "role", name: role.roleName }, input.PermissionsBoundary);
      ctx.tx.afterCommit(deps.forgetPolicies);
    }),
    DeleteRolePermissionsBoundary: onRole<iam.DeleteRolePermissionsBoundaryRequest, void>({ readOnly: false }, async (_input, ctx, role) => {
      await ctx.tx.iam.setPermissionsBoundary(ctx.accountId, { kind: "role", name: role.roleName }, undefined);
      ctx.tx.afterCommit(deps.forgetPolicies);
    }),
  };
}
