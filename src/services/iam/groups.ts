/** Groups: their members take on the group's inline and attached policies. */
import type * as iam from "../../generated/iam.js";
import { noResourceType, operation } from "../operation.js";
import type { IamGroupRecord } from "../../store/iam-records.js";
import { deleteConflict, entityAlreadyExists, noSuchEntity } from "./errors.js";
import { onGroup, page, requireNoPolicies, requireUser, userFacts } from "./entities.js";
import { groupArn, uniqueId } from "./ids.js";

function groupShape(g: IamGroupRecord): iam.Group {
  return { Path: g.path, GroupName: g.groupName, GroupId: g.groupId, Arn: g.arn, CreateDate: g.createDate };
}

export const CreateGroup = operation<iam.CreateGroupRequest, iam.CreateGroupResponse>({
  authorize: (input, ctx) => ({ resources: [groupArn(ctx.accountId, input.Path ?? "/", input.GroupName)] }),
  async handle(input, ctx) {
    if (await ctx.tx.iam.getGroup(ctx.accountId, input.GroupName)) throw entityAlreadyExists(`Group with name ${input.GroupName} already exists.`);
    const path = input.Path ?? "/";
    const group: IamGroupRecord = {
      accountId: ctx.accountId,
      groupName: input.GroupName,
      groupId: uniqueId("AGPA"),
      path,
      arn: groupArn(ctx.accountId, path, input.GroupName),
      createDate: ctx.now,
    };
    await ctx.tx.iam.createGroup(group);
    return { Group: groupShape(group) };
  },
});

export const GetGroup = onGroup<iam.GetGroupRequest, iam.GetGroupResponse>(async (_input, ctx, group) => {
  const members = await ctx.tx.iam.groupMembers(ctx.accountId, group.groupName);
  return {
    Group: groupShape(group),
    Users: members.map((u) => ({ Path: u.path, UserName: u.userName, UserId: u.userId, Arn: u.arn, CreateDate: u.createDate })),
    IsTruncated: false,
  };
});

export const ListGroups = operation<iam.ListGroupsRequest, iam.ListGroupsResponse>({
  authorize: noResourceType,
  async handle(input, ctx) {
    const max = input.MaxItems ?? 100;
    const groups = await ctx.tx.iam.listGroups(ctx.accountId, input.PathPrefix ?? "/", max + 1, input.Marker);
    const { items, IsTruncated, Marker } = page(groups, max, (g) => g.groupName);
    return { Groups: items.map(groupShape), IsTruncated, Marker };
  },
});

export const DeleteGroup = onGroup<iam.DeleteGroupRequest, void>(async (_input, ctx, group) => {
  const owner = { kind: "group", name: group.groupName } as const;
  if ((await ctx.tx.iam.groupMembers(ctx.accountId, group.groupName)).length > 0) throw deleteConflict("Cannot delete entity, must remove users from group first.");
  await requireNoPolicies(ctx, owner);
  await ctx.tx.iam.deleteGroup(ctx.accountId, group.groupName);
});

export const AddUserToGroup = onGroup<iam.AddUserToGroupRequest, void>(async (input, ctx, group) => {
  const user = await requireUser(ctx, input.UserName);
  await ctx.tx.iam.addUserToGroup(ctx.accountId, group.groupName, user.userName);
});

export const RemoveUserFromGroup = onGroup<iam.RemoveUserFromGroupRequest, void>(async (input, ctx, group) => {
  const user = await requireUser(ctx, input.UserName);
  const members = await ctx.tx.iam.groupMembers(ctx.accountId, group.groupName);
  if (!members.some((m) => m.userId === user.userId)) {
    throw noSuchEntity(`The user with name ${user.userName} is not in group ${group.groupName}.`);
  }
  await ctx.tx.iam.removeUserFromGroup(ctx.accountId, group.groupName, user.userName);
});

export const ListGroupsForUser = operation<iam.ListGroupsForUserRequest, iam.ListGroupsForUserResponse>({
  authorize: (input, ctx) => userFacts(ctx, input.UserName),
  async handle(input, ctx) {
    const user = await requireUser(ctx, input.UserName);
    return { Groups: (await ctx.tx.iam.groupsOfUser(ctx.accountId, user.userName)).map(groupShape), IsTruncated: false };
  },
});
