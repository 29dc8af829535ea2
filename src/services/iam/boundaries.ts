/** Put/Delete{User,Role}PermissionsBoundary: a managed policy that caps what the entity's policies can grant. */
import type * as iam from "../../generated/iam.js";
import type { PolicyOwner } from "../../store/iam-records.js";
import { onRole, onUser, requireBoundaryPolicy } from "./entities.js";
import type { AuthorizationFacts, OperationContext } from "../operation.js";

/** `iam:PermissionsBoundary` of a Put…PermissionsBoundary call is the boundary being set. */
const newBoundary = (input: { PermissionsBoundary: string }): AuthorizationFacts => ({ conditions: { "iam:PermissionsBoundary": input.PermissionsBoundary } });

/** Sets (an account's managed policy) or removes (undefined) an entity's boundary; cached policies go once committed. */
async function setBoundary(ctx: OperationContext, owner: PolicyOwner, arn: string | undefined): Promise<void> {
  await requireBoundaryPolicy(ctx, arn);
  await ctx.tx.iam.setPermissionsBoundary(ctx.accountId, owner, arn);
}

export const PutUserPermissionsBoundary = onUser<iam.PutUserPermissionsBoundaryRequest, void>({ facts: newBoundary }, (input, ctx, user) =>
  setBoundary(ctx, { kind: "user", name: user.userName }, input.PermissionsBoundary),
);

export const DeleteUserPermissionsBoundary = onUser<iam.DeleteUserPermissionsBoundaryRequest, void>({ boundary: true }, (_input, ctx, user) =>
  setBoundary(ctx, { kind: "user", name: user.userName }, undefined),
);

export const PutRolePermissionsBoundary = onRole<iam.PutRolePermissionsBoundaryRequest, void>({ facts: newBoundary }, (input, ctx, role) =>
  setBoundary(ctx, { kind: "role", name: role.roleName }, input.PermissionsBoundary),
);

export const DeleteRolePermissionsBoundary = onRole<iam.DeleteRolePermissionsBoundaryRequest, void>({ boundary: true }, (_input, ctx, role) =>
  setBoundary(ctx, { kind: "role", name: role.roleName }, undefined),
);
