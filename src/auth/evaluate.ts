/**
 * IAM policy evaluation for one account (AWS's policy evaluation logic): explicit deny over allow over implicit deny,
 * and a resource-based policy's grant limited according to whom it names (principalMatch).
 * Pure and table-tested: the caller gathers the policies and the request's facts.
 */
import { conditionHolds, type ConditionKeys } from "./conditions.js";
import { globMatch } from "./glob.js";
import type { PolicyDocument, PrincipalSpec, Statement } from "./policy.js";
import type { Principal } from "./principal.js";
import { substituteVariables } from "./policy-variables.js";

export interface EvaluationRequest {
  /** `service:Operation`. */
  action: string;
  /** The resource ARN, or `*` when the action has no resource type. */
  resource: string;
  keys: ConditionKeys;
}

/** The caller as resource-based policies match it. */
export interface CallerForResourcePolicy {
  accountId: string;
  /** The caller's own ARN: an IAM user's, a role session's, a federated user's. */
  arn?: string;
  /** What issued the caller's session: the role of a role session, the IAM user behind a federated user. */
  issuerArn?: string;
  /** Set for AWS-service callers (`ecs.amazonaws.com`). */
  service?: string;
}

/** How a resource-based policy's caller is seen from a principal. */
export function resourcePolicyCaller(p: Principal): CallerForResourcePolicy {
  if (p.type === "AWSService") return { accountId: p.accountId, service: p.service };
  const issuerArn = p.type === "AssumedRole" ? p.roleArn : p.type === "FederatedUser" && p.session.issuer?.type === "IAMUser" ? p.session.issuer.arn : undefined;
  return { accountId: p.accountId, arn: p.arn, ...(issuerArn ? { issuerArn } : {}) };
}

/** What one set of policies says about a request. */
export type Effect = "Deny" | "Allow" | "None";

function actionMatches(s: Statement, action: string): boolean {
  if (s.action) return s.action.some((p) => globMatch(p, action, true));
  return !s.notAction!.some((p) => globMatch(p, action, true));
}

/** A pattern of the statement, with policy variables substituted when its policy allows them. */
function expand(s: Statement, pattern: string, keys: ConditionKeys): string | undefined {
  return s.variables ? substituteVariables(pattern, keys) : pattern;
}

function patternMatches(s: Statement, patterns: string[], resource: string, keys: ConditionKeys): boolean {
  return patterns.some((p) => {
    const expanded = expand(s, p, keys);
    return expanded !== undefined && globMatch(expanded, resource, false);
  });
}

function resourceMatches(s: Statement, resource: string, keys: ConditionKeys): boolean {
  if (s.resource) return patternMatches(s, s.resource, resource, keys);
  if (s.notResource) return !patternMatches(s, s.notResource, resource, keys);
  return true;
}

function conditionsHold(s: Statement, keys: ConditionKeys): boolean {
  return s.conditions.every((c) => {
    const values = s.variables ? c.values.map((v) => substituteVariables(v, keys)).filter((v): v is string => v !== undefined) : c.values;
    // A value that cannot be read fails closed: an Allow does not apply, a Deny does.
    return conditionHolds(c.operator, c.key, values, keys) ?? s.effect === "Deny";
  });
}

/**
 * How a Principal element names the caller (IAM User Guide, "Policy evaluation logic", "Session policies"):
 * "caller" its own ARN or service, a grant no other policy's implicit deny limits; "issuer" the role of a role
 * session (or the IAM user of a federated user), a grant still within the session policies and the boundary;
 * "account" its account, which needs the identity policies to allow too.
 */
export type PrincipalMatch = "caller" | "issuer" | "account";

const STRENGTH: Record<PrincipalMatch, number> = { account: 1, issuer: 2, caller: 3 };

function principalMatch(spec: PrincipalSpec, caller: CallerForResourcePolicy): PrincipalMatch | undefined {
  if (caller.service) return spec.service.includes(caller.service) ? "caller" : undefined;
  if (caller.arn !== undefined && spec.aws.includes(caller.arn)) return "caller";
  if (caller.issuerArn !== undefined && spec.aws.includes(caller.issuerArn)) return "issuer";
  if (spec.any || spec.aws.some((a) => a === caller.accountId || a === `arn:aws:iam::${caller.accountId}:root`)) return "account";
  return undefined;
}

/** Deny if any statement denies; else Allow if any allows; else None. */
export function evaluate(policies: PolicyDocument[], request: EvaluationRequest): Effect {
  let allowed = false;
  for (const policy of policies) {
    for (const s of policy.statements) {
      if (!actionMatches(s, request.action) || !resourceMatches(s, request.resource, request.keys) || !conditionsHold(s, request.keys)) continue;
      if (s.effect === "Deny") return "Deny";
      allowed = true;
    }
  }
  return allowed ? "Allow" : "None";
}

