import { useState } from "preact/hooks";
import {
  DeregisterInstanceCommand,
  GetInstancesHealthStatusCommand,
  GetNamespaceCommand,
  GetServiceCommand,
  RegisterInstanceCommand,
  UpdateInstanceCustomHealthStatusCommand,
  paginateListInstances,
  type InstanceSummary,
  type Service,
} from "@aws-sdk/client-servicediscovery";
import type { Clients } from "../lib/aws.js";
import { dnsRecordsSummary, formatDate, healthCheckSummary } from "../lib/format.js";
import { waitForOperation } from "../lib/operations.js";
import { cloudMapTags } from "../lib/cloud-map-tags.js";
import { href } from "../lib/route.js";
import { serviceAttributes } from "../lib/service-attributes.js";
import { useLoad } from "../lib/use-load.js";
import { useTableQuery } from "../lib/use-table-query.js";
import { ActionDialog, ConfirmDialog } from "../components/action-dialog.js";
import { AttributesEditor, type AttributePair } from "../components/attributes-editor.js";
import { Arn } from "../components/id.js";
import { EditServiceDialog } from "../components/edit-cloud-map.js";
import { KeyValueCard } from "../components/key-value-card.js";
import { PageHeader, ResourceTable, SearchBox } from "../components/page.js";
import { Empty, ErrorBanner, Loading } from "../components/status.js";

interface ServiceData {
  service: Service;
  /** The namespace's name, for the breadcrumb. */
  namespaceName: string;
  instances: InstanceSummary[];
  health: Record<string, string>;
}

async function loadService(clients: Clients, serviceId: string, signal: AbortSignal): Promise<ServiceData> {
  const { Service: service } = await clients.cloudMap.send(new GetServiceCommand({ Id: serviceId }), { abortSignal: signal });
  const { Namespace: namespace } = await clients.cloudMap.send(new GetNamespaceCommand({ Id: service!.NamespaceId }), { abortSignal: signal });
  const instances: InstanceSummary[] = [];
  for await (const page of paginateListInstances({ client: clients.cloudMap }, { ServiceId: serviceId })) {
    signal.throwIfAborted();
    instances.push(...(page.Instances ?? []));
  }
  instances.sort((a, b) => (a.Id ?? "").localeCompare(b.Id ?? ""));
  const health: Record<string, string> = {};
  if (instances.length > 0) {
    let NextToken: string | undefined;
    do {
      const page = await clients.cloudMap.send(new GetInstancesHealthStatusCommand({ ServiceId: serviceId, NextToken }), { abortSignal: signal });
      Object.assign(health, page.Status);
      NextToken = page.NextToken;
    } while (NextToken);
  }
  return { service: service!, namespaceName: namespace?.Name ?? service!.NamespaceId!, instances, health };
}

