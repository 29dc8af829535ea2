import { errors as ctErrors } from "../../generated/cloudtrail.js";
import type * as ct from "../../generated/cloudtrail.js";
import { ServiceError } from "../../protocol/errors.js";
import type { EventFilter, EventQuery } from "../../store/records.js";
import { decodeLookupToken, type LookupParameters } from "./lookup-token.js";

export const DEFAULT_MAX_RESULTS = 50;
const MAX_ATTRIBUTE_WEIGHT = 2000;
const DAY_MS = 86_400_000;

/** Where a lookup runs: the caller's account and region, the clock, and how far back Event history reaches. */
export interface LookupScope {
  accountId: string;
  region: string;
  now: Date;
  retentionDays: number;
}

export interface LookupPlan {
  /** Absent when nothing can match (Insights events, which Cairn does not generate). */
  query?: EventQuery;
  /** What the page's NextToken must be bound to. */
  params: LookupParameters;
}

function invalidAttributes(message: string): ServiceError {
  return ctErrors.InvalidLookupAttributesException(message);
}

/** The model's rule: `_`, space, `,` and newline count twice toward the 2000-character limit. */
export function attributeWeight(value: string): number {
  let weight = 0;
  for (const ch of value) weight += ch === "_" || ch === " " || ch === "," || ch === "\n" ? 2 : 1;
  return weight;
}

function filterOf(attribute: ct.LookupAttribute): EventFilter {
  const { AttributeKey: key, AttributeValue: value } = attribute;
  if (attributeWeight(value) > MAX_ATTRIBUTE_WEIGHT) {
    throw invalidAttributes(`The value of lookup attribute ${key} is longer than ${MAX_ATTRIBUTE_WEIGHT} characters.`);
  }
  if (key === "ReadOnly") {
    const lower = value.toLowerCase();
    if (lower !== "true" && lower !== "false") throw invalidAttributes(`The value of lookup attribute ReadOnly must be true or false, not '${value}'.`);
    return { key, value: lower === "true" };
  }
  return { key, value } as EventFilter;
}

/**
 * Turns a shape-valid LookupEvents request into a store query: at most one attribute, an inclusive time range
 * clipped to the retention window, a page size, and the position a NextToken resumes from.
 */
export function planLookup(input: ct.LookupEventsRequest, scope: LookupScope): LookupPlan {
  const attributes = input.LookupAttributes ?? [];
  if (attributes.length > 1) throw invalidAttributes("You can specify at most one lookup attribute.");
  const attribute = attributes[0];
  const filter = attribute ? filterOf(attribute) : undefined;

  const start = input.StartTime?.getTime();
  const end = input.EndTime?.getTime();
  if (start !== undefined && end !== undefined && start > end) {
    throw ctErrors.InvalidTimeRangeException("The start time must be at or before the end time.");
  }

  const params: LookupParameters = { accountId: scope.accountId, region: scope.region };
  if (attribute) params.attribute = { key: attribute.AttributeKey, value: attribute.AttributeValue };
  if (start !== undefined) params.startTime = start;
  if (end !== undefined) params.endTime = end;
  if (input.EventCategory !== undefined) params.eventCategory = input.EventCategory;

  const after = input.NextToken === undefined ? undefined : decodeLookupToken(input.NextToken, params);
  if (input.EventCategory === "insight") return { params };

  const oldest = scope.now.getTime() - scope.retentionDays * DAY_MS;
  const query: EventQuery = {
    accountId: scope.accountId,
    region: scope.region,
    from: new Date(Math.max(start ?? oldest, oldest)),
    to: new Date(end ?? scope.now.getTime()),
    limit: input.MaxResults ?? DEFAULT_MAX_RESULTS,
  };
  if (filter) query.filter = filter;
  if (after) query.after = after;
  return { query, params };
}
