/**
 * The authorisation step of the pipeline: gathers the caller's policies and the call's facts, asks the pure
 * evaluator (evaluate.ts), and turns a denial into AWS's AccessDenied error (spec cloudtrail.md §7.6, §8.5).
 */
import { ServiceError } from "../protocol/errors.js";
import type { ApiDef, AuthorizationFacts, OperationContext } from "../services/operation.js";
import type { PolicyOwner } from "../store/iam-records.js";
import type { Store, StoreTx } from "../store/store.js";
import type { ConditionKeys } from "./conditions.js";
import { authorize, denialMessage, type AuthorizationInput, type Verdict } from "./evaluate.js";
import { parsePolicy, type PolicyDocument, type PolicyKind } from "./policy.js";
import { principalArn, type Principal } from "./principal.js";
import { authErrorFor } from "./sigv4.js";

/** The AccessDenied error of a protocol: awsJson `AccessDeniedException` (400), awsQuery `AccessDenied` (403). */
export function accessDenied(protocol: "json" | "query", callerArn: string, action: string, resource: string, verdict: Extract<Verdict, { allowed: false }>): ServiceError {
  const message = denialMessage(callerArn, action, resource, verdict);
  return protocol === "json"
    ? new ServiceError("AccessDeniedException", message, { httpStatus: 400, auditCode: "AccessDenied" })
    : new ServiceError("AccessDenied", message, { httpStatus: 403 });
}

const ALLOW_ALL: PolicyDocument = { statements: [{ effect: "Allow", action: ["*"], resource: ["*"], conditions: [], variables: false }] };
const NO_STATEMENTS: PolicyDocument = { statements: [] };

const PRINCIPAL_TYPE: Record<Principal["type"], string> = {
  Root: "Account",
  IAMUser: "User",
  AssumedRole: "AssumedRole",
  FederatedUser: "FederatedUser",
  AWSService: "Service",
};

/** What the connection tells authorisation: `aws:SourceIp`, `aws:SecureTransport`. */
export interface CallFacts {
  sourceIp: string;
  secure: boolean;
}

/**
 * How long a user's or role's identity policies are trusted from memory. Changes made on this node take effect at
 * once (`forgetPolicies`); another node sharing the store sees them within this time.
 */
const POLICY_CACHE_MS = 5_000;

export class Authorizer {
  /** Parsed documents by text: the same few policies are evaluated on every call. */
  private readonly parsed = new Map<string, PolicyDocument>();
  /** Identity policies by owner, so that hot calls (discovery) need no store query. */
  private readonly owners = new Map<string, { documents: PolicyDocument[]; until: number }>();

  constructor(private readonly store: Store) {}

  /** Called after a change to any user's or role's policies has committed. */
  forgetPolicies(): void {
    this.owners.clear();
  }

  /** Root's calls need no policies (and no store transaction); its session credentials' restrictions still apply. */
  needsCheck(principal: Principal): boolean {
    return principal.type !== "Root" || principal.session !== undefined;
  }

  /**
   * Throws AccessDenied(Exception) unless the caller's policies allow the call. `tx` is the call's transaction;
   * without one (calls answered from memory) `ctx.tx` is not touched and policies not cached are read on their own.
   */
  async authorize(api: ApiDef, operation: string, input: Record<string, unknown>, ctx: OperationContext, call: CallFacts, tx?: StoreTx): Promise<void> {
    const op = api.operations[operation]!;
    const p = ctx.principal;
    if (op.neverDenied) return;
    const protocol = api.model.metadata.protocol;
    this.checkSessionRestrictions(p, api.signingName, operation, protocol);
    // Identity policies cannot restrict root.
    if (p.type === "Root") return;
    const facts: AuthorizationFacts = (await op.authorize?.(input, ctx)) ?? {};
    const action = `${api.signingName}:${operation}`;
    const keys = conditionKeys(p, ctx, call, facts);
    const policies: AuthorizationInput = { isRoot: false, identity: await this.identityPolicies(p, tx) };
    if (p.type !== "AWSService" && p.session?.sessionPolicies) policies.session = p.session.sessionPolicies.map((d) => this.parse(d, "identity"));
    if (facts.resourcePolicy) {
      policies.resourcePolicy = {
        policy: facts.resourcePolicy.document === undefined ? NO_STATEMENTS : this.parse(facts.resourcePolicy.document, "trust"),
        kind: facts.resourcePolicy.kind,
        caller: { accountId: p.accountId, arns: [...new Set([p.arn, principalArn(p)])], service: p.type === "AWSService" ? p.service : undefined },
      };
    }
    for (const resource of facts.resources ?? ["*"]) {
      const verdict = authorize(policies, { action, resource, keys });
      if (!verdict.allowed) throw accessDenied(protocol, p.arn, action, resource, verdict);
    }
  }

