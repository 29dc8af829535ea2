import type { Event } from "@aws-sdk/client-cloudtrail";

/** One Event history row: LookupEvents' summary plus the fields the table takes from the full record. */
export interface EventRow {
  eventId: string;
  eventTime: string;
  userName: string;
  eventName: string;
  resourceTypes: string[];
  resourceNames: string[];
  eventSource: string;
  accessKeyId: string;
  awsRegion: string;
  sourceIp: string;
  errorCode: string;
  errorMessage: string;
  requestId: string;
  readOnly: string;
  /** The CloudTrail record, parsed; undefined only if the server sent something that is not JSON. */
  record: Record<string, unknown> | undefined;
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function parseRecord(json: string | undefined): Record<string, unknown> | undefined {
  if (!json) return undefined;
  try {
    const value: unknown = JSON.parse(json);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** `2026-03-04T05:06:07Z`: CloudTrail's own eventTime format, whole seconds, UTC. */
export function formatEventTime(date: Date | undefined): string {
  return date ? date.toISOString().replace(/\.\d{3}Z$/, "Z") : "";
}

export function toEventRow(event: Event): EventRow {
  const record = parseRecord(event.CloudTrailEvent);
  const resources = event.Resources ?? [];
  return {
    eventId: event.EventId ?? "",
    eventTime: formatEventTime(event.EventTime),
    userName: event.Username ?? "",
    eventName: event.EventName ?? "",
    resourceTypes: resources.map((r) => r.ResourceType ?? ""),
    resourceNames: resources.map((r) => r.ResourceName ?? ""),
    eventSource: event.EventSource ?? "",
    accessKeyId: event.AccessKeyId ?? "",
    awsRegion: text(record?.["awsRegion"]),
    sourceIp: text(record?.["sourceIPAddress"]),
    errorCode: text(record?.["errorCode"]),
    errorMessage: text(record?.["errorMessage"]),
    requestId: text(record?.["requestID"]),
    readOnly: event.ReadOnly ?? "",
    record,
  };
}
