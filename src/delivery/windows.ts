import type { LoggingWindow, LogEvent } from "../store/trail-records.js";

/** The calls that close a logging window: the trail's StopLogging, or its DeleteTrail. */
const CLOSING_CALLS = new Set(["StopLogging", "DeleteTrail"]);

function requestIdOf(e: LogEvent): string | undefined {
  if (e.eventSource !== "cloudtrail.amazonaws.com" || !CLOSING_CALLS.has(e.eventName) || e.errorCode !== undefined) return undefined;
  return (JSON.parse(e.record) as { requestID?: string }).requestID;
}

/**
 * Walks events in seq order through a trail's logging windows: tells for each whether the trail was logging,
 * and fixes each window's end when its closing call is met (that call is the last event the window holds).
 * Returns the windows with the ends it found; the input is not changed.
 */
export function inWindows(windows: LoggingWindow[], events: LogEvent[]): { logging: Set<number>; windows: LoggingWindow[] } {
  const resolved = windows.map((w) => ({ ...w }));
  const logging = new Set<number>();
  for (const e of events) {
    const requestId = requestIdOf(e);
    for (const w of resolved) {
      if (e.seq <= w.after || (w.until !== undefined && e.seq > w.until)) continue;
      logging.add(e.seq);
      if (w.until === undefined && w.stopRequestId !== undefined && w.stopRequestId === requestId) w.until = e.seq;
    }
  }
  return { logging, windows: resolved };
}

/** Windows still able to hold events after `cursor`. */
export function openWindows(windows: LoggingWindow[], cursor: number): LoggingWindow[] {
  return windows.filter((w) => w.until === undefined || w.until > cursor);
}
