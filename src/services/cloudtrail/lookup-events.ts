import { errors as ctErrors } from "../../generated/cloudtrail.js";
import type * as ct from "../../generated/cloudtrail.js";
import type { FoundEvent } from "../../store/records.js";
import { noResourceType, operation } from "../operation.js";
import { planLookup } from "./lookup-query.js";
import { encodeLookupToken } from "./lookup-token.js";

/** One Event history entry as LookupEvents returns it. */
export function lookupEvent(e: FoundEvent): ct.Event {
  return {
    EventId: e.eventId,
    EventName: e.eventName,
    ReadOnly: e.readOnly ? "true" : "false",
    AccessKeyId: e.accessKeyId,
    EventTime: e.eventTime,
    EventSource: e.eventSource,
    Username: e.username,
    Resources: e.resources.map((r) => ({ ResourceType: r.type, ResourceName: r.name })),
    CloudTrailEvent: e.record,
  };
}

/** LookupEvents over the caller's Event history in the request's region. */
export const LookupEvents = operation<ct.LookupEventsRequest, ct.LookupEventsResponse>({
  authorize: noResourceType,
  // Shape-validation failures of these members answer with LookupEvents' own errors, as CloudTrail does.
  validationErrors: {
    LookupAttributes: ctErrors.InvalidLookupAttributesException,
    StartTime: ctErrors.InvalidTimeRangeException,
    EndTime: ctErrors.InvalidTimeRangeException,
    EventCategory: ctErrors.InvalidEventCategoryException,
    MaxResults: ctErrors.InvalidMaxResultsException,
    NextToken: ctErrors.InvalidNextTokenException,
  },
  async handle(input, ctx) {
    const { query, params } = planLookup(input, {
      accountId: ctx.accountId,
      region: ctx.region,
      now: ctx.now,
      retentionDays: ctx.deps.eventRetentionDays,
    });
    if (!query) return { Events: [] };
    const page = await ctx.tx.events.lookup(query);
    const out: ct.LookupEventsResponse = { Events: page.events.map(lookupEvent) };
    if (page.next) out.NextToken = encodeLookupToken(params, page.next);
    return out;
  },
});