export function ServicePage(props: { clients: Clients; region: string; namespaceId: string; serviceId: string }) {
  const { clients, region, namespaceId, serviceId } = props;
  const { state, reload } = useLoad(`${region} ${serviceId}`, (signal) => loadService(clients, serviceId, signal));
  const [registering, setRegistering] = useState(false);
  const [editing, setEditing] = useState(false);
  const [deregistering, setDeregistering] = useState<string | undefined>(undefined);
  const [healthError, setHealthError] = useState<unknown>(undefined);
  const service = state.data?.service;
  const customHealth = Boolean(service?.HealthCheckCustomConfig);
  const healthOf = (id: string | undefined): string => state.data?.health[id ?? ""] ?? "UNKNOWN";
  const table = useTableQuery(
    state.data?.instances,
    (i) => `${i.Id} ${healthOf(i.Id)} ${Object.entries(i.Attributes ?? {}).flat().join(" ")}`,
    { "Instance ID": (i) => i.Id ?? "", "Health status": (i) => healthOf(i.Id) },
    "Instance ID",
  );

  const setHealth = async (instanceId: string, status: "HEALTHY" | "UNHEALTHY"): Promise<void> => {
    setHealthError(undefined);
    try {
      await clients.cloudMap.send(new UpdateInstanceCustomHealthStatusCommand({ ServiceId: serviceId, InstanceId: instanceId, Status: status }));
      reload();
    } catch (error) {
      setHealthError(error);
    }
  };

  return (
    <main class="page" aria-labelledby="page-title">
      <nav class="breadcrumbs" aria-label="Breadcrumbs">
        <a href={href({ page: "namespaces" })}>Namespaces</a> / <a href={href({ page: "namespace", namespaceId })}>{state.data?.namespaceName ?? "Namespace"}</a> /{" "}
        <span aria-current="page">{service?.Name ?? serviceId}</span>
      </nav>
      <PageHeader title={service?.Name ?? serviceId} refresh={{ onClick: reload, busy: state.status === "loading" }}>
        <button type="button" class="button" onClick={() => setEditing(true)} disabled={!service}>
          Edit
        </button>
        <button type="button" class="button button-primary" onClick={() => setRegistering(true)} disabled={!service}>
          Register instance
        </button>
      </PageHeader>
      {state.status === "error" ? <ErrorBanner error={state.error} title="Could not load the service." /> : null}
      {healthError !== undefined ? <ErrorBanner error={healthError} title="Could not change the health status." /> : null}
      {state.status === "loading" ? <Loading /> : null}
      {service ? (
        <section class="card" aria-label="Service details">
          <dl class="details">
            <dt>Service ID</dt>
            <dd class="mono id">{service.Id}</dd>
            <dt>ARN</dt>
            <dd class="mono arn">
              <Arn value={service.Arn} />
            </dd>
            <dt>DNS records</dt>
            <dd>{dnsRecordsSummary(service) || "—"}</dd>
            <dt>Health check</dt>
            <dd>{healthCheckSummary(service)}</dd>
            <dt>Description</dt>
            <dd>{service.Description || "—"}</dd>
            <dt>Created</dt>
            <dd>{formatDate(service.CreateDate)}</dd>
          </dl>
        </section>
      ) : null}
      {state.data ? (
        <section aria-labelledby="instances-title">
          <h2 id="instances-title">Instances</h2>
          {state.data.instances.length === 0 ? (
            <Empty>No instances registered.</Empty>
          ) : (
            <>
              <SearchBox label="Find instances" query={table} />
              <ResourceTable columns={["Instance ID", "Health status", "Attributes"]} query={table} sortable={["Instance ID", "Health status"]}>
                {table.rows.map((instance) => {
                  const status = healthOf(instance.Id);
                  return (
                    <tr key={instance.Id}>
                      <td class="mono">
                        <a href={href({ page: "instance", namespaceId, serviceId, instanceId: instance.Id! })}>{instance.Id}</a>
                      </td>
                      <td>
                        <span class={`badge badge-${status.toLowerCase()}`}>{status}</span>
                      </td>
                      <td>
                        <ul class="attribute-list">
                          {Object.entries(instance.Attributes ?? {}).map(([key, value]) => (
                            <li key={key}>
                              <span class="mono">{key}</span> = <span class="mono">{value}</span>
                            </li>
                          ))}
                        </ul>
                      </td>
                      <td class="actions">
                        {customHealth ? (
                          <button
                            type="button"
                            class="button button-small"
                            onClick={() => setHealth(instance.Id!, status === "HEALTHY" ? "UNHEALTHY" : "HEALTHY")}
                          >
                            Mark {status === "HEALTHY" ? "unhealthy" : "healthy"}
                          </button>
                        ) : null}
                        <button type="button" class="button button-small" aria-label={`Deregister instance ${instance.Id}`} onClick={() => setDeregistering(instance.Id)}>
                          Deregister
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </ResourceTable>
            </>
          )}
        </section>
      ) : null}
      {service ? (
        <>
          <KeyValueCard title="Service attributes" noun="attribute" loadKey={`${region} ${serviceId} attributes`} {...serviceAttributes(clients, serviceId)} />
          <KeyValueCard title="Tags" noun="tag" loadKey={`${region} ${service.Arn}`} {...cloudMapTags(clients, service.Arn!)} />
        </>
      ) : null}
      {editing && service ? <EditServiceDialog clients={clients} service={service} onClose={() => setEditing(false)} onDone={reload} /> : null}
      {registering && service ? <RegisterInstanceDialog clients={clients} service={service} onClose={() => setRegistering(false)} onDone={reload} /> : null}
      {deregistering ? (
        <ConfirmDialog
          title="Deregister instance"
          submitLabel="Deregister"
          run={async () => {
            const { OperationId } = await clients.cloudMap.send(new DeregisterInstanceCommand({ ServiceId: serviceId, InstanceId: deregistering }));
            await waitForOperation(clients.cloudMap, OperationId);
          }}
          onDone={reload}
          onClose={() => setDeregistering(undefined)}
        >
          <p>
            Deregister instance <strong class="mono">{deregistering}</strong> from {service?.Name}?
          </p>
        </ConfirmDialog>
      ) : null}
    </main>
  );
}

function RegisterInstanceDialog(props: { clients: Clients; service: Service; onClose: () => void; onDone: () => void }) {
  const [instanceId, setInstanceId] = useState("");
  const [pairs, setPairs] = useState<AttributePair[]>([
    { key: "AWS_INSTANCE_IPV4", value: "" },
    { key: "AWS_INSTANCE_PORT", value: "" },
  ]);

  const register = async (): Promise<void> => {
    const attributes: Record<string, string> = {};
    for (const { key, value } of pairs) if (key.trim() && value !== "") attributes[key.trim()] = value;
    const { OperationId } = await props.clients.cloudMap.send(
      new RegisterInstanceCommand({ ServiceId: props.service.Id, InstanceId: instanceId.trim(), Attributes: attributes }),
    );
    await waitForOperation(props.clients.cloudMap, OperationId);
    props.onDone();
  };

  return (
    <ActionDialog title="Register instance" submitLabel="Register instance" onSubmit={register} onClose={props.onClose}>
      <label for="instance-id">Instance ID</label>
      <input id="instance-id" required value={instanceId} onInput={(e) => setInstanceId(e.currentTarget.value)} spellcheck={false} />
      <AttributesEditor pairs={pairs} onChange={setPairs} />
      <p class="hint">Rows with an empty value are left out.</p>
    </ActionDialog>
  );
}
