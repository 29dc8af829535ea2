import { Fragment } from "preact";
import { useState } from "preact/hooks";
import {
  GetOperationCommand,
  ListOperationsCommand,
  type Operation,
  type OperationFilter,
  type OperationFilterName,
  type OperationSummary,
} from "@aws-sdk/client-servicediscovery";
import type { Clients } from "../lib/aws.js";
import { formatDate } from "../lib/format.js";
import { href } from "../lib/route.js";
import { fromInputValue, useTimeZone, zoneLabel, type TimeZone } from "../lib/time-zone.js";
import { useLoad } from "../lib/use-load.js";
import { Dialog } from "../components/dialog.js";
import { PageHeader, ResourceTable } from "../components/page.js";
import { Empty, ErrorBanner, Loading } from "../components/status.js";

/** ListOperations' filters as the form offers them; an empty field is no filter. */
interface Filters {
  status: string;
  type: string;
  namespaceId: string;
  serviceId: string;
  /** UPDATE_DATE's range, as datetime-local values in the console's time zone. */
  updatedFrom: string;
  updatedTo: string;
}

/** The UPDATE_DATE filter (BETWEEN two epoch seconds) for a range with at least one end; an open end is unbounded. */
function updateDateFilter(filters: Filters, zone: TimeZone): OperationFilter[] {
  if (!filters.updatedFrom && !filters.updatedTo) return [];
  const from = fromInputValue(filters.updatedFrom, zone)?.getTime() ?? 0;
  const to = fromInputValue(filters.updatedTo, zone)?.getTime() ?? Date.now() + 86_400_000;
  return [{ Name: "UPDATE_DATE", Condition: "BETWEEN", Values: [String(Math.floor(from / 1000)), String(Math.ceil(to / 1000))] }];
}

const STATUSES = ["SUBMITTED", "PENDING", "SUCCESS", "FAIL"];
const TYPES = ["CREATE_NAMESPACE", "DELETE_NAMESPACE", "UPDATE_NAMESPACE", "UPDATE_SERVICE", "REGISTER_INSTANCE", "DEREGISTER_INSTANCE"];

function toFilters(filters: Filters, zone: TimeZone): OperationFilter[] {
  const list: Array<[OperationFilterName, string]> = [
    ["STATUS", filters.status],
    ["TYPE", filters.type],
    ["NAMESPACE_ID", filters.namespaceId.trim()],
    ["SERVICE_ID", filters.serviceId.trim()],
  ];
  const equal = list.filter(([, value]) => value).map(([Name, value]): OperationFilter => ({ Name, Values: [value], Condition: "EQ" }));
  return [...equal, ...updateDateFilter(filters, zone)];
}

