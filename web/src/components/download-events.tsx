import { useEffect, useRef, useState } from "preact/hooks";
import { LookupEventsCommand, type LookupEventsCommandInput } from "@aws-sdk/client-cloudtrail";
import type { Clients } from "../lib/aws.js";
import { downloadText } from "../lib/download.js";
import { toEventRow, type EventRow } from "../lib/event-rows.js";
import { eventsToCsv, eventsToJson } from "../lib/export.js";
import { Dialog } from "./dialog.js";
import { ErrorBanner } from "./status.js";

type Format = "csv" | "json";

/**
 * Download: pages through every event the search matches (not only the rows loaded), showing how many it has so
 * far; Cancel stops the lookup and saves nothing.
 */
export function DownloadEventsDialog(props: { clients: Clients; input: LookupEventsCommandInput; onClose: () => void }) {
  const [format, setFormat] = useState<Format>("csv");
  const [progress, setProgress] = useState<number | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const controller = useRef<AbortController | undefined>(undefined);
  useEffect(() => () => controller.current?.abort(), []);

  const start = async (e: Event): Promise<void> => {
    e.preventDefault();
    const abort = new AbortController();
    controller.current = abort;
    setError(undefined);
    setProgress(0);
    const rows: EventRow[] = [];
    try {
      let NextToken: string | undefined;
      do {
        const page = await props.clients.cloudTrail.send(new LookupEventsCommand({ ...props.input, MaxResults: 50, NextToken }), { abortSignal: abort.signal });
        rows.push(...(page.Events ?? []).map(toEventRow));
        setProgress(rows.length);
        NextToken = page.NextToken;
      } while (NextToken);
      if (format === "csv") downloadText("event_history.csv", "text/csv", eventsToCsv(rows));
      else downloadText("event_history.json", "application/json", eventsToJson(rows));
      props.onClose();
    } catch (failure) {
      if (abort.signal.aborted) return;
      setError(failure);
      setProgress(undefined);
    }
  };

  const cancel = (): void => {
    controller.current?.abort();
    setProgress(undefined);
  };

  const busy = progress !== undefined;
  return (
    <Dialog title="Download events" onClose={props.onClose}>
      <form onSubmit={start} aria-busy={busy}>
        <p class="hint">Every event that matches the current search, newest first.</p>
        <fieldset disabled={busy}>
          <legend>File format</legend>
          <label class="choice">
            <input type="radio" name="download-format" checked={format === "csv"} onChange={() => setFormat("csv")} />
            CSV
          </label>
          <label class="choice">
            <input type="radio" name="download-format" checked={format === "json"} onChange={() => setFormat("json")} />
            JSON (as a trail log file: {"{"}"Records": […]{"}"})
          </label>
        </fieldset>
        {busy ? (
          <div class="download-progress">
            <progress aria-labelledby="download-status" />
            <span id="download-status" role="status">
              {progress} event{progress === 1 ? "" : "s"} fetched…
            </span>
          </div>
        ) : null}
        {error !== undefined ? <ErrorBanner error={error} title="The download stopped." /> : null}
        <div class="form-actions">
          {busy ? (
            <button type="button" class="button" onClick={cancel}>
              Cancel download
            </button>
          ) : (
            <button type="button" class="button" onClick={props.onClose}>
              Cancel
            </button>
          )}
          <button type="submit" class="button button-primary" disabled={busy}>
            Download
          </button>
        </div>
      </form>
    </Dialog>
  );
}
