/**
 * The authorisation step of the pipeline: gathers the caller's policies and the call's facts, asks the pure
 * evaluator (evaluate.ts), and turns a denial into AWS's AccessDenied failure.
 */
import { accessDenied, authFailure, type AuthFailure } from "../protocol/auth-failures.js";
import { neverDenied, noResourceType, type ApiDef, type AuthorizationFacts, type OperationContext } from "../services/operation.js";
import type { PolicyOwner } from "../store/iam-records.js";
import type { Store, StoreTx } from "../store/store.js";
import type { ConditionKeys } from "./conditions.js";
import { authorize, denialMessage, resourcePolicyCaller, type AuthorizationInput, type Verdict } from "./evaluate.js";
import { parsePolicy, type PolicyDocument, type PolicyKind } from "./policy.js";
import { policyOwnerOf, principalArn, type PolicyOwnerId, type Principal } from "./principal.js";
import { isoSeconds } from "../protocol/timestamps.js";

/** The denial of `action` on `resource`; protocol/ renders it per wire protocol. */
function denied(callerArn: string, action: string, resource: string, verdict: Extract<Verdict, { allowed: false }>): AuthFailure {
  return accessDenied(denialMessage(callerArn, action, resource, verdict));
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
  /** The caller's address as CloudTrail shows it (IPv4-mapped IPv6 as plain IPv4: server/origin.ts). */
  sourceIp: string;
  secure: boolean;
}

/**
 * How long a user's or role's identity policies are trusted from memory. A change is forgotten at once, through the
 * store's change stream (another node's too, on PostgreSQL); this bounds how long one can go unseen when a
 * notification cannot carry it (the notification connection down).
 */
const POLICY_CACHE_MS = 5_000;

/** What IAM holds about the caller's owning user or role. */
interface OwnerFacts {
  documents: PolicyDocument[];
  boundary?: PolicyDocument;
  /** An IAM user's own tags (`aws:PrincipalTag/<key>`). */
  tags?: Record<string, string>;
}

export class Authorizer {
  /** Parsed documents by text: the same few policies are evaluated on every call. */
  private readonly parsed = new Map<string, PolicyDocument>();
  /** Identity policies (and a user's tags) by owner, so that hot calls (discovery) need no store query. */
  private readonly owners = new Map<string, OwnerFacts & { until: number }>();
  private readonly unwatch: () => void;

  constructor(private readonly store: Store) {
    const forget = () => this.owners.clear();
    this.unwatch = store.watch({
      changed: (change) => {
        if (change.kind === "policies" || change.kind === "principal") forget();
      },
      resync: forget,
    });
  }

  close(): void {
    this.unwatch();
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
    if (op.authorize === neverDenied) return;
    this.checkSessionRestrictions(p, api.signingName, operation);
    // Identity policies cannot restrict root.
    if (p.type === "Root") return;
    // No resource type: the action is checked against `*` with the global condition keys only.
    const facts: AuthorizationFacts = op.authorize === noResourceType ? {} : await op.authorize(input, ctx);
    const action = `${api.signingName}:${operation}`;
    const owner = await this.ownerOf(p, tx);
    // The user or role these credentials were issued to is gone: AWS no longer recognises them.
    if (!owner) throw authFailure("unrecognized");
    const keys = conditionKeys(p, ctx, call, facts, owner.tags);
    const identity: AuthorizationInput = { isRoot: false, identity: owner.documents };
    if (owner.boundary) identity.boundary = owner.boundary;
    if (p.type !== "AWSService" && p.session?.sessionPolicies) identity.session = p.session.sessionPolicies.map((d) => this.parse(d, "identity"));
    const policies: AuthorizationInput = { ...identity };
    if (facts.resourcePolicy) {
      policies.resourcePolicy = {
        policy: facts.resourcePolicy.document === undefined ? NO_STATEMENTS : this.parse(facts.resourcePolicy.document, "trust"),
        kind: facts.resourcePolicy.kind,
        caller: resourcePolicyCaller(p),
      };
    }
    for (const needed of [action, ...(facts.additionalActions ?? [])]) {
      for (const resource of facts.resources ?? ["*"]) {
        const verdict = authorize(policies, { action: needed, resource, keys });
        if (!verdict.allowed) throw denied(p.arn, needed, resource, verdict);
      }
    }
    // A dependent action is its own request: its resource, its keys, and no resource-based policy of the call.
    for (const check of facts.dependentChecks ?? []) {
      const checkKeys = conditionKeys(p, ctx, call, { conditions: check.conditions, resourceTags: check.resourceTags }, owner.tags);
      const verdict = authorize(identity, { action: check.action, resource: check.resource, keys: checkKeys });
      if (!verdict.allowed) throw denied(p.arn, check.action, check.resource, verdict);
    }
  }

