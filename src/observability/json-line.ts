import type { LogFields } from "./logger.js";

/**
 * Log lines built as pino builds them with Cairn's options (`{"level":"info","time":"…",…fields,"msg":"…"}`), without
 * pino's general path (serializers, stringifiers, formatters, a diagnostics channel) that flat fields never need: the
 * request log writes one line per API call. Lines carrying an error still go through pino, for its error serializer.
 */

let timeMs = -1;
let timeField = "";

/**
 * pino's `isoTime` (`,"time":"…"`), formatted once per millisecond rather than once per line: lines written in the
 * same millisecond share one `toISOString`.
 */
export function isoTime(): string {
  const now = Date.now();
  if (now !== timeMs) {
    timeMs = now;
    timeField = `,"time":"${new Date(now).toISOString()}"`;
  }
  return timeField;
}

/** JSON.stringify(text) for a string: printable ASCII without quotes or backslashes (ids, names, ARNs) is quoted as is. */
function quote(text: string): string {
  if (text.length > 256) return JSON.stringify(text);
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c < 32 || c > 126 || c === 34 || c === 92) return JSON.stringify(text);
  }
  return '"' + text + '"';
}

/**
 * `,"name":value` for each own field that is not undefined, as pino writes them: strings JSON-escaped, numbers that
 * are not finite as null.
 */
export function fieldsJson(fields: LogFields): string {
  let out = "";
  for (const key of Object.keys(fields)) {
    const value = fields[key];
    if (value === undefined) continue;
    out += "," + quote(key) + ":" + valueJson(value);
  }
  return out;
}

function valueJson(value: string | number | boolean | null): string {
  if (typeof value === "string") return quote(value);
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "null";
  return String(value);
}

/** One whole line, newline included; `bindings` is a child logger's fields, already as fieldsJson renders them. */
export function jsonLine(level: string, bindings: string, message: string, fields: LogFields | undefined): string {
  return `{"level":"${level}"` + isoTime() + bindings + (fields === undefined ? "" : fieldsJson(fields)) + ',"msg":' + JSON.stringify(message) + "}\n";
}
