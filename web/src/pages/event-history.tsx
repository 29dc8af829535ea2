import { useEffect, useState } from "preact/hooks";
import { LookupEventsCommand, type LookupAttributeKey, type LookupEventsCommandInput } from "@aws-sdk/client-cloudtrail";
import type { Clients } from "../lib/aws.js";
import { downloadText } from "../lib/download.js";
import { toEventRow, type EventRow } from "../lib/event-rows.js";
import { ATTRIBUTES, InvalidSearch, RANGES, lookupInput, parseQuery, serializeQuery, type EventQuery } from "../lib/event-query.js";
import { eventsToCsv, eventsToJson } from "../lib/export.js";
import { href } from "../lib/route.js";
import { formatTime, fromInputValue, toInputValue, useTimeZone, zoneLabel, type TimeZone } from "../lib/time-zone.js";
import { useLoad } from "../lib/use-load.js";
import { ErrorBanner, Empty, Loading } from "../components/status.js";
import { EventDetail } from "./event-detail.js";

interface Results {
  /** What was asked, relative ranges resolved once, so later pages continue the same lookup. */
  input: LookupEventsCommandInput;
  rows: EventRow[];
  nextToken?: string;
}

/** The form's fields: the URL's query with a custom range as the datetime-local values shown in the chosen zone. */
interface Draft extends EventQuery {
  startInput: string;
  endInput: string;
}

function toDraft(query: EventQuery, zone: TimeZone): Draft {
  const shown = (iso: string): string => (iso && !Number.isNaN(Date.parse(iso)) ? toInputValue(new Date(iso), zone) : iso);
  return { ...query, startInput: shown(query.start), endInput: shown(query.end) };
}

function fromDraft(draft: Draft, zone: TimeZone): EventQuery {
  const instant = (value: string): string => (value ? (fromInputValue(value, zone)?.toISOString() ?? value) : "");
  return { attr: draft.attr, value: draft.value, range: draft.range, start: instant(draft.startInput), end: instant(draft.endInput) };
}

