import type { Principal } from "../auth/principal.js";
import type { ApiModel } from "../protocol/model-types.js";
import type { Limits } from "../config.js";
import type { StoreTx } from "../store/store.js";
import type { EventResource } from "../store/records.js";

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
}

/** One row of an API's operation table: the handler plus the facts the pipeline needs. */
export interface OperationDef<I = any, O = any> {
  /** CloudTrail `readOnly`. */
  readOnly: boolean;
  /** Whether a CloudTrail management event is recorded (false only for Cloud Map discovery). */
  recorded: boolean;
  handle(input: I, ctx: OperationContext): Promise<O>;
  /** LookupEvents' `Resources` for the call; `output` is absent when the call failed. */
  resources?(input: I, output: O | undefined): EventResource[];
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
