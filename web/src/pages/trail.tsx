import { Fragment, type ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import type { Clients } from "../lib/aws.js";
import { formatDate } from "../lib/format.js";
import { href } from "../lib/route.js";
import { loadTrail, managementEventsLabel } from "../lib/trails.js";
import { useLoad } from "../lib/use-load.js";
import { Arn } from "../components/id.js";
import { PageHeader } from "../components/page.js";
import { Empty, ErrorBanner, Loading } from "../components/status.js";
import { DeleteTrailDialog, setLogging } from "../components/trail-actions.js";
import { TrailFormDialog } from "../components/trail-form.js";

export function LoggingBadge({ on }: { on: boolean | undefined }) {
  return <span class={on ? "badge badge-healthy" : "badge badge-unknown"}>{on ? "On" : "Off"}</span>;
}

/** A label/value list; empty values show as a dash. */
function Details({ label, rows }: { label: string; rows: Array<[string, ComponentChildren]> }) {
  return (
    <section class="card" aria-label={label}>
      <h2>{label}</h2>
      <dl class="details">
        {rows.map(([term, value]) => (
          <Fragment key={term}>
            <dt>{term}</dt>
            <dd>{value === undefined || value === "" ? "—" : value}</dd>
          </Fragment>
        ))}
      </dl>
    </section>
  );
}

/** A trail: its settings, delivery status (logs and digests), event selectors and tags, with Edit, logging and Delete. */
export function TrailPage({ clients, region, trail: name }: { clients: Clients; region: string; trail: string }) {
  const { state, reload } = useLoad(`${region} ${name}`, (signal) => loadTrail(clients, name, signal));
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [actionError, setActionError] = useState<unknown>(undefined);
  const data = state.data;
  const trail = data?.trail;
  const status = data?.status;

  const toggle = async (): Promise<void> => {
    setActionError(undefined);
    try {
      await setLogging(clients, trail!, !status?.IsLogging);
    } catch (error) {
      setActionError(error);
    }
    reload();
  };

  return (
    <main class="page" aria-labelledby="page-title">
      <nav class="breadcrumbs" aria-label="Breadcrumbs">
        <a href={href({ page: "trails" })}>Trails</a> / <span aria-current="page">{trail?.Name ?? name}</span>
      </nav>
      <PageHeader title={trail?.Name ?? name} refresh={{ onClick: reload, busy: state.status === "loading" }}>
        <button type="button" class="button" disabled={!trail} onClick={() => void toggle()}>
          {status?.IsLogging ? "Stop logging" : "Start logging"}
        </button>
        <button type="button" class="button" disabled={!trail} onClick={() => setEditing(true)}>
          Edit
        </button>
        <button type="button" class="button" disabled={!trail} onClick={() => setDeleting(true)}>
          Delete
        </button>
      </PageHeader>
      {state.status === "error" ? <ErrorBanner error={state.error} title="Could not load the trail." /> : null}
      {actionError !== undefined ? <ErrorBanner error={actionError} title="Could not change logging." /> : null}
      {state.status === "loading" ? <Loading /> : null}
      {data && trail && status ? (
        <>
          <Details
            label="General details"
            rows={[
              ["Trail ARN", <span class="mono"><Arn value={trail.TrailARN} /></span>],
              ["Home region", <span class="mono">{trail.HomeRegion}</span>],
              ["Multi-region trail", trail.IsMultiRegionTrail ? "Yes" : "No"],
              ["Global service events", trail.IncludeGlobalServiceEvents ? "Included" : "Not included"],
              ["S3 bucket", <span class="mono">{trail.S3BucketName}</span>],
              ["Prefix", trail.S3KeyPrefix ? <span class="mono">{trail.S3KeyPrefix}</span> : ""],
              ["Log file validation", trail.LogFileValidationEnabled ? "Enabled" : "Disabled"],
            ]}
          />
          <Details
            label="Status"
            rows={[
              ["Logging", <LoggingBadge on={status.IsLogging} />],
              ["Started logging", formatDate(status.StartLoggingTime)],
              ["Stopped logging", formatDate(status.StopLoggingTime)],
              ["Last log file delivered", formatDate(status.LatestDeliveryTime)],
              ["Last delivery error", status.LatestDeliveryError ? <span class="error-code">{status.LatestDeliveryError}</span> : "None"],
              ["Last digest delivered", trail.LogFileValidationEnabled ? formatDate(status.LatestDigestDeliveryTime) : "Validation is off"],
              ["Last digest error", status.LatestDigestDeliveryError ? <span class="error-code">{status.LatestDigestDeliveryError}</span> : "None"],
            ]}
          />
          <section class="card" aria-labelledby="selectors-title">
            <h2 id="selectors-title">Event selectors</h2>
            <p>
              Management events: <strong>{managementEventsLabel(data.selectors)}</strong>
            </p>
            <pre class="json" tabIndex={0} aria-label="Event selectors JSON">
              {JSON.stringify(data.selectors.AdvancedEventSelectors?.length ? data.selectors.AdvancedEventSelectors : (data.selectors.EventSelectors ?? []), null, 2)}
            </pre>
          </section>
          <section aria-labelledby="tags-title">
            <h2 id="tags-title">Tags</h2>
            {data.tags.length === 0 ? (
              <Empty>No tags.</Empty>
            ) : (
              <div class="table-wrap">
                <table class="compact">
                  <thead>
                    <tr>
                      <th scope="col">Key</th>
                      <th scope="col">Value</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.tags.map((tag) => (
                      <tr key={tag.Key}>
                        <td class="mono">{tag.Key}</td>
                        <td>{tag.Value}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </>
      ) : null}
      {editing && trail ? (
        <TrailFormDialog clients={clients} trail={trail} selectors={data?.selectors} onClose={() => setEditing(false)} onDone={reload} />
      ) : null}
      {deleting && trail ? (
        <DeleteTrailDialog clients={clients} trail={trail} onDone={() => (window.location.hash = href({ page: "trails" }))} onClose={() => setDeleting(false)} />
      ) : null}
    </main>
  );
}