export function EventHistory({ clients, region, search }: { clients: Clients; region: string; search: string }) {
  const query = parseQuery(search);
  const [zone, setZone] = useTimeZone();
  const [draft, setDraft] = useState<Draft>(() => toDraft(query, zone));
  const [selected, setSelected] = useState<EventRow | undefined>(undefined);
  // Back/forward or a shared link change the URL: the form shows what is searched.
  useEffect(() => setDraft(toDraft(query, zone)), [search, zone]);

  const fetchPage = async (signal: AbortSignal, input: LookupEventsCommandInput, previous: EventRow[], token?: string): Promise<Results> => {
    const page = await clients.cloudTrail.send(new LookupEventsCommand({ ...input, MaxResults: 50, NextToken: token }), { abortSignal: signal });
    return { input, rows: [...previous, ...(page.Events ?? []).map(toEventRow)], nextToken: page.NextToken };
  };
  const { state, reload, extend } = useLoad(`${region} ${serializeQuery(query)}`, async (signal) => fetchPage(signal, lookupInput(query, new Date()), []));

  const submit = (e: Event): void => {
    e.preventDefault();
    const next = href({ page: "events", query: serializeQuery(fromDraft(draft, zone)) });
    if (next === window.location.hash) reload();
    else window.location.hash = next;
  };
  const update = (change: Partial<Draft>): void => setDraft((d) => ({ ...d, ...change }));
  const loading = state.status === "loading";
  const results = state.status === "ok" ? state.data : undefined;
  const rows = state.data?.rows ?? [];
  const invalid = state.status === "error" && state.error instanceof InvalidSearch ? state.error : undefined;
  const zoneName = zoneLabel(zone);

  return (
    <main class="page" aria-labelledby="page-title">
      <div class="page-header">
        <h1 id="page-title">Event history</h1>
        <div class="page-actions">
          <button type="button" class="button" disabled={!results || rows.length === 0} onClick={() => downloadText("event_history.csv", "text/csv", eventsToCsv(rows))}>
            Download CSV
          </button>
          <button
            type="button"
            class="button"
            disabled={!results || rows.length === 0}
            onClick={() => downloadText("event_history.json", "application/json", eventsToJson(rows))}
          >
            Download JSON
          </button>
        </div>
      </div>
      <p class="hint">
        Management events recorded in {region} over the last 90 days, newest first; times are in {zoneName}.
      </p>
      <form class="card filters" role="search" aria-label="Event filters" onSubmit={submit}>
        <div>
          <label for="lookup-attribute">Lookup attribute</label>
          <select id="lookup-attribute" value={draft.attr} onChange={(e) => update({ attr: e.currentTarget.value as LookupAttributeKey, value: "" })}>
            {ATTRIBUTES.map(([key, label]) => (
              <option value={key} key={key}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div class="filter-value">
          <label for="lookup-value">Value</label>
          {draft.attr === "ReadOnly" ? (
            <select id="lookup-value" value={draft.value} onChange={(e) => update({ value: e.currentTarget.value })}>
              <option value="">Any</option>
              <option value="false">false</option>
              <option value="true">true</option>
            </select>
          ) : (
            <input id="lookup-value" value={draft.value} placeholder="Exact value; empty for all events" spellcheck={false} onInput={(e) => update({ value: e.currentTarget.value })} />
          )}
        </div>
        <div>
          <label for="time-range">Time range</label>
          <select id="time-range" value={draft.range} onChange={(e) => update({ range: e.currentTarget.value })}>
            {RANGES.map(([id, label]) => (
              <option value={id} key={id}>
                {label}
              </option>
            ))}
          </select>
        </div>
        {draft.range === "custom" ? (
          <>
            <div>
              <label for="start-time">From ({zone === "utc" ? "UTC" : "local time"})</label>
              <input
                id="start-time"
                type="datetime-local"
                step={1}
                value={draft.startInput}
                aria-invalid={invalid?.field === "start-time" ? "true" : undefined}
                onInput={(e) => update({ startInput: e.currentTarget.value })}
              />
            </div>
            <div>
              <label for="end-time">To ({zone === "utc" ? "UTC" : "local time"})</label>
              <input
                id="end-time"
                type="datetime-local"
                step={1}
                value={draft.endInput}
                aria-invalid={invalid?.field === "end-time" ? "true" : undefined}
                aria-describedby={invalid ? "search-error" : undefined}
                onInput={(e) => update({ endInput: e.currentTarget.value })}
              />
            </div>
          </>
        ) : null}
        <div>
          <label for="time-zone">Time zone</label>
          <select id="time-zone" value={zone} onChange={(e) => setZone(e.currentTarget.value as TimeZone)}>
            <option value="utc">UTC</option>
            <option value="local">Local time</option>
          </select>
        </div>
        <div class="filter-submit">
          <button type="submit" class="button button-primary" disabled={loading}>
            Search
          </button>
        </div>
      </form>
      {invalid ? (
        <div class="banner banner-error" role="alert" id="search-error">
          {invalid.message} Nothing was searched.
        </div>
      ) : state.status === "error" ? (
        <ErrorBanner error={state.error} title="Could not look up events." />
      ) : null}
      {results && rows.length === 0 ? <Empty>No events match.</Empty> : null}
      {rows.length > 0 ? (
        <div class="table-wrap">
          <table class="events">
            <caption class="visually-hidden">Events, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Event time</th>
                <th scope="col">User name</th>
                <th scope="col">Event name</th>
                <th scope="col">Resource type</th>
                <th scope="col">Resource name</th>
                <th scope="col">Event source</th>
                <th scope="col">AWS access key</th>
                <th scope="col">Source IP address</th>
                <th scope="col">Error code</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.eventId}>
                  <td class="nowrap mono">{formatTime(row.eventTime ? new Date(row.eventTime) : undefined, zone)}</td>
                  <td>{row.userName}</td>
                  <td>
                    <button type="button" class="link" onClick={() => setSelected(row)}>
                      {row.eventName}
                    </button>
                  </td>
                  <td class="mono">{row.resourceTypes.map((t, i) => <div key={i}>{t}</div>)}</td>
                  <td class="mono">{row.resourceNames.map((n, i) => <div key={i}>{n}</div>)}</td>
                  <td class="mono">{row.eventSource}</td>
                  <td class="mono">{row.accessKeyId}</td>
                  <td class="mono">{row.sourceIp}</td>
                  <td class={row.errorCode ? "error-code" : ""}>{row.errorCode}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
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
    </main>
  );
}
