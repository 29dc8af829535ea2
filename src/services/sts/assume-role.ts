import type * as sts from "../../generated/sts.js";
import type { AssumedRolePrincipal } from "../../auth/principal.js";
import type { SecretBox } from "../../auth/secret-box.js";
import { ServiceError } from "../../protocol/errors.js";
import { operation } from "../operation.js";
import { accessDenied } from "../../auth/authorizer.js";
import { isoSeconds, issueCredentials } from "./credentials.js";
import { sessionPolicies } from "./session-policies.js";

const DEFAULT_DURATION = 3600;
const ROLE_CHAINING_MAX = 3600;

/** `arn:aws:iam::{account}:role/{path}{name}` → account and name. */
function parseRoleArn(arn: string): { accountId: string; roleName: string } | undefined {
  const m = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/.exec(arn);
  return m ? { accountId: m[1]!, roleName: m[2]! } : undefined;
}

export function assumeRole(box: SecretBox) {
  return operation<sts.AssumeRoleRequest, sts.AssumeRoleResponse>({
    readOnly: true,
    recorded: true,
    recordsResponse: true,
    // The role's trust policy decides; the caller's identity policies too unless the trust policy names it exactly.
    async authorize(input, ctx) {
      const ref = parseRoleArn(input.RoleArn);
      const role = ref && ref.accountId === ctx.accountId ? await ctx.tx.iam.getRole(ctx.accountId, ref.roleName) : undefined;
      return {
        resources: [input.RoleArn],
        conditions: {
          "sts:RoleSessionName": input.RoleSessionName,
          ...(input.ExternalId !== undefined ? { "sts:ExternalId": input.ExternalId } : {}),
        },
        resourcePolicy: { document: role?.trustPolicy, kind: "role trust" },
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
      if (caller.type === "Root") throw new ServiceError("AccessDenied", "Roles may not be assumed by root accounts.", { httpStatus: 403 });
      const ref = parseRoleArn(input.RoleArn);
      const role = ref ? await ctx.tx.iam.getRole(ctx.accountId, ref.roleName) : undefined;
      if (!role) throw accessDenied("query", caller.arn, "sts:AssumeRole", input.RoleArn, { allowed: false, explicit: false, policyType: "role trust" });
      const duration = input.DurationSeconds ?? DEFAULT_DURATION;
      if (caller.type === "AssumedRole" && duration > ROLE_CHAINING_MAX) {
        throw new ServiceError("ValidationError", "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
      }
      if (duration > role.maxSessionDuration) {
        throw new ServiceError("ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
      }
      const policies = await sessionPolicies(ctx, input);
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
          ...(policies ? { sessionPolicies: policies.documents } : {}),
        },
        ...(caller.type === "AWSService" ? { invokedBy: caller.service } : {}),
      };
      const credentials = await issueCredentials(ctx, box, principal, duration);
      const out: sts.AssumeRoleResponse = {
        Credentials: credentials,
        AssumedRoleUser: { AssumedRoleId: principal.principalId, Arn: sessionArn },
      };
      if (policies) out.PackedPolicySize = policies.packedSize;
      return out;
    },
  });
}
