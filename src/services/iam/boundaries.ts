import type * as iam from "../../generated/iam.js";
import { operation } from "../operation.js";
import { requireBoundaryPolicy, requireRole, requireUser, roleFacts, userFacts } from "./entities.js";
import type { PolicyChangeDeps } from "./deps.js";

/** Put/Delete{User,Role}PermissionsBoundary: a managed policy that caps what the entity's policies can grant. */
export function boundaryOperations(deps: PolicyChangeDeps) {
  return {
    PutUserPermissionsBoundary: operation<iam.PutUserPermissionsBoundaryRequest, void>({
      readOnly: false,
      recorded: true,
      authorize: (input, ctx) => userFacts(ctx, input.UserName),
      async handle(input, ctx) {
        const user = await requireUser(ctx, input.UserName);
        await requireBoundaryPolicy(ctx, input.PermissionsBoundary);
        await ctx.tx.iam.setPermissionsBoundary(ctx.accountId, { kind: "user", name: user.userName }, input.PermissionsBoundary);
        ctx.tx.afterCommit(deps.forgetPolicies);
      },
    }),
    DeleteUserPermissionsBoundary: operation<iam.DeleteUserPermissionsBoundaryRequest, void>({
      readOnly: false,
      recorded: true,
      authorize: (input, ctx) => userFacts(ctx, input.UserName),
      async handle(input, ctx) {
        const user = await requireUser(ctx, input.UserName);
        await ctx.tx.iam.setPermissionsBoundary(ctx.accountId, { kind: "user", name: user.userName }, undefined);
        ctx.tx.afterCommit(deps.forgetPolicies);
      },
    }),
    PutRolePermissionsBoundary: operation<iam.PutRolePermissionsBoundaryRequest, void>({
      readOnly: false,
      recorded: true,
      authorize: (input, ctx) => roleFacts(ctx, input.RoleName),
      async handle(input, ctx) {
        const role = await requireRole(ctx, input.RoleName);
        await requireBoundaryPolicy(ctx, input.PermissionsBoundary);
        await ctx.tx.iam.setPermissionsBoundary(ctx.accountId, { kind: "role", name: role.roleName }, input.PermissionsBoundary);
        ctx.tx.afterCommit(deps.forgetPolicies);
      },
    }),
    DeleteRolePermissionsBoundary: operation<iam.DeleteRolePermissionsBoundaryRequest, void>({
      readOnly: false,
      recorded: true,
      authorize: (input, ctx) => roleFacts(ctx, input.RoleName),
      async handle(input, ctx) {
        const role = await requireRole(ctx, input.RoleName);
        await ctx.tx.iam.setPermissionsBoundary(ctx.accountId, { kind: "role", name: role.roleName }, undefined);
        ctx.tx.afterCommit(deps.forgetPolicies);
      },
    }),
  };
}
