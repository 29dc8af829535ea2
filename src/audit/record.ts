import { randomUUID } from "node:crypto";
import type { Principal } from "../auth/principal.js";
import type { ServiceError } from "../protocol/errors.js";
import type { ApiDef, OperationDef } from "../services/operation.js";
import type { EventResource, StoredEvent } from "../store/records.js";
import { toTrailValue } from "./trail-values.js";
import { lookupUsername, userIdentity } from "./user-identity.js";
import { isoSeconds } from "../protocol/timestamps.js";

export const EVENT_VERSION = "1.11";
const MAX_TEXT = 1024;
const MAX_ELEMENT_BYTES = 100 * 1024;

/** Where and how the call reached Cairn: the parts of a record that come from the connection. */
export interface CallOrigin {
  requestId: string;
  sourceIp: string;
  userAgent?: string;
  tls?: { tlsVersion: string; cipherSuite: string; clientProvidedHostHeader: string };
}

export interface CallOutcome {
  api: ApiDef;
  operation: string;
  principal: Principal;
  region: string;
  input: Record<string, unknown>;
  output?: unknown;
  error?: ServiceError;
  resources: EventResource[];
  eventTime: Date;
}

function truncate(text: string | undefined): string | undefined {
  return text === undefined || text.length <= MAX_TEXT ? text : text.slice(0, MAX_TEXT);
}


/** requestParameters/responseElements over 100 KB keep their key but lose their content, as in AWS. */
function element(model: ApiDef["model"], shape: string | undefined, value: unknown): unknown {
  if (!shape || value === undefined || value === null) return null;
  const rendered = toTrailValue(model, shape, value);
  if (rendered && typeof rendered === "object" && Object.keys(rendered).length === 0) return null;
  return JSON.stringify(rendered).length > MAX_ELEMENT_BYTES ? {} : rendered;
}

/** The longest value LookupEvents accepts for an attribute (ResourceName included): a longer name is never looked up. */
const MAX_LOOKUP_VALUE = 2000;

/**
 * Whether a name can be indexed: one LookupEvents could match, and one every store can hold as text (PostgreSQL
 * text holds no NUL, and its indexes no entry over 8 KB).
 */
function indexableName(name: string): boolean {
  return name !== "" && name.length <= MAX_LOOKUP_VALUE && !name.includes("\0");
}

/**
 * The resources an event is indexed under, from the operation's own mapping. A failed call's input may be
 * missing members or hold the wrong types (it failed validation): whatever cannot name a resource, or cannot be
 * indexed, is left out.
 */
export function callResources(op: OperationDef | undefined, input: Record<string, unknown>, output: unknown): EventResource[] {
  let resources: EventResource[];
  try {
    resources = op?.resources?.(input as never, output as never) ?? [];
  } catch {
    return [];
  }
  return resources.filter((r) => typeof r.type === "string" && typeof r.name === "string" && indexableName(r.name));
}

/** A successful call's resources: its mapped ones, then those its handler noted, each (type, name) once. */
export function withNoted(mapped: EventResource[], noted: readonly EventResource[]): EventResource[] {
  const out = [...mapped];
  for (const r of noted) {
    if (indexableName(r.name) && !out.some((o) => o.type === r.type && o.name === r.name)) out.push(r);
  }
  return out;
}

/** Builds the CloudTrail record of one authenticated call, in AWS's field order. */
export function buildEvent(origin: CallOrigin, call: CallOutcome): StoredEvent {
  const { api, operation, principal, error } = call;
  const opModel = api.model.operations[operation];
  const op = api.operations[operation];
  const readOnly = op?.readOnly ?? false;
  const eventId = randomUUID();
  // A service acting as itself, or through a role it assumed, is the call's source and agent, as AWS logs it.
  const invokedBy = principal.type === "AWSService" ? principal.service : principal.type === "AssumedRole" ? principal.invokedBy : undefined;
  const record: Record<string, unknown> = {
    eventVersion: EVENT_VERSION,
    userIdentity: userIdentity(principal),
    eventTime: isoSeconds(call.eventTime),
    eventSource: api.eventSource,
    eventName: operation,
    awsRegion: call.region,
    sourceIPAddress: invokedBy ?? origin.sourceIp,
  };
  const userAgent = invokedBy ?? origin.userAgent;
  if (userAgent !== undefined) record.userAgent = truncate(userAgent);
  if (error) {
    record.errorCode = truncate(error.auditCode);
    record.errorMessage = truncate(error.message);
  }
  record.requestParameters = element(api.model, opModel?.input, call.input);
  record.responseElements = error || (readOnly && !op?.recordsResponse) ? null : element(api.model, opModel?.output, call.output);
  record.requestID = truncate(origin.requestId);
  record.eventID = eventId;
  record.readOnly = readOnly;
  record.eventType = "AwsApiCall";
  record.managementEvent = true;
  record.recipientAccountId = principal.accountId;
  record.eventCategory = "Management";
  if (origin.tls) record.tlsDetails = origin.tls;

  return {
    eventId,
    accountId: principal.accountId,
    region: call.region,
    // Stored at the record's own precision, so LookupEvents' EventTime and time ranges agree with `eventTime`.
    eventTime: new Date(Math.floor(call.eventTime.getTime() / 1000) * 1000),
    eventName: operation,
    eventSource: api.eventSource,
    readOnly,
    username: lookupUsername(principal),
    accessKeyId: principal.accessKeyId || undefined,
    errorCode: error?.auditCode,
    resources: call.resources,
    record: JSON.stringify(record),
  };
}
