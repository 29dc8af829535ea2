import { accessDenied } from "../../protocol/auth-failures.js";
import type * as sts from "../../generated/sts.js";
import type { FederatedUserPrincipal, Principal, SessionIssuer } from "../../auth/principal.js";
import { neverDenied, operation } from "../operation.js";
import { requestTagConditions } from "../request-tags.js";
import { isoSeconds } from "../../protocol/timestamps.js";
import { issueCredentials } from "./credentials.js";
import { packedPolicySize, sessionPolicies } from "./session-policies.js";

const DEFAULT_DURATION = 43200;
/** Root's sessions last at most an hour; longer requests fall back to it, as AWS does. */
const ROOT_MAX_DURATION = 3600;

function longTermCaller(principal: Principal, operationName: string): Extract<Principal, { type: "Root" | "IAMUser" }> {
  if ((principal.type === "Root" || principal.type === "IAMUser") && !principal.session) return principal;
  throw accessDenied(`Cannot call ${operationName} with session credentials`);
}

function duration(requested: number | undefined, caller: { type: string }): number {
  const d = requested ?? DEFAULT_DURATION;
  return caller.type === "Root" ? Math.min(d, ROOT_MAX_DURATION) : d;
}

export const GetSessionToken = operation<sts.GetSessionTokenRequest, sts.GetSessionTokenResponse>({
  // "Permissions for GetSessionToken" (IAM User Guide): no policy can allow or deny it.
  authorize: neverDenied,
  // As AWS records it: the new key and its session token (never the secret, which the model marks sensitive).
  recordsResponse: true,
  async handle(input, ctx) {
    const caller = longTermCaller(ctx.principal, "GetSessionToken");
    const { accessKeyId: _key, ...identity } = caller;
    const principal = { ...identity, session: { origin: "GetSessionToken" as const, creationDate: isoSeconds(ctx.now), mfaAuthenticated: false } };
    return { Credentials: await issueCredentials(ctx, principal, duration(input.DurationSeconds, caller)) };
  },
});

export const GetFederationToken = operation<sts.GetFederationTokenRequest, sts.GetFederationTokenResponse>({
  recordsResponse: true,
  // Checked against the federated user's ARN, as AWS's Service Authorization Reference lists it.
  authorize: (input, ctx) => ({
    resources: [`arn:aws:sts::${ctx.accountId}:federated-user/${input.Name}`],
    additionalActions: input.Tags && input.Tags.length > 0 ? ["sts:TagSession"] : [],
    conditions: requestTagConditions(input.Tags),
  }),
  resources: (_input, output) => (output?.FederatedUser ? [{ type: "AWS::STS::FederatedUser", name: output.FederatedUser.Arn }] : []),
  async handle(input, ctx) {
    const caller = longTermCaller(ctx.principal, "GetFederationToken");
    const policies = await sessionPolicies(ctx, input);
    const packed = packedPolicySize(input);
    const issuer: SessionIssuer = { type: caller.type, principalId: caller.principalId, arn: caller.arn, accountId: caller.accountId };
    if (caller.type === "IAMUser") issuer.userName = caller.userName;
    const arn = `arn:aws:sts::${ctx.accountId}:federated-user/${input.Name}`;
    const principal: Omit<FederatedUserPrincipal, "accessKeyId"> = {
      type: "FederatedUser",
      accountId: ctx.accountId,
      arn,
      principalId: `${ctx.accountId}:${input.Name}`,
      federatedName: input.Name,
      // Without session policies a federated user may do nothing.
      session: { origin: "GetFederationToken", creationDate: isoSeconds(ctx.now), mfaAuthenticated: false, issuer, sessionPolicies: policies ?? [] },
    };
    if (input.Tags && input.Tags.length > 0) principal.tags = Object.fromEntries(input.Tags.map((t) => [t.Key, t.Value]));
    const out: sts.GetFederationTokenResponse = {
      Credentials: await issueCredentials(ctx, principal, duration(input.DurationSeconds, caller)),
      FederatedUser: { FederatedUserId: principal.principalId, Arn: arn },
    };
    if (packed !== undefined) out.PackedPolicySize = packed;
    return out;
  },
});

export const GetCallerIdentity = operation<sts.GetCallerIdentityRequest, sts.GetCallerIdentityResponse>({
  authorize: neverDenied,
  async handle(_input, ctx) {
    const p = ctx.principal;
    return { UserId: p.principalId, Account: p.accountId, Arn: p.arn };
  },
});
