import { accessDenied, type AuthFailure } from "../../protocol/auth-failures.js";
import { commonErrors } from "../../protocol/common-errors.js";
import type * as sts from "../../generated/sts.js";
import type { AssumedRolePrincipal, Principal } from "../../auth/principal.js";
import { requestTagConditions } from "../request-tags.js";
import { operation, type OperationContext } from "../operation.js";
import type { IamRoleRecord } from "../../store/iam-records.js";
import { roleByArn } from "../iam/arns.js";
import { isoSeconds } from "../../protocol/timestamps.js";
import { issueCredentials } from "./credentials.js";
import { packedPolicySize, sessionPolicies } from "./session-policies.js";
import { sourceIdentityOf } from "./source-identity.js";

const DEFAULT_DURATION = 3600;
const ROLE_CHAINING_MAX = 3600;

/**
 * A new session's tags: those passed now, over the transitive tags of the session that assumes (role chaining).
 * Keys listed in TransitiveTagKeys pass on again.
 */
function sessionTags(
  caller: Principal,
  passed: { Key: string; Value: string }[] | undefined,
  transitiveKeys: string[] | undefined,
): { all: Record<string, string>; transitive: Record<string, string> } {
  const inherited = caller.type === "AssumedRole" ? (caller.session.transitiveTags ?? {}) : {};
  const given = Object.fromEntries((passed ?? []).map((t) => [t.Key, t.Value]));
  const transitive: Record<string, string> = { ...inherited };
  for (const key of transitiveKeys ?? []) if (given[key] !== undefined) transitive[key] = given[key];
  return { all: { ...inherited, ...given }, transitive };
}

/** AWS's answer to a RoleArn that names no role of the account exactly: AccessDenied on the ARN as sent. */
function unknownRole(callerArn: string, roleArn: string): AuthFailure {
  return accessDenied(`User: ${callerArn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
}

/** The role the RoleArn names exactly (see services/iam/arns.ts), else AccessDenied before any policy is read. */
async function requireRole(ctx: OperationContext, roleArn: string): Promise<IamRoleRecord> {
  const role = await roleByArn(ctx.tx.iam, ctx.accountId, roleArn);
  if (!role) throw unknownRole(ctx.principal.arn, roleArn);
  return role;
}

export const AssumeRole = operation<sts.AssumeRoleRequest, sts.AssumeRoleResponse>({
  // "Assume" says nothing about writing: CloudTrail records AssumeRole as a read.
  readOnly: true,
  recordsResponse: true,
  // The role's trust policy decides; the caller's identity policies too unless the trust policy names it exactly.
  // Every policy sees the stored role's ARN, never a look-alike the caller sent.
  async authorize(input, ctx) {
    const role = await requireRole(ctx, input.RoleArn);
    const sourceIdentity = sourceIdentityOf(ctx.principal, input.SourceIdentity);
    const roleTags = await ctx.tx.tags.list(role.arn);
    return {
      resources: [role.arn],
      // Passing session tags needs sts:TagSession too, and a source identity (asked for or carried on by role
      // chaining) sts:SetSourceIdentity, in the trust policy as in the caller's policies.
      additionalActions: [...(input.Tags && input.Tags.length > 0 ? ["sts:TagSession"] : []), ...(sourceIdentity !== undefined ? ["sts:SetSourceIdentity"] : [])],
      conditions: {
        "sts:RoleSessionName": input.RoleSessionName,
        ...(input.ExternalId !== undefined ? { "sts:ExternalId": input.ExternalId } : {}),
        ...(input.TransitiveTagKeys && input.TransitiveTagKeys.length > 0 ? { "sts:TransitiveTagKeys": input.TransitiveTagKeys } : {}),
        ...(sourceIdentity !== undefined ? { "sts:SourceIdentity": sourceIdentity } : {}),
        ...requestTagConditions(input.Tags),
        ...Object.fromEntries(roleTags.map((t) => [`iam:ResourceTag/${t.Key}`, t.Value])),
      },
      resourceTags: roleTags,
      resourcePolicy: { document: role.trustPolicy, kind: "role trust" },
    };
  },
  // As Event history shows AssumeRole: the new key, the session three ways, the role.
  resources: (input, output) => [
    ...(output?.Credentials ? [{ type: "AWS::IAM::AccessKey", name: output.Credentials.AccessKeyId }] : []),
    ...(output?.AssumedRoleUser
      ? [input.RoleSessionName, output.AssumedRoleUser.AssumedRoleId, output.AssumedRoleUser.Arn].map((name) => ({ type: "AWS::STS::AssumedRole", name }))
      : []),
    { type: "AWS::IAM::Role", name: input.RoleArn },
  ],
  async handle(input, ctx) {
    const caller = ctx.principal;
    if (caller.type === "Root") throw accessDenied("Roles may not be assumed by root accounts.");
    const role = await requireRole(ctx, input.RoleArn);
    const duration = input.DurationSeconds ?? DEFAULT_DURATION;
    if (caller.type === "AssumedRole" && duration > ROLE_CHAINING_MAX) {
      throw commonErrors.ValidationError("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
    }
    if (duration > role.maxSessionDuration) {
      throw commonErrors.ValidationError("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
    }
    const sourceIdentity = sourceIdentityOf(caller, input.SourceIdentity);
    const policies = await sessionPolicies(ctx, input);
    const packed = packedPolicySize(input);
    const tags = sessionTags(caller, input.Tags, input.TransitiveTagKeys);
    const roleTags = Object.fromEntries((await ctx.tx.tags.list(role.arn)).map((t) => [t.Key, t.Value]));
    const sessionArn = `arn:aws:sts::${role.accountId}:assumed-role/${role.roleName}/${input.RoleSessionName}`;
    const principal: Omit<AssumedRolePrincipal, "accessKeyId"> = {
      type: "AssumedRole",
      accountId: role.accountId,
      arn: sessionArn,
      principalId: `${role.roleId}:${input.RoleSessionName}`,
      roleName: role.roleName,
      roleArn: role.arn,
      sessionName: input.RoleSessionName,
      session: {
        origin: "AssumeRole",
        creationDate: isoSeconds(ctx.now),
        mfaAuthenticated: false,
        issuer: { type: "Role", principalId: role.roleId, arn: role.arn, accountId: role.accountId, userName: role.roleName },
        ...(policies ? { sessionPolicies: policies } : {}),
        ...(sourceIdentity !== undefined ? { sourceIdentity } : {}),
        ...(Object.keys(tags.transitive).length > 0 ? { transitiveTags: tags.transitive } : {}),
      },
      // Session tags win over the role's tags of the same key.
      ...(Object.keys(roleTags).length + Object.keys(tags.all).length > 0 ? { tags: { ...roleTags, ...tags.all } } : {}),
      ...(caller.type === "AWSService" ? { invokedBy: caller.service } : {}),
    };
    const credentials = await issueCredentials(ctx, principal, duration);
    const out: sts.AssumeRoleResponse = {
      Credentials: credentials,
      AssumedRoleUser: { AssumedRoleId: principal.principalId, Arn: sessionArn },
    };
    if (packed !== undefined) out.PackedPolicySize = packed;
    if (sourceIdentity !== undefined) out.SourceIdentity = sourceIdentity;
    return out;
  },
});