  /** What STS's temporary credentials may not call at all (spec §7.2). */
  private checkSessionRestrictions(p: Principal, api: string, operation: string, protocol: "json" | "query"): void {
    if (p.type === "AWSService" || !p.session) return;
    const origin = p.session.origin;
    if (api === "iam" && origin !== "AssumeRole") {
      // IAM refuses non-MFA session credentials as it refuses unknown ones.
      throw authErrorFor("unrecognized", protocol);
    }
    if (api !== "sts" || operation === "GetCallerIdentity") return;
    const allowed = origin === "AssumeRole" ? operation === "AssumeRole" : origin === "GetSessionToken" && operation === "AssumeRole";
    if (!allowed) throw new ServiceError("AccessDenied", `Cannot call ${operation} with session credentials`, { httpStatus: 403 });
  }

  private async identityPolicies(p: Principal, tx: StoreTx | undefined): Promise<PolicyDocument[]> {
    switch (p.type) {
      case "Root":
        return [ALLOW_ALL];
      case "AWSService":
        return [];
      case "IAMUser":
        return this.ownerPolicies(p.accountId, { kind: "user", name: p.userName }, tx);
      case "AssumedRole":
        return this.ownerPolicies(p.accountId, { kind: "role", name: p.roleName }, tx);
      case "FederatedUser": {
        const issuer = p.session.issuer;
        if (issuer?.type === "Root") return [ALLOW_ALL];
        return issuer?.userName ? this.ownerPolicies(p.accountId, { kind: "user", name: issuer.userName }, tx) : [];
      }
    }
  }

  private async ownerPolicies(accountId: string, owner: PolicyOwner, tx: StoreTx | undefined): Promise<PolicyDocument[]> {
    const key = `${accountId}:${owner.kind}:${owner.name.toLowerCase()}`;
    const hit = this.owners.get(key);
    if (hit && hit.until > Date.now()) return hit.documents;
    const load = (t: StoreTx) => t.iam.identityPolicies(accountId, owner);
    const texts = tx ? await load(tx) : await this.store.transaction(load);
    const documents = texts.map((d) => this.parse(d, "identity"));
    if (this.owners.size > 10_000) this.owners.clear();
    this.owners.set(key, { documents, until: Date.now() + POLICY_CACHE_MS });
    return documents;
  }

  private parse(document: string, kind: PolicyKind): PolicyDocument {
    const key = `${kind}:${document}`;
    let doc = this.parsed.get(key);
    if (!doc) {
      try {
        doc = parsePolicy(document, kind);
      } catch {
        // Stored documents were checked when written; one that no longer parses grants nothing.
        doc = NO_STATEMENTS;
      }
      if (this.parsed.size > 5_000) this.parsed.clear();
      this.parsed.set(key, doc);
    }
    return doc;
  }
}

function bareIp(ip: string): string {
  return ip.startsWith("::ffff:") ? ip.slice(7) : ip;
}

/** The request's condition keys: the global ones from the caller and the connection, then the operation's. */
export function conditionKeys(p: Principal, ctx: OperationContext, call: CallFacts, facts: AuthorizationFacts): ConditionKeys {
  const keys: ConditionKeys = new Map();
  const set = (key: string, value: string | string[]): void => {
    keys.set(key.toLowerCase(), Array.isArray(value) ? value : [value]);
  };
  set("aws:SourceIp", bareIp(call.sourceIp));
  set("aws:SecureTransport", String(call.secure));
  set("aws:CurrentTime", ctx.now.toISOString().replace(/\.\d{3}Z$/, "Z"));
  set("aws:EpochTime", String(Math.floor(ctx.now.getTime() / 1000)));
  set("aws:RequestedRegion", ctx.region);
  set("aws:PrincipalType", PRINCIPAL_TYPE[p.type]);
  if (p.type !== "AWSService") {
    set("aws:PrincipalArn", principalArn(p));
    set("aws:PrincipalAccount", p.accountId);
    set("aws:userid", p.principalId);
    if (p.session) {
      set("aws:MultiFactorAuthPresent", String(p.session.mfaAuthenticated));
      set("aws:TokenIssueTime", p.session.creationDate);
    }
  }
  if (p.type === "IAMUser") set("aws:username", p.userName);
  for (const tag of facts.resourceTags ?? []) set(`aws:ResourceTag/${tag.Key}`, tag.Value);
  for (const [key, value] of Object.entries(facts.conditions ?? {})) set(key, value);
  return keys;
}