  /** What STS's temporary credentials may not call at all. */
  private checkSessionRestrictions(p: Principal, api: string, operation: string): void {
    if (p.type === "AWSService" || !p.session) return;
    const origin = p.session.origin;
    if (api === "iam" && origin !== "AssumeRole") {
      // IAM refuses non-MFA session credentials as it refuses unknown ones.
      throw authFailure("unrecognized");
    }
    if (api !== "sts" || operation === "GetCallerIdentity") return;
    const allowed = origin === "AssumeRole" ? operation === "AssumeRole" : origin === "GetSessionToken" && operation === "AssumeRole";
    if (!allowed) throw accessDenied(`Cannot call ${operation} with session credentials`);
  }

  /**
   * The identity policies that apply to the caller (for sessions: those of the role or issuing user), and a user's
   * tags. Undefined when the user or role the credentials were issued to no longer exists.
   */
  private async ownerOf(p: Principal, tx: StoreTx | undefined): Promise<OwnerFacts | undefined> {
    if (p.type === "Root" || (p.type === "FederatedUser" && p.session.issuer?.type === "Root")) return { documents: [ALLOW_ALL] };
    const owner = policyOwnerOf(p);
    if (!owner) return { documents: [] };
    return this.owner(p.accountId, owner, p.type === "IAMUser", tx);
  }

  /**
   * Found by unique id (AIDA…/AROA…), never by name: a re-created user or role of the same name is another principal
   * and lends nothing to its predecessor's keys and sessions. `withTags`: a user's tags are its principal tags.
   */
  private async owner(accountId: string, owner: PolicyOwnerId, withTags: boolean, tx: StoreTx | undefined): Promise<OwnerFacts | undefined> {
    const key = `${accountId}:${owner.kind}:${owner.id}:${withTags}`;
    const hit = this.owners.get(key);
    if (hit && hit.until > Date.now()) return hit;
    const load = async (t: StoreTx) => {
      const entity = owner.kind === "user" ? await t.iam.getUserById(accountId, owner.id) : await t.iam.getRoleById(accountId, owner.id);
      if (!entity) return undefined;
      const named: PolicyOwner = { kind: owner.kind, name: "userName" in entity ? entity.userName : entity.roleName };
      return {
        texts: await t.iam.identityPolicies(accountId, named),
        boundary: await t.iam.boundaryDocument(accountId, named),
        tags: withTags ? await t.tags.list(entity.arn) : undefined,
      };
    };
    const loaded = tx ? await load(tx) : await this.store.transaction(load);
    if (!loaded) return undefined;
    const facts: OwnerFacts = { documents: loaded.texts.map((d) => this.parse(d, "identity")) };
    if (loaded.boundary !== undefined) facts.boundary = this.parse(loaded.boundary, "identity");
    if (loaded.tags) facts.tags = Object.fromEntries(loaded.tags.map((t) => [t.Key, t.Value]));
    if (this.owners.size > 10_000) this.owners.clear();
    this.owners.set(key, { ...facts, until: Date.now() + POLICY_CACHE_MS });
    return facts;
  }

  private parse(document: string, kind: PolicyKind): PolicyDocument {
    const key = `${kind}:${document}`;
    let doc = this.parsed.get(key);
    if (!doc) {
      try {
        doc = parsePolicy(document, kind, { checkValues: false });
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

/** The request's condition keys: the global ones from the caller and the connection, then the operation's. */
export function conditionKeys(
  p: Principal,
  ctx: OperationContext,
  call: CallFacts,
  facts: AuthorizationFacts,
  ownerTags: Record<string, string> | undefined,
): ConditionKeys {
  const keys: ConditionKeys = new Map();
  const set = (key: string, value: string | string[]): void => {
    keys.set(key.toLowerCase(), Array.isArray(value) ? value : [value]);
  };
  set("aws:SourceIp", call.sourceIp);
  set("aws:SecureTransport", String(call.secure));
  set("aws:CurrentTime", isoSeconds(ctx.now));
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
      if (p.session.sourceIdentity !== undefined) set("aws:SourceIdentity", p.session.sourceIdentity);
    }
  }
  if (p.type === "IAMUser") set("aws:username", p.userName);
  for (const [key, value] of Object.entries(ownerTags ?? p.tags ?? {})) set(`aws:PrincipalTag/${key}`, value);
  for (const tag of facts.resourceTags ?? []) set(`aws:ResourceTag/${tag.Key}`, tag.Value);
  for (const [key, value] of Object.entries(facts.conditions ?? {})) set(key, value);
  return keys;
}
