import type { Principal } from "../auth/principal.js";
import type { ApiModel } from "../protocol/model-types.js";
import type { Limits } from "../config.js";
import type { StoreTx } from "../store/store.js";
import type { EventResource } from "../store/records.js";
import type { DiscoveryView } from "../view/discovery-view.js";

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
  /** The in-memory registry the discovery hot path reads; handlers that change the registry update it after commit. */
  discovery: DiscoveryView;
}

/** One row of an API's operation table: the handler plus the facts the pipeline needs. */
export interface OperationDef<I = any, O = any> {
  /** CloudTrail `readOnly`. */
  readOnly: boolean;
  /** Whether a CloudTrail management event is recorded (false only for Cloud Map discovery). */
  recorded: boolean;
  /**
   * False for calls answered from memory alone (Cloud Map discovery): the pipeline opens no store
   * transaction and `ctx.tx` throws if touched. Only for operations that are not recorded.
   */
  usesStore?: boolean;
  handle(input: I, ctx: OperationContext): Promise<O>;
  /** LookupEvents' `Resources` for the call; `output` is absent when the call failed. */
  resources?(input: I, output: O | undefined): EventResource[];
  /** Error codes for shape-validation failures of particular top-level input members (else the API's code). */
  validationErrors?: Record<string, string>;
}

/** An API Cairn serves: its model, how it is audited, and its operation table. */
export interface ApiDef {
  /** SigV4 signing name, e.g. `servicediscovery`. */
  signingName: string;
  model: ApiModel;
  /** CloudTrail eventSource, e.g. `servicediscovery.amazonaws.com`. */
  eventSource: string;
  /** The code this API answers shape-validation failures with. */
  validationErrorCode: string;
  operations: Record<string, OperationDef>;
}

export function operation<I, O>(def: OperationDef<I, O>): OperationDef<I, O> {
  return def;
}

/**
 * The error a shape-validation failure answers with: the operation's code for the first failing member when it
 * names one (with only that member's violations in the message), the API's validation code otherwise.
 */
export function validationFailure<V extends { path: string }>(api: ApiDef, op: OperationDef, violations: V[]): { code: string; violations: V[] } {
  const codes = op.validationErrors;
  if (codes && violations.length > 0) {
    const head = violations[0]!.path.split(".", 1)[0]!;
    for (const [member, code] of Object.entries(codes)) {
      const segment = member.charAt(0).toLowerCase() + member.slice(1);
      if (segment === head) return { code, violations: violations.filter((v) => v.path.split(".", 1)[0] === head) };
    }
  }
  return { code: api.validationErrorCode, violations };
}
