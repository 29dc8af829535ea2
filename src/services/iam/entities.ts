import type { OperationContext, AuthorizationFacts } from "../operation.js";
import type { IamGroupRecord, IamRoleRecord, IamUserRecord } from "../../store/iam-records.js";
import { noSuchEntity } from "./errors.js";
import { groupArn, roleArn, userArn } from "./ids.js";

export async function requireUser(ctx: OperationContext, userName: string): Promise<IamUserRecord> {
  const user = await ctx.tx.iam.getUser(ctx.accountId, userName);
  if (!user) throw noSuchEntity(`The user with name ${userName} cannot be found.`);
  return user;
}

export async function requireGroup(ctx: OperationContext, groupName: string): Promise<IamGroupRecord> {
  const group = await ctx.tx.iam.getGroup(ctx.accountId, groupName);
  if (!group) throw noSuchEntity(`The group with name ${groupName} cannot be found.`);
  return group;
}

export async function groupFacts(ctx: OperationContext, groupName: string): Promise<AuthorizationFacts> {
  const group = await ctx.tx.iam.getGroup(ctx.accountId, groupName);
  return { resources: [group?.arn ?? groupArn(ctx.accountId, "/", groupName)] };
}

export async function requireRole(ctx: OperationContext, roleName: string): Promise<IamRoleRecord> {
  const role = await ctx.tx.iam.getRole(ctx.accountId, roleName);
  if (!role) throw noSuchEntity(`The role with name ${roleName} cannot be found.`);
  return role;
}

/** The facts of a call on a user: its ARN (with path when it exists) and its tags. */
export async function userFacts(ctx: OperationContext, userName: string | undefined, extra: AuthorizationFacts = {}): Promise<AuthorizationFacts> {
  const name = userName ?? (ctx.principal.type === "IAMUser" ? ctx.principal.userName : undefined);
  if (name === undefined) return extra;
  const user = await ctx.tx.iam.getUser(ctx.accountId, name);
  const arn = user?.arn ?? userArn(ctx.accountId, "/", name);
  return { ...extra, resources: [arn], resourceTags: user ? await ctx.tx.tags.list(arn) : [] };
}

export async function roleFacts(ctx: OperationContext, roleName: string, extra: AuthorizationFacts = {}): Promise<AuthorizationFacts> {
  const role = await ctx.tx.iam.getRole(ctx.accountId, roleName);
  const arn = role?.arn ?? roleArn(ctx.accountId, "/", roleName);
  return { ...extra, resources: [arn], resourceTags: role ? await ctx.tx.tags.list(arn) : [] };
}

/** A permissions boundary must be one of the account's managed policies. */
export async function requireBoundaryPolicy(ctx: OperationContext, arn: string | undefined): Promise<void> {
  if (arn === undefined) return;
  const policy = await ctx.tx.iam.getPolicy(arn);
  if (!policy || policy.accountId !== ctx.accountId) throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
}

/** How GetUser / GetRole show a boundary. */
export function boundaryShape(arn: string | undefined): { PermissionsBoundaryType: "PermissionsBoundaryPolicy"; PermissionsBoundaryArn: string } | undefined {
  return arn === undefined ? undefined : { PermissionsBoundaryType: "PermissionsBoundaryPolicy", PermissionsBoundaryArn: arn };
}

/** IAM list paging: `Marker` is the last name returned, `MaxItems` 1–1000 (default 100). */
export function page<T>(items: T[], maxItems: number | undefined, nameOf: (t: T) => string): { items: T[]; IsTruncated: boolean; Marker?: string } {
  const max = maxItems ?? 100;
  if (items.length <= max) return { items, IsTruncated: false };
  const shown = items.slice(0, max);
  return { items: shown, IsTruncated: true, Marker: nameOf(shown[shown.length - 1]!) };
}
