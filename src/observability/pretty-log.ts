/** Renders one JSON log line for a person at a terminal: `10:01:02.345 INFO  request  operation=… status=200`. */
export function prettyLine(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const { time, level, msg, err, ...rest } = entry;
  const clock = typeof time === "string" ? time.slice(11, 23) : "";
  const fields = Object.entries(rest)
    .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(" ");
  const stack = err && typeof err === "object" && "stack" in err ? `\n${String((err as { stack: unknown }).stack)}` : "";
  return `${clock} ${String(level).toUpperCase().padEnd(5)} ${String(msg)}${fields ? `  ${fields}` : ""}${stack}\n`;
}
