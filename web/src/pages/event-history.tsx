import { useEffect, useState } from "preact/hooks";
import { LookupEventsCommand, type LookupAttributeKey, type LookupEventsCommandInput } from "@aws-sdk/client-cloudtrail";
import type { Clients } from "../lib/aws.js";
import { downloadText } from "../lib/download.js";
import { toEventRow, type EventRow } from "../lib/event-rows.js";
import { eventsToCsv, eventsToJson } from "../lib/export.js";
import { ErrorBanner, Empty, Loading } from "../components/status.js";
import { EventDetail } from "./event-detail.js";

/** The lookup attributes, labelled as AWS's console labels them. */
const ATTRIBUTES: ReadonlyArray<[LookupAttributeKey, string]> = [
  ["AccessKeyId", "AWS access key"],
  ["EventId", "Event ID"],
  ["EventName", "Event name"],
  ["EventSource", "Event source"],
  ["ReadOnly", "Read-only"],
  ["ResourceName", "Resource name"],
  ["ResourceType", "Resource type"],
  ["Username", "User name"],
];

const RANGES: ReadonlyArray<[string, string, number]> = [
  ["any", "Any time (90 days)", 0],
  ["30m", "Last 30 minutes", 30],
  ["1h", "Last hour", 60],
  ["3h", "Last 3 hours", 180],
  ["12h", "Last 12 hours", 720],
  ["custom", "Custom range", 0],
];

interface Filter {
  key: LookupAttributeKey;
  value: string;
  range: string;
  start: string;
  end: string;
}

/** The LookupEvents input a filter stands for, with relative ranges resolved against now. */
function lookupInput(filter: Filter): LookupEventsCommandInput {
  const input: LookupEventsCommandInput = {};
  if (filter.value.trim()) input.LookupAttributes = [{ AttributeKey: filter.key, AttributeValue: filter.value.trim() }];
  const minutes = RANGES.find(([id]) => id === filter.range)?.[2] ?? 0;
  if (minutes > 0) {
    input.StartTime = new Date(Date.now() - minutes * 60_000);
    input.EndTime = new Date();
  } else if (filter.range === "custom") {
    // datetime-local values are in the browser's time zone, which is how Date parses them.
    if (filter.start) input.StartTime = new Date(filter.start);
    if (filter.end) input.EndTime = new Date(filter.end);
  }
  return input;
}

interface Results {
  query: LookupEventsCommandInput;
  rows: EventRow[];
  nextToken?: string;
}

export function EventHistory({ clients, region }: { clients: Clients; region: string }) {
  // AWS's console opens Event history filtered to Read-only = false.
  const [filter, setFilter] = useState<Filter>({ key: "ReadOnly", value: "false", range: "any", start: "", end: "" });
  const [results, setResults] = useState<Results | undefined>(undefined);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [selected, setSelected] = useState<EventRow | undefined>(undefined);

  const fetchPage = async (query: LookupEventsCommandInput, previous: EventRow[], token?: string): Promise<void> => {
    setLoading(true);
    setError(undefined);
    try {
      const page = await clients.cloudTrail.send(new LookupEventsCommand({ ...query, MaxResults: 50, NextToken: token }));
      setResults({ query, rows: [...previous, ...(page.Events ?? []).map(toEventRow)], nextToken: page.NextToken });
    } catch (failure) {
      setError(failure);
    } finally {
      setLoading(false);
    }
  };

  const search = (): Promise<void> => fetchPage(lookupInput(filter), []);
  useEffect(() => {
    void search();
  }, [clients]);

  const update = (change: Partial<Filter>): void => setFilter((f) => ({ ...f, ...change }));
  const rows = results?.rows ?? [];

  return (
    <main class="page" aria-labelledby="page-title">
      <div class="page-header">
        <h1 id="page-title">Event history</h1>
        <div class="page-actions">
          <button type="button" class="button" disabled={rows.length === 0} onClick={() => downloadText("event_history.csv", "text/csv", eventsToCsv(rows))}>
            Download CSV
          </button>
          <button
            type="button"
            class="button"
            disabled={rows.length === 0}
            onClick={() => downloadText("event_history.json", "application/json", eventsToJson(rows))}
          >
            Download JSON
          </button>
        </div>
      </div>
      <p class="hint">Management events recorded in {region} over the last 90 days, newest first; times are UTC.</p>
      <form
        class="card filters"
        role="search"
        aria-label="Event filters"
        onSubmit={(e) => {
          e.preventDefault();
          void search();
        }}
      >
        <div>
          <label for="lookup-attribute">Lookup attribute</label>
          <select id="lookup-attribute" value={filter.key} onChange={(e) => update({ key: e.currentTarget.value as LookupAttributeKey, value: "" })}>
            {ATTRIBUTES.map(([key, label]) => (
              <option value={key} key={key}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div class="filter-value">
          <label for="lookup-value">Value</label>
          {filter.key === "ReadOnly" ? (
            <select id="lookup-value" value={filter.value} onChange={(e) => update({ value: e.currentTarget.value })}>
              <option value="">Any</option>
              <option value="false">false</option>
              <option value="true">true</option>
            </select>
          ) : (
            <input id="lookup-value" value={filter.value} placeholder="Exact value; empty for all events" spellcheck={false} onInput={(e) => update({ value: e.currentTarget.value })} />
          )}
        </div>
        <div>
          <label for="time-range">Time range</label>
          <select id="time-range" value={filter.range} onChange={(e) => update({ range: e.currentTarget.value })}>
            {RANGES.map(([id, label]) => (
              <option value={id} key={id}>
                {label}
              </option>
            ))}
          </select>
        </div>
        {filter.range === "custom" ? (
          <>
            <div>
              <label for="start-time">From (local time)</label>
              <input id="start-time" type="datetime-local" step={1} value={filter.start} onInput={(e) => update({ start: e.currentTarget.value })} />
            </div>
            <div>
              <label for="end-time">To (local time)</label>
              <input id="end-time" type="datetime-local" step={1} value={filter.end} onInput={(e) => update({ end: e.currentTarget.value })} />
            </div>
          </>
        ) : null}
        <div class="filter-submit">
          <button type="submit" class="button button-primary" disabled={loading}>
            Search
          </button>
        </div>
      </form>
      {error !== undefined ? <ErrorBanner error={error} title="Could not look up events." /> : null}
      {results && rows.length === 0 && !loading ? <Empty>No events match.</Empty> : null}
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
                  <td class="nowrap mono">{row.eventTime.replace("T", " ").replace("Z", "")}</td>
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
      {results ? (
        <div class="pager">
          <span role="status">
            {rows.length} event{rows.length === 1 ? "" : "s"} loaded{results.nextToken ? "; more are available" : ""}
          </span>
          {results.nextToken ? (
            <button type="button" class="button" disabled={loading} onClick={() => void fetchPage(results.query, rows, results.nextToken)}>
              Load more
            </button>
          ) : null}
        </div>
      ) : null}
      {selected ? <EventDetail row={selected} onClose={() => setSelected(undefined)} /> : null}
    </main>
  );
}
