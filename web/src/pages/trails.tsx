import { useState } from "preact/hooks";
import type { Trail } from "@aws-sdk/client-cloudtrail";
import type { Clients } from "../lib/aws.js";
import { formatDate } from "../lib/format.js";
import { href } from "../lib/route.js";
import { listTrails } from "../lib/trails.js";
import { useLoad } from "../lib/use-load.js";
import { useTableQuery } from "../lib/use-table-query.js";
import { DeleteButton, PageHeader, ResourceTable, SearchBox } from "../components/page.js";
import { Empty, ErrorBanner, Loading } from "../components/status.js";
import { DeleteTrailDialog, setLogging } from "../components/trail-actions.js";
import { TrailFormDialog } from "../components/trail-form.js";
import { LoggingBadge } from "./trail.js";

/** Trails: every trail that applies to this region, with its delivery health from GetTrailStatus. */
export function Trails({ clients, region }: { clients: Clients; region: string }) {
  const { state, reload } = useLoad(region, (signal) => listTrails(clients, signal));
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<Trail | undefined>(undefined);
  const [actionError, setActionError] = useState<unknown>(undefined);
  const trails = state.data;
  const table = useTableQuery(
    trails,
    ({ trail }) => `${trail.Name} ${trail.HomeRegion} ${trail.S3BucketName} ${trail.S3KeyPrefix ?? ""}`,
    {
      Name: ({ trail }) => trail.Name ?? "",
      "Home region": ({ trail }) => trail.HomeRegion ?? "",
      "S3 bucket": ({ trail }) => trail.S3BucketName ?? "",
      "Last delivery": ({ status }) => ("error" in status ? 0 : (status.LatestDeliveryTime?.getTime() ?? 0)),
    },
    "Name",
  );

  const toggle = async (trail: Trail, on: boolean): Promise<void> => {
    setActionError(undefined);
    try {
      await setLogging(clients, trail, on);
    } catch (error) {
      setActionError(error);
    }
    reload();
  };

  return (
    <main class="page" aria-labelledby="page-title">
      <PageHeader title="Trails" refresh={{ onClick: reload, busy: state.status === "loading" }}>
        <button type="button" class="button button-primary" onClick={() => setCreating(true)}>
          Create trail
        </button>
      </PageHeader>
      <p class="hint">CloudTrail trails that record events of {region}, multi-region trails of other home regions included.</p>
      {state.status === "error" ? <ErrorBanner error={state.error} title="Could not list trails." /> : null}
      {actionError !== undefined ? <ErrorBanner error={actionError} title="Could not change logging." /> : null}
      {state.status === "loading" ? <Loading label="Loading trails…" /> : null}
      {trails && trails.length === 0 ? <Empty>No trails in {region} yet.</Empty> : null}
      {trails && trails.length > 0 ? (
        <>
          <SearchBox label="Find trails" query={table} />
          <ResourceTable
            columns={["Name", "Home region", "Multi-region trail", "Logging", "S3 bucket", "Prefix", "Last delivery", "Last delivery error"]}
            query={table}
            sortable={["Name", "Home region", "S3 bucket", "Last delivery"]}
          >
            {table.rows.map(({ trail, status }) => {
              const known = "error" in status ? undefined : status;
              return (
                <tr key={trail.TrailARN}>
                  <td>
                    <a href={href({ page: "trail", trail: trail.TrailARN! })}>{trail.Name}</a>
                  </td>
                  <td class="mono">{trail.HomeRegion}</td>
                  <td>{trail.IsMultiRegionTrail ? "Yes" : "No"}</td>
                  <td>{known ? <LoggingBadge on={known.IsLogging} /> : "Unknown"}</td>
                  <td class="mono">{trail.S3BucketName}</td>
                  <td class="mono">{trail.S3KeyPrefix}</td>
                  <td class="nowrap">{known?.LatestDeliveryTime ? formatDate(known.LatestDeliveryTime) : "—"}</td>
                  <td class={known?.LatestDeliveryError ? "error-code" : ""}>{known ? known.LatestDeliveryError || "—" : "Status unavailable"}</td>
                  <td class="actions">
                    {known ? (
                      <button type="button" class="button button-small" aria-label={`${known.IsLogging ? "Stop" : "Start"} logging ${trail.Name}`} onClick={() => void toggle(trail, !known.IsLogging)}>
                        {known.IsLogging ? "Stop logging" : "Start logging"}
                      </button>
                    ) : null}
                    <DeleteButton what={`trail ${trail.Name}`} onClick={() => setDeleting(trail)} />
                  </td>
                </tr>
              );
            })}
          </ResourceTable>
        </>
      ) : null}
      {creating ? <TrailFormDialog clients={clients} onClose={() => setCreating(false)} onDone={reload} /> : null}
      {deleting ? <DeleteTrailDialog clients={clients} trail={deleting} onDone={reload} onClose={() => setDeleting(undefined)} /> : null}
    </main>
  );
}
