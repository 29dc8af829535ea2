import type { LookupAttributeKey, LookupEventsCommandInput } from "@aws-sdk/client-cloudtrail";

/** The lookup attributes, labelled as AWS's console labels them. */
export const ATTRIBUTES: ReadonlyArray<readonly [LookupAttributeKey, string]> = [
  ["AccessKeyId", "AWS access key"],
  ["EventId", "Event ID"],
  ["EventName", "Event name"],
  ["EventSource", "Event source"],
  ["ReadOnly", "Read-only"],
  ["ResourceName", "Resource name"],
  ["ResourceType", "Resource type"],
  ["Username", "User name"],
];

/** AWS's relative ranges (30 minutes to 7 days), "any" for the whole 90 days, and "custom" for an absolute range. */
export const RANGES: ReadonlyArray<readonly [string, string, number]> = [
  ["any", "Any time (90 days)", 0],
  ["30m", "Last 30 minutes", 30],
  ["1h", "Last hour", 60],
  ["3h", "Last 3 hours", 180],
  ["12h", "Last 12 hours", 720],
  ["1d", "Last day", 1440],
  ["3d", "Last 3 days", 4320],
  ["7d", "Last 7 days", 10080],
  ["custom", "Custom range", 0],
];

/**
 * An Event history search as the URL keeps it (`#/events?attr=…&value=…&range=…&start=…&end=…`), so it can be
 * shared and back/forward return to it. `start`/`end` of a custom range are ISO instants (UTC), whatever zone the
 * user reads them in.
 */
export interface EventQuery {
  attr: LookupAttributeKey;
  value: string;
  range: string;
  start: string;
  end: string;
}

/** AWS's console opens Event history filtered to Read-only = false. */
export const DEFAULT_QUERY: EventQuery = { attr: "ReadOnly", value: "false", range: "any", start: "", end: "" };

export function parseQuery(search: string): EventQuery {
  const params = new URLSearchParams(search);
  if (![...params.keys()].length) return DEFAULT_QUERY;
  const attr = params.get("attr");
  const range = params.get("range");
  return {
    attr: ATTRIBUTES.find(([key]) => key === attr)?.[0] ?? DEFAULT_QUERY.attr,
    value: params.get("value") ?? "",
    range: RANGES.find(([id]) => id === range)?.[0] ?? "any",
    start: params.get("start") ?? "",
    end: params.get("end") ?? "",
  };
}

export function serializeQuery(query: EventQuery): string {
  const params = new URLSearchParams({ attr: query.attr, value: query.value, range: query.range });
  if (query.range === "custom") {
    if (query.start) params.set("start", query.start);
    if (query.end) params.set("end", query.end);
  }
  return params.toString();
}

/** A search the console refuses before sending, with the field to fix. */
export class InvalidSearch extends Error {
  constructor(message: string, readonly field: "start-time" | "end-time") {
    super(message);
    this.name = "Invalid search";
  }
}

function instant(value: string, field: "start-time" | "end-time"): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidSearch(`${field === "start-time" ? "From" : "To"} is not a date and time.`, field);
  return date;
}

/** The LookupEvents input a query stands for, relative ranges resolved against `now`; throws InvalidSearch. */
export function lookupInput(query: EventQuery, now: Date): LookupEventsCommandInput {
  const input: LookupEventsCommandInput = {};
  if (query.value.trim()) input.LookupAttributes = [{ AttributeKey: query.attr, AttributeValue: query.value.trim() }];
  const minutes = RANGES.find(([id]) => id === query.range)?.[2] ?? 0;
  if (minutes > 0) {
    input.StartTime = new Date(now.getTime() - minutes * 60_000);
    input.EndTime = now;
  } else if (query.range === "custom") {
    const start = instant(query.start, "start-time");
    const end = instant(query.end, "end-time");
    if (start && end && start > end) throw new InvalidSearch("From must be earlier than To.", "end-time");
    if (start) input.StartTime = start;
    if (end) input.EndTime = end;
  }
  return input;
}
