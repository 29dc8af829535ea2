import { useState } from "preact/hooks";
import {
  CreateServiceCommand,
  DeleteServiceCommand,
  GetNamespaceCommand,
  paginateListServices,
  type CreateServiceCommandInput,
  type Namespace,
  type RecordType,
  type RoutingPolicy,
  type ServiceSummary,
} from "@aws-sdk/client-servicediscovery";
import type { Clients } from "../lib/aws.js";
import { dnsRecordsSummary, formatDate, healthCheckSummary, namespaceTypeLabel } from "../lib/format.js";
import { cloudMapTags } from "../lib/cloud-map-tags.js";
import { href } from "../lib/route.js";
import { useLoad } from "../lib/use-load.js";
import { useTableQuery } from "../lib/use-table-query.js";
import { ActionDialog, ConfirmDialog } from "../components/action-dialog.js";
import { Arn } from "../components/id.js";
import { EditNamespaceDialog } from "../components/edit-cloud-map.js";
import { KeyValueCard } from "../components/key-value-card.js";
import { DeleteButton, PageHeader, ResourceTable, SearchBox } from "../components/page.js";
import { Empty, ErrorBanner, Loading } from "../components/status.js";

async function loadNamespace(clients: Clients, namespaceId: string, signal: AbortSignal): Promise<{ namespace: Namespace; services: ServiceSummary[] }> {
  const { Namespace: namespace } = await clients.cloudMap.send(new GetNamespaceCommand({ Id: namespaceId }), { abortSignal: signal });
  const services: ServiceSummary[] = [];
  const filter = { Filters: [{ Name: "NAMESPACE_ID" as const, Values: [namespaceId], Condition: "EQ" as const }] };
  for await (const page of paginateListServices({ client: clients.cloudMap }, filter)) {
    signal.throwIfAborted();
    services.push(...(page.Services ?? []));
  }
  services.sort((a, b) => (a.Name ?? "").localeCompare(b.Name ?? ""));
  return { namespace: namespace!, services };
}

export function NamespacePage({ clients, region, namespaceId }: { clients: Clients; region: string; namespaceId: string }) {
  const { state, reload } = useLoad(`${region} ${namespaceId}`, (signal) => loadNamespace(clients, namespaceId, signal));
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState<ServiceSummary | undefined>(undefined);
  const namespace = state.data?.namespace;
  const services = state.data?.services;
  const table = useTableQuery(
    services,
    (sv) => `${sv.Name} ${sv.Id} ${sv.Description ?? ""} ${dnsRecordsSummary(sv)} ${healthCheckSummary(sv)}`,
    { Name: (sv) => sv.Name ?? "", "Service ID": (sv) => sv.Id ?? "", Instances: (sv) => sv.InstanceCount ?? 0 },
    "Name",
  );

  return (
    <main class="page" aria-labelledby="page-title">
      <nav class="breadcrumbs" aria-label="Breadcrumbs">
        <a href={href({ page: "namespaces" })}>Namespaces</a> / <span aria-current="page">{namespace?.Name ?? namespaceId}</span>
      </nav>
      <PageHeader title={namespace?.Name ?? namespaceId} refresh={{ onClick: reload, busy: state.status === "loading" }}>
        <button type="button" class="button" onClick={() => setEditing(true)} disabled={!namespace}>
          Edit
        </button>
        <button type="button" class="button button-primary" onClick={() => setCreating(true)} disabled={!namespace}>
          Create service
        </button>
      </PageHeader>
      {state.status === "error" ? <ErrorBanner error={state.error} title="Could not load the namespace." /> : null}
      {state.status === "loading" ? <Loading /> : null}
      {namespace ? (
        <section class="card" aria-label="Namespace details">
          <dl class="details">
            <dt>Namespace ID</dt>
            <dd class="mono id">{namespace.Id}</dd>
            <dt>Instance discovery</dt>
            <dd>{namespaceTypeLabel(namespace.Type)}</dd>
            <dt>HTTP name</dt>
            <dd class="mono">{namespace.Properties?.HttpProperties?.HttpName}</dd>
            {namespace.Properties?.DnsProperties?.HostedZoneId ? (
              <>
                <dt>Hosted zone</dt>
                <dd class="mono">{namespace.Properties.DnsProperties.HostedZoneId}</dd>
              </>
            ) : null}
            <dt>ARN</dt>
            <dd class="mono arn">
              <Arn value={namespace.Arn} />
            </dd>
            <dt>Description</dt>
            <dd>{namespace.Description || "—"}</dd>
            <dt>Created</dt>
            <dd>{formatDate(namespace.CreateDate)}</dd>
          </dl>
        </section>
      ) : null}
      {services ? (
        <section aria-labelledby="services-title">
          <h2 id="services-title">Services</h2>
          {services.length === 0 ? (
            <Empty>No services in this namespace yet.</Empty>
          ) : (
            <>
              <SearchBox label="Find services" query={table} />
              <ResourceTable columns={["Name", "Service ID", "Instances", "DNS records", "Health check", "Description"]} query={table} sortable={["Name", "Service ID", "Instances"]}>
                {table.rows.map((service) => (
                  <tr key={service.Id}>
                    <td>
                      <a href={href({ page: "service", namespaceId, serviceId: service.Id! })}>{service.Name}</a>
                    </td>
                    <td class="mono">{service.Id}</td>
                    <td>{service.InstanceCount ?? 0}</td>
                    <td>{dnsRecordsSummary(service) || "—"}</td>
                    <td>{healthCheckSummary(service)}</td>
                    <td>{service.Description}</td>
                    <td class="actions">
                      <DeleteButton what={`service ${service.Name}`} onClick={() => setDeleting(service)} />
                    </td>
                  </tr>
                ))}
              </ResourceTable>
            </>
          )}
        </section>
      ) : null}
      {namespace ? <KeyValueCard title="Tags" noun="tag" loadKey={`${region} ${namespace.Arn}`} {...cloudMapTags(clients, namespace.Arn!)} /> : null}
      {editing && namespace ? <EditNamespaceDialog clients={clients} namespace={namespace} onClose={() => setEditing(false)} onDone={reload} /> : null}
      {creating && namespace ? <CreateServiceDialog clients={clients} namespace={namespace} onClose={() => setCreating(false)} onCreated={reload} /> : null}
      {deleting ? (
        <ConfirmDialog
          title="Delete service"
          submitLabel="Delete"
          run={async () => {
            await clients.cloudMap.send(new DeleteServiceCommand({ Id: deleting.Id }));
          }}
          onDone={reload}
          onClose={() => setDeleting(undefined)}
        >
          <p>
            Delete service <strong>{deleting.Name}</strong> ({deleting.Id})? A service that still has instances cannot be deleted.
          </p>
        </ConfirmDialog>
      ) : null}
    </main>
  );
}

