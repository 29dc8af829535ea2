import { useRef, useState } from "preact/hooks";
import { LookupEventsCommand, type LookupEventsCommandInput } from "@aws-sdk/client-cloudtrail";
import type { Clients } from "../lib/aws.js";
import { toEventRow, type EventRow } from "../lib/event-rows.js";
import { loadPreferences, savePreferences } from "../lib/event-preferences.js";
import { InvalidSearch, lookupInput, parseQuery, serializeQuery } from "../lib/event-query.js";
import { href } from "../lib/route.js";
import { useTimeZone, zoneLabel } from "../lib/time-zone.js";
import { useLoad } from "../lib/use-load.js";
import { CompareEventsDialog } from "../components/compare-events.js";
import { DownloadEventsDialog } from "../components/download-events.js";
import { EventFilters } from "../components/event-filters.js";
import { EventPreferencesDialog } from "../components/event-preferences.js";
import { EventTable } from "../components/event-table.js";
import { ErrorBanner, Empty, Loading } from "../components/status.js";
import { EventDetail } from "./event-detail.js";

interface Results {
  /** What was asked, relative ranges resolved once, so later pages continue the same lookup. */
  input: LookupEventsCommandInput;
  rows: EventRow[];
  nextToken?: string;
}

export function EventHistory({ clients, region, search }: { clients: Clients; region: string; search: string }) {
  const query = parseQuery(search);
  const [zone, setZone] = useTimeZone();
  const [selected, setSelected] = useState<EventRow | undefined>(undefined);
  const [preferences, setPreferences] = useState(loadPreferences);
  const [dialog, setDialog] = useState<"preferences" | "download" | "compare" | undefined>(undefined);
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  // The form is rebuilt from the URL when the URL changes other than by its own Search (back/forward, a link), so
  // it shows what is searched; after its own Search it stays, keeping focus where the user is.
  const submitted = useRef<string | undefined>(undefined);
  const seen = useRef({ search, form: 0 });
  if (seen.current.search !== search) {
    seen.current = { search, form: seen.current.form + (search === submitted.current ? 0 : 1) };
    submitted.current = undefined;
  }

  const fetchPage = async (signal: AbortSignal, input: LookupEventsCommandInput, previous: EventRow[], token?: string): Promise<Results> => {
    const page = await clients.cloudTrail.send(new LookupEventsCommand({ ...input, MaxResults: preferences.pageSize, NextToken: token }), { abortSignal: signal });
    return { input, rows: [...previous, ...(page.Events ?? []).map(toEventRow)], nextToken: page.NextToken };
  };
  const { state, reload, extend } = useLoad(`${region} ${preferences.pageSize} ${serializeQuery(query)}`, async (signal) => fetchPage(signal, lookupInput(query, new Date()), []));

  const loading = state.status === "loading";
  const results = state.status === "ok" ? state.data : undefined;
  const rows = state.data?.rows ?? [];
  const invalid = state.status === "error" && state.error instanceof InvalidSearch ? state.error : undefined;
  const zoneName = zoneLabel(zone);
  const compared = rows.filter((row) => chosen.has(row.eventId));
  const choose = (eventId: string, on: boolean): void =>
    setChosen((c) => {
      const next = new Set(c);
      if (on) next.add(eventId);
      else next.delete(eventId);
      return next;
    });

  return (
    <main class="page" aria-labelledby="page-title">
      <div class="page-header">
        <h1 id="page-title">Event history</h1>
        <div class="page-actions">
          <button type="button" class="button" disabled={compared.length !== 2} title="Choose two events to compare" onClick={() => setDialog("compare")}>
            Compare
          </button>
          <button type="button" class="button" onClick={() => setDialog("preferences")}>
            Preferences
          </button>
          <button type="button" class="button" disabled={!results || rows.length === 0} onClick={() => setDialog("download")}>
            Download
          </button>
        </div>
      </div>
      <p class="hint">
        Management events recorded in {region} over the last 90 days, newest first; times are in {zoneName}.
      </p>
      <EventFilters
        key={`${seen.current.form}|${zone}`}
        query={query}
        zone={zone}
        rows={rows}
        invalid={invalid}
        onZone={setZone}
        onSearch={(next) => {
          submitted.current = serializeQuery(next);
          const target = href({ page: "events", query: submitted.current });
          if (target === window.location.hash) reload();
          else window.location.hash = target;
        }}
      />
      {invalid ? (
        <div class="banner banner-error" role="alert" id="search-error">
          {invalid.message} Nothing was searched.
        </div>
      ) : state.status === "error" ? (
        <ErrorBanner error={state.error} title="Could not look up events." />
      ) : null}
      {results && rows.length === 0 ? <Empty>No events match.</Empty> : null}
      {rows.length > 0 ? (
        <EventTable rows={rows} preferences={preferences} zone={zone} onOpen={setSelected} chosen={chosen} onChoose={choose} />
      ) : null}
      {loading ? <Loading label="Looking up events…" /> : null}
      {state.data ? (
        <div class="pager">
          <span role="status">
            {rows.length} event{rows.length === 1 ? "" : "s"} loaded{state.data.nextToken ? "; more are available" : ""}
          </span>
          {state.data.nextToken ? (
            <button type="button" class="button" disabled={loading} onClick={() => extend((data, signal) => fetchPage(signal, data.input, data.rows, data.nextToken))}>
              Load more
            </button>
          ) : null}
        </div>
      ) : null}
      {selected ? <EventDetail row={selected} onClose={() => setSelected(undefined)} /> : null}
      {dialog === "preferences" ? (
        <EventPreferencesDialog
          preferences={preferences}
          onConfirm={(next) => {
            savePreferences(next);
            setPreferences(next);
          }}
          onClose={() => setDialog(undefined)}
        />
      ) : null}
      {dialog === "compare" && compared.length === 2 ? <CompareEventsDialog events={[compared[0]!, compared[1]!]} onClose={() => setDialog(undefined)} /> : null}
      {dialog === "download" && results ? <DownloadEventsDialog clients={clients} input={results.input} onClose={() => setDialog(undefined)} /> : null}
    </main>
  );
}
