import type { EventRow } from "./event-rows.js";

/** Columns of the CSV download, in order, with the row field each one comes from. */
const CSV_COLUMNS: ReadonlyArray<readonly [string, (row: EventRow) => string]> = [
  ["Event ID", (r) => r.eventId],
  ["Event time", (r) => r.eventTime],
  ["User name", (r) => r.userName],
  ["Event name", (r) => r.eventName],
  ["Resource type", (r) => r.resourceTypes.join(", ")],
  ["Resource name", (r) => r.resourceNames.join(", ")],
  ["AWS access key", (r) => r.accessKeyId],
  ["Event source", (r) => r.eventSource],
  ["AWS region", (r) => r.awsRegion],
  ["Error code", (r) => r.errorCode],
  ["Source IP address", (r) => r.sourceIp],
  ["Read-only", (r) => r.readOnly],
];

/**
 * One CSV cell: always quoted (RFC 4180). Event data is caller-controlled, so a value a spreadsheet would run as a
 * formula (leading =, +, -, @, tab or carriage return) gets a leading apostrophe, as OWASP recommends.
 */
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** The rows as CSV with a header line, CRLF line ends. */
export function eventsToCsv(rows: readonly EventRow[]): string {
  const lines = [CSV_COLUMNS.map(([title]) => csvCell(title)).join(",")];
  for (const row of rows) lines.push(CSV_COLUMNS.map(([, field]) => csvCell(field(row))).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

/** The rows' full CloudTrail records, wrapped as a trail log file wraps them: `{"Records": [...]}`. */
export function eventsToJson(rows: readonly EventRow[]): string {
  return `${JSON.stringify({ Records: rows.map((row) => row.record ?? {}) }, null, 2)}\n`;
}
