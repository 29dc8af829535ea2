import type { Principal } from "../auth/principal.js";
import type { ApiModel } from "../protocol/model-types.js";
import type { ProtocolCodec } from "../protocol/codec.js";
import type { ServiceError } from "../protocol/errors.js";
import type { Limits } from "../config.js";
import type { HealthCheckTargets } from "../health/target-rule.js";
import type { StoreTx } from "../store/store.js";
import type { EventResource } from "../store/records.js";
import type { DiscoveryView } from "../view/discovery-view.js";
import type { IoFacts } from "./io-facts.js";
import type { ServiceDeps } from "./service-deps.js";

/** What a handler may know about its call: never HTTP, never headers. */
export interface OperationContext {
  /** The call's transaction; its change and its CloudTrail record commit together. */
  tx: StoreTx;
  accountId: string;
  /** The region of the request's SigV4 scope: every resource lives in one. */
  region: string;
  principal: Principal;
  requestId: string;
  now: Date;
  limits: Limits;
  /** Which endpoints Route 53-style health checks may reach (RegisterInstance refuses others). */
  healthCheckTargets: HealthCheckTargets;
  /** The in-memory registry the discovery hot path reads; it follows the store's change stream (view/follow-store.ts). */
  discovery: DiscoveryView;
  /**
   * Names resources the handler found or created (a namespace's ID and ARN), for LookupEvents' `Resources`: facts a
   * call's input and output may not hold. They count only when the call succeeds.
   */
  noteResources(resources: readonly EventResource[]): void;
  /** Facts that need network I/O, learnt outside the transaction (see IoFacts). */
  io: IoFacts;
  /** The server's collaborators a handler may need (secret box, bucket sink, IAM caches…). */
  deps: ServiceDeps;
}

/** The facts IAM policy evaluation needs about one call, worked out after validation, in the call's transaction. */
export type Authorize<I> = (input: I, ctx: OperationContext) => Promise<AuthorizationFacts> | AuthorizationFacts;

/**
 * An operation row's `authorize` when the action has no resource type (AWS's Service Authorization Reference lists
 * none, e.g. LookupEvents, ListNamespaces): IAM checks it against resource `*` with the global condition keys only.
 */
export const noResourceType = Symbol("no resource type");

/** An operation row's `authorize` for calls IAM never denies (STS GetCallerIdentity, GetSessionToken). */
export const neverDenied = Symbol("never denied");

/**
 * One row of an API's operation table, as written: the handler, its audit facts and its authorisation facts.
 * `defineApi` fills in the defaults (see `ServedOperation`).
 */
export interface OperationDef<I = any, O = any> {
  handle(input: I, ctx: OperationContext): Promise<O>;
  /**
   * Required: what IAM evaluates for the call (resource ARNs, condition keys), or `noResourceType`, or
   * `neverDenied`. Runs after validation and before the handler, in the call's transaction.
   */
  authorize: Authorize<I> | typeof noResourceType | typeof neverDenied;
  /**
   * CloudTrail `readOnly`. Leave it out when the operation's verb says it (Get, List, Describe… read; Create,
   * Delete, Put… write: see define-api.ts); state it when the verb does not (AssumeRole, DiscoverInstances).
   */
  readOnly?: boolean;
  /** Whether a CloudTrail management event is recorded: default true (false only for Cloud Map discovery). */
  recorded?: boolean;
  /**
   * False for calls answered from memory alone (Cloud Map discovery): the pipeline opens no store
   * transaction and `ctx.tx` throws if touched. Only for operations that are not recorded.
   */
  usesStore?: boolean;
  /** LookupEvents' `Resources` for the call from its input and output (absent when the call failed); see `noteResources`. */
  resources?(input: I, output: O | undefined): EventResource[];
  /** The errors shape-validation failures of particular top-level input members answer with (else the API's). */
  validationErrors?: Record<string, ValidationErrorFactory>;
  /** CloudTrail logs responseElements of this read-only call (STS AssumeRole, GetFederationToken, GetSessionToken). */
  recordsResponse?: boolean;
}

