import type { ComponentChildren } from "preact";
import type { EventRow } from "../lib/event-rows.js";
import { EVENT_COLUMNS, type EventColumn, type EventPreferences } from "../lib/event-preferences.js";
import { formatTime, type TimeZone } from "../lib/time-zone.js";
import { Arn } from "./id.js";

function lines(values: string[], mono = true): ComponentChildren {
  return values.map((value, i) => (
    <div key={i} class={mono ? "mono" : undefined}>
      <Arn value={value} />
    </div>
  ));
}

/** One cell's content; Event name opens the event. */
function cell(column: EventColumn, row: EventRow, zone: TimeZone, open: (row: EventRow) => void): ComponentChildren {
  switch (column) {
    case "eventTime":
      return <span class="mono id">{formatTime(row.eventTime ? new Date(row.eventTime) : undefined, zone)}</span>;
    case "eventName":
      return (
        <button type="button" class="link" onClick={() => open(row)}>
          {row.eventName}
        </button>
      );
    case "resourceType":
      return lines(row.resourceTypes);
    case "resourceName":
      return lines(row.resourceNames);
    case "errorCode":
      return <span class="error-code">{row.errorCode}</span>;
    case "userName":
    case "readOnly":
      return row[column];
    default:
      return <span class="mono id">{row[column]}</span>;
  }
}

/** Event history's table, with the columns and wrapping the user chose. */
export function EventTable(props: {
  rows: EventRow[];
  preferences: EventPreferences;
  zone: TimeZone;
  onOpen: (row: EventRow) => void;
  /** Events chosen for Compare, by ID. */
  chosen: ReadonlySet<string>;
  onChoose: (eventId: string, on: boolean) => void;
}) {
  const columns = EVENT_COLUMNS.filter(([id]) => props.preferences.columns.includes(id));
  return (
    <div class="table-wrap">
      <table class={props.preferences.wrap ? "events" : "events nowrap"}>
        <caption class="visually-hidden">Events, newest first</caption>
        <thead>
          <tr>
            <th scope="col">
              <span class="visually-hidden">Compare</span>
            </th>
            {columns.map(([id, label]) => (
              <th scope="col" key={id}>
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={row.eventId}>
              <td>
                <input
                  type="checkbox"
                  aria-label={`Choose ${row.eventName} ${row.eventTime} to compare`}
                  checked={props.chosen.has(row.eventId)}
                  onChange={(e) => props.onChoose(row.eventId, e.currentTarget.checked)}
                />
              </td>
              {columns.map(([id]) => (
                <td key={id} data-column={id}>
                  {cell(id, row, props.zone, props.onOpen)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