async function listOperations(clients: Clients, filters: Filters, zone: TimeZone, signal: AbortSignal): Promise<OperationSummary[]> {
  const all: OperationSummary[] = [];
  let NextToken: string | undefined;
  do {
    const page = await clients.cloudMap.send(new ListOperationsCommand({ Filters: toFilters(filters, zone), NextToken }), { abortSignal: signal });
    all.push(...(page.Operations ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return all;
}

/** Cloud Map's asynchronous operations (ListOperations with its filters); an operation's ID opens GetOperation. */
export function Operations({ clients, region }: { clients: Clients; region: string }) {
  const empty: Filters = { status: "", type: "", namespaceId: "", serviceId: "", updatedFrom: "", updatedTo: "" };
  const [draft, setDraft] = useState<Filters>(empty);
  const [applied, setApplied] = useState<Filters>(empty);
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const [zone] = useTimeZone();
  const [rangeError, setRangeError] = useState<string | undefined>(undefined);
  const { state, reload } = useLoad(`${region} ${zone} ${JSON.stringify(applied)}`, (signal) => listOperations(clients, applied, zone, signal));
  const select = (key: keyof Filters, label: string, options: string[]) => (
    <div>
      <label for={`op-${key}`}>{label}</label>
      <select id={`op-${key}`} value={draft[key]} onChange={(e) => setDraft({ ...draft, [key]: e.currentTarget.value })}>
        <option value="">Any</option>
        {options.map((o) => (
          <option value={o} key={o}>
            {o}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <main class="page" aria-labelledby="page-title">
      <nav class="breadcrumbs" aria-label="Breadcrumbs">
        <a href={href({ page: "namespaces" })}>Namespaces</a> / <span aria-current="page">Operations</span>
      </nav>
      <PageHeader title="Operations" refresh={{ onClick: reload, busy: state.status === "loading" }} />
      <p class="hint">Cloud Map operations in {region} (namespace changes and instance registrations), as ListOperations returns them.</p>
      <form
        class="card filters"
        role="search"
        aria-label="Operation filters"
        onSubmit={(e) => {
          e.preventDefault();
          const from = fromInputValue(draft.updatedFrom, zone);
          const to = fromInputValue(draft.updatedTo, zone);
          const wrong = from && to && from > to ? "Updated after must not be later than Updated before." : undefined;
          setRangeError(wrong);
          if (!wrong) setApplied(draft);
        }}
      >
        {select("status", "Status", STATUSES)}
        {select("type", "Type", TYPES)}
        <div>
          <label for="op-namespace">Namespace ID</label>
          <input id="op-namespace" value={draft.namespaceId} spellcheck={false} onInput={(e) => setDraft({ ...draft, namespaceId: e.currentTarget.value })} />
        </div>
        <div>
          <label for="op-service">Service ID</label>
          <input id="op-service" value={draft.serviceId} spellcheck={false} onInput={(e) => setDraft({ ...draft, serviceId: e.currentTarget.value })} />
        </div>
        <div>
          <label for="op-updated-from">Updated after ({zoneLabel(zone)})</label>
          <input id="op-updated-from" type="datetime-local" step={1} value={draft.updatedFrom} onInput={(e) => setDraft({ ...draft, updatedFrom: e.currentTarget.value })} />
        </div>
        <div>
          <label for="op-updated-to">Updated before ({zoneLabel(zone)})</label>
          <input id="op-updated-to" type="datetime-local" step={1} value={draft.updatedTo} onInput={(e) => setDraft({ ...draft, updatedTo: e.currentTarget.value })} />
        </div>
        <div class="filter-submit">
          <button type="submit" class="button button-primary">
            Search
          </button>
        </div>
      </form>
      {rangeError ? (
        <div class="banner banner-error" role="alert">
          {rangeError}
        </div>
      ) : null}
      {state.status === "error" ? <ErrorBanner error={state.error} title="Could not list operations." /> : null}
      {state.status === "loading" ? <Loading label="Loading operations…" /> : null}
      {state.data && state.data.length === 0 ? <Empty>No operations match.</Empty> : null}
      {state.data && state.data.length > 0 ? (
        <ResourceTable columns={["Operation ID", "Status"]}>
          {state.data.map((op) => (
            <tr key={op.Id}>
              <td class="mono">
                <button type="button" class="link" onClick={() => setSelected(op.Id)}>
                  {op.Id}
                </button>
              </td>
              <td>{op.Status}</td>
              <td />
            </tr>
          ))}
        </ResourceTable>
      ) : null}
      {selected ? <OperationDetail clients={clients} region={region} operationId={selected} onClose={() => setSelected(undefined)} /> : null}
    </main>
  );
}

function OperationDetail(props: { clients: Clients; region: string; operationId: string; onClose: () => void }) {
  const { state } = useLoad(`${props.region} ${props.operationId}`, async (signal) => {
    const { Operation } = await props.clients.cloudMap.send(new GetOperationCommand({ OperationId: props.operationId }), { abortSignal: signal });
    return Operation as Operation;
  });
  const op = state.data;
  const rows: Array<[string, string]> = op
    ? [
        ["Operation ID", op.Id ?? ""],
        ["Type", op.Type ?? ""],
        ["Status", op.Status ?? ""],
        ["Error code", op.ErrorCode ?? ""],
        ["Error message", op.ErrorMessage ?? ""],
        ["Created", formatDate(op.CreateDate)],
        ["Updated", formatDate(op.UpdateDate)],
        ...Object.entries(op.Targets ?? {}).map(([target, id]): [string, string] => [`Target ${target.toLowerCase()}`, id]),
      ]
    : [];
  return (
    <Dialog title="Operation" onClose={props.onClose} wide>
      {state.status === "error" ? <ErrorBanner error={state.error} title="Could not get the operation." /> : null}
      {state.status === "loading" ? <Loading /> : null}
      <dl class="details">
        {rows
          .filter(([, value]) => value)
          .map(([label, value]) => (
            <Fragment key={label}>
              <dt>{label}</dt>
              <dd class="mono">{value}</dd>
            </Fragment>
          ))}
      </dl>
    </Dialog>
  );
}
