import { LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import type { Clients } from "../lib/aws.js";
import { loadCloudMapSummary } from "../lib/cloud-map-summary.js";
import { toEventRow } from "../lib/event-rows.js";
import { formatDate } from "../lib/format.js";
import { href } from "../lib/route.js";
import { formatTime, useTimeZone } from "../lib/time-zone.js";
import { listTrails } from "../lib/trails.js";
import { useLoad } from "../lib/use-load.js";
import { RegionCounts } from "../components/region-counts.js";
import { Empty, ErrorBanner, Loading } from "../components/status.js";
import { LoggingBadge } from "./trail.js";

/** The landing page: recent changes, the trails' health and the region's Cloud Map at a glance; each part loads on its own. */
export function Dashboard({ clients, region, clientsFor }: { clients: Clients; region: string; clientsFor: (region: string) => Clients }) {
  const [zone] = useTimeZone();
  const events = useLoad(region, async (signal) => {
    const page = await clients.cloudTrail.send(new LookupEventsCommand({ MaxResults: 5, LookupAttributes: [{ AttributeKey: "ReadOnly", AttributeValue: "false" }] }), { abortSignal: signal });
    return (page.Events ?? []).map(toEventRow);
  });
  const trails = useLoad(region, (signal) => listTrails(clients, signal));
  const cloudMap = useLoad(region, (signal) => loadCloudMapSummary(clients, signal));

  return (
    <main class="page" aria-labelledby="page-title">
      <div class="page-header">
        <h1 id="page-title">Dashboard</h1>
      </div>
      <p class="hint">CloudTrail and Cloud Map in {region}.</p>
      <div class="dashboard">
        <section class="card dashboard-wide" aria-labelledby="recent-events">
          <h2 id="recent-events">Recent events</h2>
          <p class="hint">The latest changes (write events).</p>
          {events.state.status === "error" ? <ErrorBanner error={events.state.error} title="Could not look up events." /> : null}
          {events.state.status === "loading" ? <Loading label="Looking up events…" /> : null}
          {events.state.status === "ok" && events.state.data.length === 0 ? <Empty>No events recorded in {region} yet.</Empty> : null}
          {events.state.status === "ok" && events.state.data.length > 0 ? (
            <div class="scroll-x">
              <table class="compact">
                <thead>
                  <tr>
                    <th scope="col">Event name</th>
                    <th scope="col">Event time</th>
                    <th scope="col">User name</th>
                    <th scope="col">Error code</th>
                  </tr>
                </thead>
                <tbody>
                  {events.state.data.map((row) => (
                    <tr key={row.eventId}>
                      <td>
                        <a href={href({ page: "events", query: new URLSearchParams({ attr: "EventId", value: row.eventId, range: "any" }).toString() })}>{row.eventName}</a>
                      </td>
                      <td class="mono">{formatTime(new Date(row.eventTime), zone)}</td>
                      <td>{row.userName}</td>
                      <td class="error-code">{row.errorCode}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          <p>
            <a href={href({ page: "events", query: new URLSearchParams({ attr: "ReadOnly", value: "", range: "any" }).toString() })}>View full Event history</a>
          </p>
        </section>
        <section class="card" aria-labelledby="trails-health">
          <h2 id="trails-health">Trails</h2>
          {trails.state.status === "error" ? <ErrorBanner error={trails.state.error} title="Could not list trails." /> : null}
          {trails.state.status === "loading" ? <Loading label="Loading trails…" /> : null}
          {trails.state.status === "ok" && trails.state.data.length === 0 ? (
            <Empty>
              No trail records {region}'s events. <a href={href({ page: "trails" })}>Create trail</a>
            </Empty>
          ) : null}
          {trails.state.status === "ok" && trails.state.data.length > 0 ? (
            <div class="scroll-x">
              <table class="compact">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Logging</th>
                    <th scope="col">Last delivery</th>
                    <th scope="col">Delivery error</th>
                  </tr>
                </thead>
                <tbody>
                  {trails.state.data.map(({ trail, status }) => {
                    const known = "error" in status ? undefined : status;
                    return (
                      <tr key={trail.TrailARN}>
                        <td>
                          <a href={href({ page: "trail", trail: trail.TrailARN! })}>{trail.Name}</a>
                        </td>
                        <td>{known ? <LoggingBadge on={known.IsLogging} /> : "Unknown"}</td>
                        <td class="nowrap">{formatDate(known?.LatestDeliveryTime) || "—"}</td>
                        <td class="error-code">{known?.LatestDeliveryError ?? ""}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          ) : null}
        </section>
        <section class="card" aria-labelledby="cloud-map-summary">
          <h2 id="cloud-map-summary">Cloud Map</h2>
          {cloudMap.state.status === "error" ? <ErrorBanner error={cloudMap.state.error} title="Could not count Cloud Map resources." /> : null}
          {cloudMap.state.status === "loading" ? <Loading label="Counting…" /> : null}
          {cloudMap.state.status === "ok" ? (
            <>
              <dl class="counts">
                {(
                  [
                    ["Namespaces", cloudMap.state.data.namespaces],
                    ["Services", cloudMap.state.data.services],
                    ["Instances", cloudMap.state.data.instances],
                    ["Unhealthy instances", cloudMap.state.data.unhealthy.length],
                  ] as const
                ).map(([label, count]) => (
                  <div key={label} class={label === "Unhealthy instances" && count > 0 ? "count count-bad" : "count"}>
                    <dt>{label}</dt>
                    <dd>{count}</dd>
                  </div>
                ))}
              </dl>
              {cloudMap.state.data.unhealthy.length > 0 ? (
                <ul class="unhealthy">
                  {cloudMap.state.data.unhealthy.map((u) => (
                    <li key={`${u.serviceId}/${u.instanceId}`}>
                      <span class="mono">{u.instanceId}</span> in{" "}
                      <a href={href({ page: "service", namespaceId: u.namespaceId, serviceId: u.serviceId })}>{u.serviceName}</a>
                    </li>
                  ))}
                </ul>
              ) : null}
              <p>
                <a href={href({ page: "namespaces" })}>View namespaces</a>
              </p>
            </>
          ) : null}
        </section>
        <RegionCounts clientsFor={clientsFor} />
      </div>
    </main>
  );
}
