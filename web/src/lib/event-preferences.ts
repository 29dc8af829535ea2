/** Event history's table columns, as AWS's console names them. */
export const EVENT_COLUMNS = [
  ["eventTime", "Event time"],
  ["userName", "User name"],
  ["eventName", "Event name"],
  ["resourceType", "Resource type"],
  ["resourceName", "Resource name"],
  ["eventSource", "Event source"],
  ["accessKeyId", "AWS access key"],
  ["awsRegion", "AWS region"],
  ["sourceIp", "Source IP address"],
  ["errorCode", "Error code"],
  ["readOnly", "Read-only"],
  ["eventId", "Event ID"],
] as const;

export type EventColumn = (typeof EVENT_COLUMNS)[number][0];

export interface EventPreferences {
  columns: EventColumn[];
  /** Events per LookupEvents page (at most 50, the API's maximum). */
  pageSize: 10 | 25 | 50;
  /** Long cells wrap instead of widening the table. */
  wrap: boolean;
}

export const PAGE_SIZES = [10, 25, 50] as const;

/** What fits 1366 px without scrolling, Error code included. */
export const DEFAULT_PREFERENCES: EventPreferences = {
  columns: ["eventTime", "userName", "eventName", "resourceType", "resourceName", "eventSource", "errorCode"],
  pageSize: 50,
  wrap: true,
};

const KEY = "cairn.console.eventHistory.preferences";

/** The saved preferences; anything unknown or malformed falls back to the default. */
export function loadPreferences(): EventPreferences {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? "null") as Partial<EventPreferences> | null;
    if (!saved) return DEFAULT_PREFERENCES;
    const known = new Set<string>(EVENT_COLUMNS.map(([id]) => id));
    const columns = Array.isArray(saved.columns) ? saved.columns.filter((c): c is EventColumn => known.has(c)) : DEFAULT_PREFERENCES.columns;
    const pageSize = PAGE_SIZES.find((size) => size === saved.pageSize) ?? DEFAULT_PREFERENCES.pageSize;
    return { columns, pageSize, wrap: typeof saved.wrap === "boolean" ? saved.wrap : DEFAULT_PREFERENCES.wrap };
  } catch {
    return DEFAULT_PREFERENCES;
  }
}

export function savePreferences(preferences: EventPreferences): void {
  localStorage.setItem(KEY, JSON.stringify(preferences));
}
