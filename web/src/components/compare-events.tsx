import type { EventRow } from "../lib/event-rows.js";
import { Dialog } from "./dialog.js";

/** A record's fields one level deep (nested objects as JSON), so two records line up field by field. */
function fields(record: Record<string, unknown> | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(record ?? {})) {
    if (value && typeof value === "object" && !Array.isArray(value)) {
      for (const [inner, v] of Object.entries(value)) out.set(`${key}.${inner}`, typeof v === "string" ? v : JSON.stringify(v));
    } else {
      out.set(key, typeof value === "string" ? value : JSON.stringify(value));
    }
  }
  return out;
}

/** Two events side by side, every field of their records in one row; the rows that differ are marked. */
export function CompareEventsDialog({ events, onClose }: { events: [EventRow, EventRow]; onClose: () => void }) {
  const [a, b] = events.map((e) => fields(e.record)) as [Map<string, string>, Map<string, string>];
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  return (
    <Dialog title="Compare events" onClose={onClose} wide>
      <div class="table-wrap">
        <table class="compact compare">
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">
                {events[0].eventName} <span class="mono">{events[0].eventTime}</span>
              </th>
              <th scope="col">
                {events[1].eventName} <span class="mono">{events[1].eventTime}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.map((key) => {
              const differs = a.get(key) !== b.get(key);
              return (
                <tr key={key} class={differs ? "differs" : undefined}>
                  <th scope="row" class="mono">
                    {key}
                    {differs ? <span class="visually-hidden"> (differs)</span> : null}
                  </th>
                  <td class="mono">{a.get(key) ?? "—"}</td>
                  <td class="mono">{b.get(key) ?? "—"}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </Dialog>
  );
}