const RECORD_TYPES: RecordType[] = ["A", "AAAA", "SRV", "CNAME"];

function CreateServiceDialog(props: { clients: Clients; namespace: Namespace; onClose: () => void; onCreated: () => void }) {
  const isDns = props.namespace.Type !== "HTTP";
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [recordType, setRecordType] = useState<RecordType>("A");
  const [ttl, setTtl] = useState("60");
  const [routing, setRouting] = useState<RoutingPolicy>("MULTIVALUE");
  const [customHealth, setCustomHealth] = useState(false);

  const create = async (): Promise<void> => {
    const input: CreateServiceCommandInput = { Name: name.trim(), NamespaceId: props.namespace.Id };
    if (description) input.Description = description;
    if (isDns) input.DnsConfig = { RoutingPolicy: routing, DnsRecords: [{ Type: recordType, TTL: Number(ttl) }] };
    if (customHealth) input.HealthCheckCustomConfig = {};
    await props.clients.cloudMap.send(new CreateServiceCommand(input));
    props.onCreated();
  };

  return (
    <ActionDialog title="Create service" submitLabel="Create service" onSubmit={create} onClose={props.onClose}>
      <label for="service-name">Service name</label>
      <input id="service-name" required value={name} onInput={(e) => setName(e.currentTarget.value)} spellcheck={false} />
      <label for="service-description">
        Description <span class="optional">(optional)</span>
      </label>
      <input id="service-description" value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
      {isDns ? (
        <div class="form-row">
          <div>
            <label for="service-record-type">DNS record type</label>
            <select id="service-record-type" value={recordType} onChange={(e) => setRecordType(e.currentTarget.value as RecordType)}>
              {RECORD_TYPES.map((t) => (
                <option value={t} key={t}>
                  {t}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label for="service-ttl">TTL (seconds)</label>
            <input id="service-ttl" type="number" min={0} max={2147483647} required value={ttl} onInput={(e) => setTtl(e.currentTarget.value)} />
          </div>
          <div>
            <label for="service-routing">Routing policy</label>
            <select id="service-routing" value={routing} onChange={(e) => setRouting(e.currentTarget.value as RoutingPolicy)}>
              <option value="MULTIVALUE">Multivalue answer</option>
              <option value="WEIGHTED">Weighted</option>
            </select>
          </div>
        </div>
      ) : null}
      <label class="choice">
        <input type="checkbox" checked={customHealth} onChange={(e) => setCustomHealth(e.currentTarget.checked)} />
        Custom health checks (instances report their own health)
      </label>
    </ActionDialog>
  );
}
