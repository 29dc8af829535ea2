import { useState } from "preact/hooks";
import type { LookupAttributeKey } from "@aws-sdk/client-cloudtrail";
import type { EventRow } from "../lib/event-rows.js";
import { ATTRIBUTES, RANGES, type EventQuery, type InvalidSearch } from "../lib/event-query.js";
import { suggestions } from "../lib/event-suggestions.js";
import { fromInputValue, toInputValue, type TimeZone } from "../lib/time-zone.js";

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

/**
 * Event history's search form. It starts from the URL's query in the chosen zone; the page remounts it (by key)
 * when the zone changes or the URL changes by navigation, so the form shows what is searched at once.
 */
export function EventFilters(props: {
  query: EventQuery;
  zone: TimeZone;
  rows: readonly EventRow[];
  invalid: InvalidSearch | undefined;
  onZone: (zone: TimeZone) => void;
  onSearch: (query: EventQuery) => void;
}) {
  const { zone, invalid } = props;
  const [draft, setDraft] = useState<Draft>(() => toDraft(props.query, zone));
  const update = (change: Partial<Draft>): void => setDraft((d) => ({ ...d, ...change }));
  const hints = suggestions(draft.attr, props.rows);
  const submit = (e: Event): void => {
    e.preventDefault();
    props.onSearch(fromDraft(draft, zone));
  };
  return (
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
          <input
            id="lookup-value"
            value={draft.value}
            placeholder="Exact value; empty for all events"
            spellcheck={false}
            list={hints.length > 0 ? "lookup-suggestions" : undefined}
            onInput={(e) => update({ value: e.currentTarget.value })}
          />
        )}
        <datalist id="lookup-suggestions">
          {hints.map((value) => (
            <option value={value} key={value} />
          ))}
        </datalist>
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
        <select id="time-zone" value={zone} onChange={(e) => props.onZone(e.currentTarget.value as TimeZone)}>
          <option value="utc">UTC</option>
          <option value="local">Local time</option>
        </select>
      </div>
      <div class="filter-submit">
        {/* Never disabled: a new search supersedes a running one, and a disabled button would drop the focus. */}
        <button type="submit" class="button button-primary">
          Search
        </button>
      </div>
    </form>
  );
}
