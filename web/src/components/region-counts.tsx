import { useEffect, useRef, useState } from "preact/hooks";
import type { Clients } from "../lib/aws.js";
import { loadCloudMapSummary, type CloudMapSummary } from "../lib/cloud-map-summary.js";
import { useServedRegions } from "../lib/regions.js";
import { ErrorBanner } from "./status.js";

/**
 * Cloud Map counts in every served region, on request (one region after another: it costs a few calls per
 * region, each recorded in that region's Event history).
 */
export function RegionCounts({ clientsFor }: { clientsFor: (region: string) => Clients }) {
  const regions = useServedRegions();
  const [counts, setCounts] = useState<Array<[string, CloudMapSummary]> | undefined>(undefined);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const controller = useRef<AbortController | undefined>(undefined);
  useEffect(() => () => controller.current?.abort(), []);

  const count = async (): Promise<void> => {
    const abort = new AbortController();
    controller.current = abort;
    setRunning(true);
    setError(undefined);
    setCounts([]);
    try {
      for (const region of regions ?? []) {
        const summary = await loadCloudMapSummary(clientsFor(region), abort.signal);
        setCounts((c) => [...(c ?? []), [region, summary]]);
      }
    } catch (failure) {
      if (!abort.signal.aborted) setError(failure);
    } finally {
      if (!abort.signal.aborted) setRunning(false);
    }
  };

  return (
    <section class="card dashboard-wide" aria-labelledby="region-counts">
      <div class="section-header">
        <h2 id="region-counts">Counts by region</h2>
        <button type="button" class="button button-small" disabled={running || !regions} onClick={() => void count()}>
          {running ? `Counting… (${counts?.length ?? 0} of ${regions?.length ?? 0})` : "Count in all regions"}
        </button>
      </div>
      {error !== undefined ? <ErrorBanner error={error} title="Could not count every region." /> : null}
      {counts && counts.length > 0 ? (
        <div class="scroll-x">
          <table class="compact">
            <thead>
              <tr>
                <th scope="col">Region</th>
                <th scope="col">Namespaces</th>
                <th scope="col">Services</th>
                <th scope="col">Instances</th>
                <th scope="col">Unhealthy instances</th>
              </tr>
            </thead>
            <tbody>
              {counts.map(([region, s]) => (
                <tr key={region}>
                  <td class="mono">{region}</td>
                  <td>{s.namespaces}</td>
                  <td>{s.services}</td>
                  <td>{s.instances}</td>
                  <td class={s.unhealthy.length ? "error-code" : ""}>{s.unhealthy.length}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
