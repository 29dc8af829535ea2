import { useState } from "preact/hooks";
import {
  CreateHttpNamespaceCommand,
  CreatePrivateDnsNamespaceCommand,
  CreatePublicDnsNamespaceCommand,
  DeleteNamespaceCommand,
  paginateListNamespaces,
  type NamespaceSummary,
} from "@aws-sdk/client-servicediscovery";
import type { Clients } from "../lib/aws.js";
import { formatDate, namespaceTypeLabel } from "../lib/format.js";
import { waitForOperation } from "../lib/operations.js";
import { href } from "../lib/route.js";
import { useLoad } from "../lib/use-load.js";
import { useTableQuery } from "../lib/use-table-query.js";
import { ActionDialog, ConfirmDialog } from "../components/action-dialog.js";
import { DeleteButton, PageHeader, ResourceTable, SearchBox } from "../components/page.js";
import { Empty, ErrorBanner, Loading } from "../components/status.js";

type NamespaceType = "HTTP" | "DNS_PRIVATE" | "DNS_PUBLIC";

async function listNamespaces(clients: Clients, signal: AbortSignal): Promise<NamespaceSummary[]> {
  const all: NamespaceSummary[] = [];
  for await (const page of paginateListNamespaces({ client: clients.cloudMap }, {})) {
    signal.throwIfAborted();
    all.push(...(page.Namespaces ?? []));
  }
  return all.sort((a, b) => (a.Name ?? "").localeCompare(b.Name ?? ""));
}

export function Namespaces({ clients, region }: { clients: Clients; region: string }) {
  const { state, reload } = useLoad(region, (signal) => listNamespaces(clients, signal));
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<NamespaceSummary | undefined>(undefined);
  const table = useTableQuery(
    state.data,
    (ns) => `${ns.Name} ${ns.Id} ${ns.Description ?? ""} ${namespaceTypeLabel(ns.Type)}`,
    {
      Name: (ns) => ns.Name ?? "",
      "Instance discovery": (ns) => namespaceTypeLabel(ns.Type),
      "Namespace ID": (ns) => ns.Id ?? "",
      Services: (ns) => ns.ServiceCount ?? 0,
      Created: (ns) => ns.CreateDate?.getTime() ?? 0,
    },
    "Name",
  );
  const namespaces = state.data;

  return (
    <main class="page" aria-labelledby="page-title">
      <PageHeader title="Namespaces" refresh={{ onClick: reload, busy: state.status === "loading" }}>
        <a class="button" href={href({ page: "operations" })}>
          Operations
        </a>
        <button type="button" class="button button-primary" onClick={() => setCreating(true)}>
          Create namespace
        </button>
      </PageHeader>
      <p class="hint">Cloud Map namespaces in {region}.</p>
      {state.status === "error" ? <ErrorBanner error={state.error} title="Could not list namespaces." /> : null}
      {state.status === "loading" ? <Loading label="Loading namespaces…" /> : null}
      {namespaces && namespaces.length === 0 ? <Empty>No namespaces in {region} yet.</Empty> : null}
      {namespaces && namespaces.length > 0 ? (
        <>
          <SearchBox label="Find namespaces" query={table} />
          <ResourceTable columns={["Name", "Instance discovery", "Namespace ID", "Services", "Description", "Created"]} query={table} sortable={["Name", "Instance discovery", "Namespace ID", "Services", "Created"]}>
            {table.rows.map((ns) => (
              <tr key={ns.Id}>
                <td>
                  <a href={href({ page: "namespace", namespaceId: ns.Id! })}>{ns.Name}</a>
                </td>
                <td>{namespaceTypeLabel(ns.Type)}</td>
                <td class="mono">{ns.Id}</td>
                <td>{ns.ServiceCount ?? 0}</td>
                <td>{ns.Description}</td>
                <td class="nowrap">{formatDate(ns.CreateDate)}</td>
                <td class="actions">
                  <DeleteButton what={`namespace ${ns.Name}`} onClick={() => setDeleting(ns)} />
                </td>
              </tr>
            ))}
          </ResourceTable>
        </>
      ) : null}
      {creating ? <CreateNamespaceDialog clients={clients} onClose={() => setCreating(false)} onCreated={reload} /> : null}
      {deleting ? (
        <ConfirmDialog
          title="Delete namespace"
          submitLabel="Delete"
          run={async () => {
            const { OperationId } = await clients.cloudMap.send(new DeleteNamespaceCommand({ Id: deleting.Id }));
            await waitForOperation(clients.cloudMap, OperationId);
          }}
          onDone={reload}
          onClose={() => setDeleting(undefined)}
        >
          <p>
            Delete namespace <strong>{deleting.Name}</strong> ({deleting.Id})? A namespace that still has services cannot be deleted.
          </p>
        </ConfirmDialog>
      ) : null}
    </main>
  );
}

function CreateNamespaceDialog({ clients, onClose, onCreated }: { clients: Clients; onClose: () => void; onCreated: () => void }) {
  const [type, setType] = useState<NamespaceType>("HTTP");
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [vpc, setVpc] = useState("");

  const create = async (): Promise<void> => {
    const common = { Name: name.trim(), ...(description ? { Description: description } : {}) };
    const { OperationId } = await (type === "HTTP"
      ? clients.cloudMap.send(new CreateHttpNamespaceCommand(common))
      : type === "DNS_PRIVATE"
        ? clients.cloudMap.send(new CreatePrivateDnsNamespaceCommand({ ...common, Vpc: vpc.trim() }))
        : clients.cloudMap.send(new CreatePublicDnsNamespaceCommand(common)));
    await waitForOperation(clients.cloudMap, OperationId);
    onCreated();
  };

  return (
    <ActionDialog title="Create namespace" submitLabel="Create namespace" onSubmit={create} onClose={onClose}>
      <label for="namespace-name">Namespace name</label>
      <input id="namespace-name" required value={name} onInput={(e) => setName(e.currentTarget.value)} spellcheck={false} />
      <label for="namespace-description">
        Description <span class="optional">(optional)</span>
      </label>
      <input id="namespace-description" value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
      <fieldset>
        <legend>Instance discovery</legend>
        {(["HTTP", "DNS_PRIVATE", "DNS_PUBLIC"] as const).map((value) => (
          <label class="choice" key={value}>
            <input type="radio" name="namespace-type" value={value} checked={type === value} onChange={() => setType(value)} />
            {namespaceTypeLabel(value)}
          </label>
        ))}
      </fieldset>
      {type === "DNS_PRIVATE" ? (
        <>
          <label for="namespace-vpc">VPC ID</label>
          <input id="namespace-vpc" required placeholder="vpc-0123456789abcdef0" value={vpc} onInput={(e) => setVpc(e.currentTarget.value)} spellcheck={false} />
        </>
      ) : null}
    </ActionDialog>
  );
}