/** An operation as the pipeline runs it: its row with the audit facts settled. */
export interface ServedOperation extends OperationDef {
  readOnly: boolean;
  recorded: boolean;
}

/** What one call asks of IAM, as AWS's Service Authorization Reference describes the operation. */
export interface AuthorizationFacts {
  /**
   * Further actions the call needs on the same resources and keys: `sts:TagSession` when AssumeRole passes tags,
   * the tagging action when a create passes tags (`iam:TagRole`, `servicediscovery:TagResource`, `cloudtrail:AddTags`).
   */
  additionalActions?: string[];
  /** Authorisations the call needs on other resources, each with its own keys (`iam:PassRole` on a role handed to a service). */
  dependentChecks?: DependentCheck[];
  /** Resource ARNs checked (each must be allowed); `*` when the action has no resource type. */
  resources?: string[];
  /** Service-specific and request condition keys: `aws:RequestTag/team`, `servicediscovery:NamespaceName`, … */
  conditions?: Record<string, string | string[]>;
  /** Tags of the resource, for `aws:ResourceTag/<key>`. */
  resourceTags?: { Key: string; Value: string }[];
  /** A resource-based policy the call also needs: the role's trust policy for `sts:AssumeRole` (undefined: no such role). */
  resourcePolicy?: { document: string | undefined; kind: "role trust" };
}

/** One further authorisation a call needs, as its own request context (AWS's "dependent actions"). */
export interface DependentCheck {
  action: string;
  resource: string;
  conditions?: Record<string, string | string[]>;
  resourceTags?: { Key: string; Value: string }[];
}

/** An error of the API's catalogue that takes a message only (`errors.InvalidInput` of src/generated/<api>.ts). */
export type ValidationErrorFactory = (message: string) => ServiceError;

/** What declares an API (see `defineApi`): everything about it but the defaults `defineApi` settles. */
export interface ApiSpec {
  /** SigV4 signing name, e.g. `servicediscovery`. */
  signingName: string;
  model: ApiModel;
  /** CloudTrail eventSource, e.g. `servicediscovery.amazonaws.com`. */
  eventSource: string;
  /** The error this API answers shape-validation failures with. */
  validationError: ValidationErrorFactory;
  /** The codec of awsQuery APIs (their XML namespace differs per API); awsJson APIs use the shared one. */
  codec?: ProtocolCodec;
  /** Global APIs (IAM) live in one region whatever the request was signed for. */
  globalRegion?: string;
  /** LookupEvents' `Resources` of every operation that names none of its own (IAM names its entities this way). */
  eventResources?(input: Record<string, unknown>, output: any): EventResource[];
  /** One row per served operation, keyed by the model's operation name. */
  operations: Record<string, OperationDef>;
  /**
   * Every other operation of the model, by name. The router answers them as AWS answers an operation it does not
   * know: UnknownOperationException (awsJson) or InvalidAction (awsQuery), HTTP 400, nothing recorded.
   */
  unsupported: readonly string[];
}

/** An API Cairn serves: its model, how it is audited, and its operation table. */
export interface ApiDef extends Omit<ApiSpec, "operations" | "unsupported" | "eventResources"> {
  operations: Record<string, ServedOperation>;
  unsupported: ReadonlySet<string>;
}

export function operation<I, O>(def: OperationDef<I, O>): OperationDef<I, O> {
  return def;
}

/**
 * The error a shape-validation failure answers with: the operation's error for the first failing member when it
 * names one (with only that member's violations in the message), the API's validation error otherwise.
 */
export function validationFailure<V extends { path: string }>(api: ApiDef, op: OperationDef, violations: V[]): { error: ValidationErrorFactory; violations: V[] } {
  const errors = op.validationErrors;
  if (errors && violations.length > 0) {
    const head = violations[0]!.path.split(".", 1)[0]!;
    for (const [member, error] of Object.entries(errors)) {
      const segment = member.charAt(0).toLowerCase() + member.slice(1);
      if (segment === head) return { error, violations: violations.filter((v) => v.path.split(".", 1)[0] === head) };
    }
  }
  return { error: api.validationError, violations };
}
