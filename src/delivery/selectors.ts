import type { AdvancedEventSelector, AdvancedFieldSelector, TrailRecord } from "../store/trail-records.js";
import type { LogEvent } from "../store/trail-records.js";

/** IAM and STS events are recorded in us-east-1 as global service events. */
const GLOBAL_SOURCES = new Set(["iam.amazonaws.com", "sts.amazonaws.com"]);
export const GLOBAL_EVENTS_REGION = "us-east-1";

export function isGlobalServiceEvent(e: Pick<LogEvent, "eventSource" | "region">): boolean {
  return GLOBAL_SOURCES.has(e.eventSource) && e.region === GLOBAL_EVENTS_REGION;
}

/** What the field selectors of a management event can look at. */
function fieldValue(e: LogEvent, field: string): string | undefined {
  switch (field) {
    case "eventCategory":
      return "Management";
    case "readOnly":
      return e.readOnly ? "true" : "false";
    case "eventSource":
      return e.eventSource;
    case "eventName":
      return e.eventName;
    default:
      return undefined;
  }
}

function fieldMatches(f: AdvancedFieldSelector, value: string | undefined): boolean {
  if (value === undefined) return false;
  const any = (list: string[] | undefined, test: (v: string) => boolean) => list === undefined || list.some(test);
  const none = (list: string[] | undefined, test: (v: string) => boolean) => list === undefined || !list.some(test);
  return (
    any(f.Equals, (v) => value === v) &&
    any(f.StartsWith, (v) => value.startsWith(v)) &&
    any(f.EndsWith, (v) => value.endsWith(v)) &&
    none(f.NotEquals, (v) => value === v) &&
    none(f.NotStartsWith, (v) => value.startsWith(v)) &&
    none(f.NotEndsWith, (v) => value.endsWith(v))
  );
}

function advancedMatches(selectors: AdvancedEventSelector[], e: LogEvent): boolean {
  return selectors.some((s) => s.FieldSelectors.every((f) => fieldMatches(f, fieldValue(e, f.Field))));
}

/**
 * Whether a trail logs an event, apart from when it was logging: the account, the trail's region scope, the
 * global-service-event rule, then its event selectors (every event Cairn records is a management event).
 */
export function trailWants(trail: TrailRecord, e: LogEvent): boolean {
  if (e.accountId !== trail.accountId) return false;
  const { IsMultiRegionTrail, IncludeGlobalServiceEvents } = trail.config;
  if (isGlobalServiceEvent(e)) {
    if (!IncludeGlobalServiceEvents || (!IsMultiRegionTrail && trail.homeRegion !== GLOBAL_EVENTS_REGION)) return false;
  } else if (!IsMultiRegionTrail && e.region !== trail.homeRegion) {
    return false;
  }
  const s = trail.selectors;
  if ("advanced" in s) return advancedMatches(s.advanced, e);
  return s.basic.some(
    (b) =>
      b.IncludeManagementEvents &&
      (b.ReadWriteType === "All" || (b.ReadWriteType === "ReadOnly") === e.readOnly) &&
      !b.ExcludeManagementEventSources.includes(e.eventSource),
  );
}
