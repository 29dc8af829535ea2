import type * as iam from "../../generated/iam.js";
import { newAccessKeyId, newSecretAccessKey } from "../../auth/bootstrap.js";
import { operation, type OperationContext } from "../operation.js";
import type { IamUserRecord } from "../../store/iam-records.js";
import { limitExceeded, noSuchEntity } from "./errors.js";
import { requireUser, userFacts } from "./entities.js";

const KEYS_PER_USER = 2;

/** The user a key call is about: the one named, else the calling IAM user. */
function targetUser(ctx: OperationContext, userName: string | undefined): string {
  if (userName !== undefined) return userName;
  if (ctx.principal.type === "IAMUser") return ctx.principal.userName;
  throw noSuchEntity("The user with name (root) cannot be found; root access keys are managed by the `cairn` configuration.");
}

async function requireKey(ctx: OperationContext, userName: string, accessKeyId: string) {
  const key = (await ctx.tx.iam.listAccessKeys(ctx.accountId, userName)).find((k) => k.accessKeyId === accessKeyId);
  if (!key) throw noSuchEntity(`The Access Key with id ${accessKeyId} cannot be found.`);
  return key;
}

/** A call about the access keys of one existing user (see targetUser); `handle` gets the user. */
function onKeyOwner<I extends { UserName?: string }, O>(handle: (input: I, ctx: OperationContext, user: IamUserRecord) => Promise<O>) {
  return operation<I, O>({
    authorize: (input, ctx) => userFacts(ctx, input.UserName),
    handle: async (input, ctx) => handle(input, ctx, await requireUser(ctx, targetUser(ctx, input.UserName))),
  });
}

export const CreateAccessKey = onKeyOwner<iam.CreateAccessKeyRequest, iam.CreateAccessKeyResponse>(async (_input, ctx, user) => {
  if ((await ctx.tx.iam.listAccessKeys(ctx.accountId, user.userName)).length >= KEYS_PER_USER) {
    throw limitExceeded(`Cannot exceed quota for AccessKeysPerUser: ${KEYS_PER_USER}`);
  }
  const accessKeyId = newAccessKeyId("AKIA");
  const secret = newSecretAccessKey();
  await ctx.tx.accounts.createAccessKey({
    accessKeyId,
    accountId: ctx.accountId,
    secretAccessKey: ctx.deps.box.seal(secret),
    status: "Active",
    createdAt: ctx.now,
    userName: user.userName,
  });
  // The only time the secret leaves the server; CloudTrail leaves it out (the model marks it sensitive).
  return { AccessKey: { UserName: user.userName, AccessKeyId: accessKeyId, Status: "Active", SecretAccessKey: secret, CreateDate: ctx.now } };
});

export const ListAccessKeys = onKeyOwner<iam.ListAccessKeysRequest, iam.ListAccessKeysResponse>(async (_input, ctx, user) => {
  const keys = await ctx.tx.iam.listAccessKeys(ctx.accountId, user.userName);
  return {
    AccessKeyMetadata: keys.map((k) => ({ UserName: user.userName, AccessKeyId: k.accessKeyId, Status: k.status, CreateDate: k.createdAt })),
    IsTruncated: false,
  };
});

export const UpdateAccessKey = onKeyOwner<iam.UpdateAccessKeyRequest, void>(async (input, ctx, user) => {
  await requireKey(ctx, user.userName, input.AccessKeyId);
  await ctx.tx.iam.updateAccessKeyStatus(input.AccessKeyId, input.Status as "Active" | "Inactive");
});

export const DeleteAccessKey = onKeyOwner<iam.DeleteAccessKeyRequest, void>(async (input, ctx, user) => {
  await requireKey(ctx, user.userName, input.AccessKeyId);
  await ctx.tx.iam.deleteAccessKey(input.AccessKeyId);
});
