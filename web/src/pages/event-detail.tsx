import { Fragment } from "preact";
import type { EventRow } from "../lib/event-rows.js";
import { Dialog } from "../components/dialog.js";

/** One event: its summary, the resources it names, and the full CloudTrail record. */
export function EventDetail({ row, onClose }: { row: EventRow; onClose: () => void }) {
  const fields: Array<[string, string]> = [
    ["Event time", row.eventTime],
    ["User name", row.userName],
    ["Event name", row.eventName],
    ["Event source", row.eventSource],
    ["AWS access key", row.accessKeyId],
    ["Source IP address", row.sourceIp],
    ["AWS region", row.awsRegion],
    ["Event ID", row.eventId],
    ["Request ID", row.requestId],
    ["Read-only", row.readOnly],
    ["Error code", row.errorCode],
    ["Error message", row.errorMessage],
  ];
  return (
    <Dialog title={row.eventName || "Event"} onClose={onClose} wide>
      <dl class="details">
        {fields
          .filter(([, value]) => value)
          .map(([label, value]) => (
            <Fragment key={label}>
              <dt>{label}</dt>
              <dd class={label === "Event name" || label === "User name" ? "" : "mono"}>{value}</dd>
            </Fragment>
          ))}
      </dl>
      <h3>Resources referenced</h3>
      {row.resourceTypes.length === 0 ? (
        <p class="empty">None.</p>
      ) : (
        <table class="compact">
          <thead>
            <tr>
              <th scope="col">Resource type</th>
              <th scope="col">Resource name</th>
            </tr>
          </thead>
          <tbody>
            {row.resourceTypes.map((type, i) => (
              <tr key={i}>
                <td class="mono">{type}</td>
                <td class="mono">{row.resourceNames[i]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Event record</h3>
      <pre class="json" tabIndex={0} aria-label="Event record JSON">
        {JSON.stringify(row.record ?? {}, null, 2)}
      </pre>
    </Dialog>
  );
}