/** A resource-based policy's verdict; an Allow says how closely the strongest allowing statement names the caller. */
export function evaluateResourcePolicy(
  policy: PolicyDocument,
  request: EvaluationRequest,
  caller: CallerForResourcePolicy,
): { effect: "Deny" | "None" } | { effect: "Allow"; names: PrincipalMatch } {
  let best: PrincipalMatch | undefined;
  for (const s of policy.statements) {
    if (!actionMatches(s, request.action) || !conditionsHold(s, request.keys)) continue;
    // NotPrincipal leaves out only callers it names by their own ARN: a role session is left out only when its
    // session ARN is listed, not by its role's ARN or its account (IAM User Guide, "NotPrincipal").
    const match = s.principal ? principalMatch(s.principal, caller) : s.notPrincipal && principalMatch(s.notPrincipal, caller) !== "caller" ? "account" : undefined;
    if (!match) continue;
    if (s.effect === "Deny") return { effect: "Deny" };
    if (!best || STRENGTH[match] > STRENGTH[best]) best = match;
  }
  return best ? { effect: "Allow", names: best } : { effect: "None" };
}

export interface AuthorizationInput {
  /** The account's root: identity policies cannot restrict it. */
  isRoot: boolean;
  identity: PolicyDocument[];
  /** The user's or role's permissions boundary, when it has one: it caps what identity policies grant. */
  boundary?: PolicyDocument;
  /** Session policies of temporary credentials; absent when the session has none. An empty list allows nothing. */
  session?: PolicyDocument[];
  resourcePolicy?: { policy: PolicyDocument; kind: "role trust"; caller: CallerForResourcePolicy };
}

export type PolicyType = "identity-based" | "permissions boundary" | "session" | "role trust";

export type Verdict = { allowed: true } | { allowed: false; explicit: boolean; policyType: PolicyType };

/** The decision for one request under the caller's policies. */
export function authorize(input: AuthorizationInput, request: EvaluationRequest): Verdict {
  const identity = evaluate(input.identity, request);
  if (identity === "Deny") return { allowed: false, explicit: true, policyType: "identity-based" };
  const boundary = input.boundary ? evaluate([input.boundary], request) : undefined;
  if (boundary === "Deny") return { allowed: false, explicit: true, policyType: "permissions boundary" };
  const session = input.session ? evaluate(input.session, request) : undefined;
  if (session === "Deny") return { allowed: false, explicit: true, policyType: "session" };
  const resource = input.resourcePolicy ? evaluateResourcePolicy(input.resourcePolicy.policy, request, input.resourcePolicy.caller) : undefined;
  if (resource?.effect === "Deny") return { allowed: false, explicit: true, policyType: input.resourcePolicy!.kind };
  if (input.resourcePolicy && resource?.effect !== "Allow") {
    // A role's trust policy must allow every AssumeRole, whoever calls.
    return { allowed: false, explicit: false, policyType: input.resourcePolicy.kind };
  }
  if (input.isRoot) return { allowed: true };
  const grant = resource?.effect === "Allow" ? resource.names : undefined;
  // A grant to the caller's own ARN is the caller's alone: no implicit deny elsewhere limits it.
  if (grant === "caller") return { allowed: true };
  // A grant to a session's role stands in for the identity policies, but the session stays within its boundary
  // and session policies: otherwise a narrowed session would chain into any role that trusts its role.
  if (grant !== "issuer" && identity !== "Allow") return { allowed: false, explicit: false, policyType: "identity-based" };
  if (boundary !== undefined && boundary !== "Allow") return { allowed: false, explicit: false, policyType: "permissions boundary" };
  if (session !== undefined && session !== "Allow") return { allowed: false, explicit: false, policyType: "session" };
  return { allowed: true };
}

const EXPLICIT_WHERE: Record<PolicyType, string> = {
  "identity-based": "an identity-based policy",
  "permissions boundary": "a permissions boundary",
  session: "a session policy",
  "role trust": "the role trust policy",
};

const IMPLICIT_WHAT: Record<PolicyType, string> = {
  "identity-based": "identity-based policy",
  "permissions boundary": "permissions boundary",
  session: "session policy",
  "role trust": "role trust policy",
};

/** AWS's denial text: `User: … is not authorized to perform: … [on resource: …] because …`. */
export function denialMessage(callerArn: string, action: string, resource: string, verdict: Extract<Verdict, { allowed: false }>): string {
  const on = resource === "*" ? "" : ` on resource: ${resource}`;
  const reason = verdict.explicit ? `with an explicit deny in ${EXPLICIT_WHERE[verdict.policyType]}` : `because no ${IMPLICIT_WHAT[verdict.policyType]} allows the ${action} action`;
  return `User: ${callerArn} is not authorized to perform: ${action}${on} ${reason}`;
}
