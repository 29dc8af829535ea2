import type * as iam from "../../generated/iam.js";
import { requestTagConditions } from "../request-tags.js";
import { noResourceType, operation, type OperationContext } from "../operation.js";
import { deleteConflict, entityAlreadyExists, limitExceeded } from "./errors.js";
import { boundaryShape, createFacts, onUser, page, requireBoundaryPolicy, requireNoPolicies, requireUser, userFacts } from "./entities.js";
import { uniqueId, userArn } from "./ids.js";
import type { IamUserRecord } from "../../store/iam-records.js";
import type { Tag } from "../../store/records.js";
import { retargetTrustPolicies } from "./trust-principals.js";

const MAX_TAGS = 50;

function userShape(u: IamUserRecord, tags?: Tag[]): iam.User {
  const out: iam.User = { Path: u.path, UserName: u.userName, UserId: u.userId, Arn: u.arn, CreateDate: u.createDate };
  const boundary = boundaryShape(u.permissionsBoundary);
  if (boundary) out.PermissionsBoundary = boundary;
  if (tags && tags.length > 0) out.Tags = tags;
  return out;
}

export const CreateUser = operation<iam.CreateUserRequest, iam.CreateUserResponse>({
  authorize: (input, ctx) => createFacts(userArn(ctx.accountId, input.Path ?? "/", input.UserName), input, "iam:TagUser"),
  async handle(input, ctx) {
    if (await ctx.tx.iam.getUser(ctx.accountId, input.UserName)) throw entityAlreadyExists(`User with name ${input.UserName} already exists.`);
    await requireBoundaryPolicy(ctx, input.PermissionsBoundary);
    const path = input.Path ?? "/";
    const user: IamUserRecord = {
      accountId: ctx.accountId,
      userName: input.UserName,
      userId: uniqueId("AIDA"),
      path,
      arn: userArn(ctx.accountId, path, input.UserName),
      createDate: ctx.now,
    };
    if (input.PermissionsBoundary !== undefined) user.permissionsBoundary = input.PermissionsBoundary;
    await ctx.tx.iam.createUser(user);
    if (input.Tags && input.Tags.length > 0) await ctx.tx.tags.put(user.arn, input.Tags);
    return { User: userShape(user, input.Tags) };
  },
});

export const GetUser = operation<iam.GetUserRequest, iam.GetUserResponse>({
  authorize: (input, ctx) => userFacts(ctx, input.UserName),
  async handle(input, ctx) {
    const p = ctx.principal;
    if (input.UserName === undefined && p.type === "Root") {
      // The root user has no name: AWS leaves UserName out.
      return { User: { Path: "/", UserId: p.accountId, Arn: p.arn, CreateDate: ctx.now } as iam.User };
    }
    const name = input.UserName ?? (p.type === "IAMUser" ? p.userName : "");
    const user = await requireUser(ctx, name);
    return { User: userShape(user, await ctx.tx.tags.list(user.arn)) };
  },
});

export const ListUsers = operation<iam.ListUsersRequest, iam.ListUsersResponse>({
  authorize: noResourceType,
  async handle(input, ctx) {
    const max = input.MaxItems ?? 100;
    const users = await ctx.tx.iam.listUsers(ctx.accountId, input.PathPrefix ?? "/", max + 1, input.Marker);
    const { items, IsTruncated, Marker } = page(users, max, (u) => u.userName);
    return { Users: items.map((u) => userShape(u)), IsTruncated, Marker };
  },
});

/** Deletes a user: its sessions die with it, and trust policies naming it name its unique id from then on. */
export const DeleteUser = onUser<iam.DeleteUserRequest, void>({}, async (_input, ctx, user) => {
  const owner = { kind: "user", name: user.userName } as const;
  if ((await ctx.tx.iam.listAccessKeys(ctx.accountId, user.userName)).length > 0) throw deleteConflict("Cannot delete entity, must delete access keys first.");
  if ((await ctx.tx.iam.groupsOfUser(ctx.accountId, user.userName)).length > 0) throw deleteConflict("Cannot delete entity, must remove users from group first.");
  await requireNoPolicies(ctx, owner);
  await ctx.tx.tags.removeAll(user.arn);
  await ctx.tx.iam.deleteUser(ctx.accountId, user.userName);
  await retargetTrustPolicies(ctx, user.arn, user.userId);
});

/** A user's tags are its `aws:PrincipalTag`s (the store's change stream clears the cached ones). */
export const TagUser = onUser<iam.TagUserRequest, void>({ facts: (input) => ({ conditions: requestTagConditions(input.Tags) }) }, async (input, ctx, user) => {
  const existing = await ctx.tx.tags.list(user.arn);
  const keys = new Set([...existing.map((t) => t.Key), ...input.Tags.map((t) => t.Key)]);
  if (keys.size > MAX_TAGS) throw limitExceeded(`The number of tags has reached the maximum limit.`);
  await ctx.tx.tags.put(user.arn, input.Tags);
});

export const UntagUser = onUser<iam.UntagUserRequest, void>({ facts: (input) => ({ conditions: { "aws:TagKeys": input.TagKeys } }) }, async (input, ctx, user) => {
  await ctx.tx.tags.remove(user.arn, input.TagKeys);
});

export const ListUserTags = onUser<iam.ListUserTagsRequest, iam.ListUserTagsResponse>({}, async (_input, ctx, user) => {
  return { Tags: await ctx.tx.tags.list(user.arn), IsTruncated: false };
});

/** Where UpdateUser would put the user: the same ARN when nothing changes. */
function renamed(ctx: OperationContext, user: IamUserRecord, input: iam.UpdateUserRequest): { userName: string; path: string; arn: string } {
  const userName = input.NewUserName ?? user.userName;
  const path = input.NewPath ?? user.path;
  return { userName, path, arn: userArn(ctx.accountId, path, userName) };
}

/**
 * Renames or moves a user. AWS authorises it on the current and the new name and path, so a caller confined to a
 * path cannot move a user out of it. Trust policies follow it to its new ARN (its keys' cached identities are
 * dropped through the store's change stream).
 */
export const UpdateUser = operation<iam.UpdateUserRequest, void>({
  async authorize(input, ctx) {
    const facts = await userFacts(ctx, input.UserName);
    const user = await ctx.tx.iam.getUser(ctx.accountId, input.UserName);
    if (!user) return facts;
    const target = renamed(ctx, user, input).arn;
    return target === user.arn ? facts : { ...facts, resources: [user.arn, target] };
  },
  async handle(input, ctx) {
    const user = await requireUser(ctx, input.UserName);
    const next = renamed(ctx, user, input);
    if (next.userName.toLowerCase() !== user.userName.toLowerCase() && (await ctx.tx.iam.getUser(ctx.accountId, next.userName))) {
      throw entityAlreadyExists(`User with name ${next.userName} already exists.`);
    }
    await ctx.tx.iam.updateUser(ctx.accountId, user.userName, { ...user, ...next });
    await retargetTrustPolicies(ctx, user.arn, next.arn);
  },
});
