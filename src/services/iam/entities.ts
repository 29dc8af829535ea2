import { operation, type AuthorizationFacts, type OperationContext } from "../operation.js";
import type { IamGroupRecord, IamRoleRecord, IamUserRecord, PolicyOwner } from "../../store/iam-records.js";
import { deleteConflict, noSuchEntity } from "./errors.js";
import { taggedCreate } from "../request-tags.js";
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

/**
 * The keys of a user or role the call is on: its tags as `aws:ResourceTag/<key>` and `iam:ResourceTag/<key>`, and
 * for the calls AWS lists with `iam:PermissionsBoundary` (`boundary: true`), the boundary it has now.
 */
function entityFacts(arn: string, tags: { Key: string; Value: string }[], boundaryArn: string | undefined, boundary: boolean, extra: AuthorizationFacts): AuthorizationFacts {
  const conditions: Record<string, string | string[]> = {};
  for (const t of tags) conditions[`iam:ResourceTag/${t.Key}`] = t.Value;
  if (boundary && boundaryArn !== undefined) conditions["iam:PermissionsBoundary"] = boundaryArn;
  return { ...extra, resources: [arn], resourceTags: tags, conditions: { ...conditions, ...extra.conditions } };
}

/** The facts of a call on a user: its ARN (with path when it exists), its tags, and (`boundary`) its boundary. */
export async function userFacts(ctx: OperationContext, userName: string | undefined, extra: AuthorizationFacts = {}, boundary = false): Promise<AuthorizationFacts> {
  const name = userName ?? (ctx.principal.type === "IAMUser" ? ctx.principal.userName : undefined);
  if (name === undefined) return extra;
  const user = await ctx.tx.iam.getUser(ctx.accountId, name);
  const arn = user?.arn ?? userArn(ctx.accountId, "/", name);
  return entityFacts(arn, user ? await ctx.tx.tags.list(arn) : [], user?.permissionsBoundary, boundary, extra);
}

export async function roleFacts(ctx: OperationContext, roleName: string, extra: AuthorizationFacts = {}, boundary = false): Promise<AuthorizationFacts> {
  const role = await ctx.tx.iam.getRole(ctx.accountId, roleName);
  const arn = role?.arn ?? roleArn(ctx.accountId, "/", roleName);
  return entityFacts(arn, role ? await ctx.tx.tags.list(arn) : [], role?.permissionsBoundary, boundary, extra);
}

/** CreateUser/CreateRole: the new entity's ARN, its tags (which need `tagAction` too) and its `iam:PermissionsBoundary`. */
export function createFacts(arn: string, input: { Tags?: { Key: string; Value: string }[]; PermissionsBoundary?: string }, tagAction: string): AuthorizationFacts {
  const facts = taggedCreate(input.Tags, tagAction);
  if (input.PermissionsBoundary !== undefined) facts.conditions["iam:PermissionsBoundary"] = input.PermissionsBoundary;
  return { resources: [arn], ...facts };
}

/** A permissions boundary must be one of the account's managed policies. */
/** A user, group or role is deleted only once it has no inline or attached policies left (DeleteConflict). */
export async function requireNoPolicies(ctx: OperationContext, owner: PolicyOwner): Promise<void> {
  if ((await ctx.tx.iam.listInlinePolicies(ctx.accountId, owner)).length > 0) throw deleteConflict("Cannot delete entity, must delete policies first.");
  if ((await ctx.tx.iam.listAttached(ctx.accountId, owner)).length > 0) throw deleteConflict("Cannot delete entity, must detach all policies first.");
}

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

/** What a call about one existing entity is authorised with beyond the entity's own facts. */
export interface EntityCall<I> {
  facts?: (input: I) => AuthorizationFacts;
  /** AWS sets `iam:PermissionsBoundary` (the entity's boundary, unless `facts` names the new one) on this call. */
  boundary?: boolean;
}

type EntityHandler<I, O, E> = (input: I, ctx: OperationContext, entity: E) => Promise<O>;

/** A call about one existing user, authorised against its ARN and tags; `handle` gets the user. */
export function onUser<I extends { UserName: string }, O>(call: EntityCall<I>, handle: EntityHandler<I, O, IamUserRecord>) {
  return operation<I, O>({
    authorize: (input, ctx) => userFacts(ctx, input.UserName, call.facts?.(input), call.boundary),
    handle: async (input, ctx) => handle(input, ctx, await requireUser(ctx, input.UserName)),
  });
}

/** A call about one existing role, authorised against its ARN and tags; `handle` gets the role. */
export function onRole<I extends { RoleName: string }, O>(call: EntityCall<I>, handle: EntityHandler<I, O, IamRoleRecord>) {
  return operation<I, O>({
    authorize: (input, ctx) => roleFacts(ctx, input.RoleName, call.facts?.(input), call.boundary),
    handle: async (input, ctx) => handle(input, ctx, await requireRole(ctx, input.RoleName)),
  });
}

/** A call about one existing group, authorised against its ARN; `handle` gets the group. */
export function onGroup<I extends { GroupName: string }, O>(handle: EntityHandler<I, O, IamGroupRecord>) {
  return operation<I, O>({
    authorize: (input, ctx) => groupFacts(ctx, input.GroupName),
    handle: async (input, ctx) => handle(input, ctx, await requireGroup(ctx, input.GroupName)),
  });
}
