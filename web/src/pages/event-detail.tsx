import { Fragment } from "preact";
import { useState } from "preact/hooks";
import type { EventRow } from "../lib/event-rows.js";
import { href } from "../lib/route.js";
import { Dialog } from "../components/dialog.js";
import { Arn } from "../components/id.js";

/** The console page of a Cloud Map resource an event names (by ID), if it has one. */
function resourceLink(name: string, row: EventRow): string | undefined {
  const namespaceId = row.resourceNames.find((n) => /^ns-[a-z0-9]+$/.test(n));
  if (/^ns-[a-z0-9]+$/.test(name)) return href({ page: "namespace", namespaceId: name });
  if (/^srv-[a-z0-9]+$/.test(name) && namespaceId) return href({ page: "service", namespaceId, serviceId: name });
  return undefined;
}

/** Copies the event record to the clipboard and says so. */
function CopyButton({ text }: { text: string }) {
  const [state, setState] = useState<"" | "Copied" | "Could not copy">("");
  const copy = (): void => {
    navigator.clipboard.writeText(text).then(
      () => setState("Copied"),
      () => setState("Could not copy"),
    );
  };
  return (
    <span class="copy">
      <button type="button" class="button button-small" onClick={copy}>
        Copy
      </button>
      <span role="status">{state}</span>
    </span>
  );
}

/** One event: its summary, the resources it names, and the full CloudTrail record. */
export function EventDetail({ row, onClose }: { row: EventRow; onClose: () => void }) {
  const json = JSON.stringify(row.record ?? {}, null, 2);
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
            {row.resourceTypes.map((type, i) => {
              const name = row.resourceNames[i] ?? "";
              const link = resourceLink(name, row);
              return (
                <tr key={i}>
                  <td class="mono">{type}</td>
                  <td>
                    <span class="mono">{link ? <a href={link}>{name}</a> : <Arn value={name} />}</span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <div class="section-header">
        <h3>Event record</h3>
        <CopyButton text={json} />
      </div>
      <pre class="json" tabIndex={0} aria-label="Event record JSON">
        {json}
      </pre>
    </Dialog>
  );
}
