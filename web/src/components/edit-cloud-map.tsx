import { useState } from "preact/hooks";
import {
  UpdateHttpNamespaceCommand,
  UpdatePrivateDnsNamespaceCommand,
  UpdatePublicDnsNamespaceCommand,
  UpdateServiceCommand,
  type Namespace,
  type Service,
} from "@aws-sdk/client-servicediscovery";
import type { Clients } from "../lib/aws.js";
import { waitForOperation } from "../lib/operations.js";
import { ActionDialog } from "./action-dialog.js";

/** Edit namespace: its description, and for DNS namespaces the SOA record's TTL (what AWS lets change). */
export function EditNamespaceDialog(props: { clients: Clients; namespace: Namespace; onClose: () => void; onDone: () => void }) {
  const { namespace } = props;
  const dns = namespace.Type !== "HTTP";
  const [description, setDescription] = useState(namespace.Description ?? "");
  const [soaTtl, setSoaTtl] = useState(String(namespace.Properties?.DnsProperties?.SOA?.TTL ?? 15));
  const save = async (): Promise<void> => {
    const Id = namespace.Id!;
    const Description = description;
    const soa = { SOA: { TTL: Number(soaTtl) } };
    const { OperationId } = await (namespace.Type === "HTTP"
      ? props.clients.cloudMap.send(new UpdateHttpNamespaceCommand({ Id, Namespace: { Description } }))
      : namespace.Type === "DNS_PRIVATE"
        ? props.clients.cloudMap.send(new UpdatePrivateDnsNamespaceCommand({ Id, Namespace: { Description, Properties: { DnsProperties: soa } } }))
        : props.clients.cloudMap.send(new UpdatePublicDnsNamespaceCommand({ Id, Namespace: { Description, Properties: { DnsProperties: soa } } })));
    await waitForOperation(props.clients.cloudMap, OperationId);
    props.onDone();
  };
  return (
    <ActionDialog title="Edit namespace" submitLabel="Save changes" onSubmit={save} onClose={props.onClose}>
      <label for="edit-namespace-description">Description</label>
      <input id="edit-namespace-description" value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
      {dns ? (
        <>
          <label for="edit-namespace-soa">SOA record TTL (seconds)</label>
          <input id="edit-namespace-soa" type="number" min={0} max={2147483647} required value={soaTtl} onInput={(e) => setSoaTtl(e.currentTarget.value)} />
        </>
      ) : null}
    </ActionDialog>
  );
}

/** Edit service: description, the TTL of each DNS record, and a Route 53 health check's failure threshold and path. */
export function EditServiceDialog(props: { clients: Clients; service: Service; onClose: () => void; onDone: () => void }) {
  const { service } = props;
  const records = service.DnsConfig?.DnsRecords ?? [];
  const [description, setDescription] = useState(service.Description ?? "");
  const [ttls, setTtls] = useState(records.map((r) => String(r.TTL ?? 60)));
  const [threshold, setThreshold] = useState(String(service.HealthCheckConfig?.FailureThreshold ?? 1));
  // TCP checks have no path (AWS refuses a ResourcePath for them); HTTP and HTTPS checks request one.
  const checkHasPath = service.HealthCheckConfig !== undefined && service.HealthCheckConfig.Type !== "TCP";
  const [resourcePath, setResourcePath] = useState(service.HealthCheckConfig?.ResourcePath ?? "/");
  const save = async (): Promise<void> => {
    const { OperationId } = await props.clients.cloudMap.send(
      new UpdateServiceCommand({
        Id: service.Id,
        Service: {
          Description: description,
          ...(records.length ? { DnsConfig: { DnsRecords: records.map((r, i) => ({ Type: r.Type, TTL: Number(ttls[i]) })) } } : {}),
          ...(service.HealthCheckConfig ? { HealthCheckConfig: { ...service.HealthCheckConfig, FailureThreshold: Number(threshold), ...(checkHasPath ? { ResourcePath: resourcePath } : {}) } } : {}),
        },
      }),
    );
    await waitForOperation(props.clients.cloudMap, OperationId);
    props.onDone();
  };
  return (
    <ActionDialog title="Edit service" submitLabel="Save changes" onSubmit={save} onClose={props.onClose}>
      <label for="edit-service-description">Description</label>
      <input id="edit-service-description" value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
      {records.map((record, i) => (
        <div key={record.Type}>
          <label for={`edit-service-ttl-${i}`}>{record.Type} record TTL (seconds)</label>
          <input
            id={`edit-service-ttl-${i}`}
            type="number"
            min={0}
            max={2147483647}
            required
            value={ttls[i]}
            onInput={(e) => setTtls(ttls.map((t, j) => (j === i ? e.currentTarget.value : t)))}
          />
        </div>
      ))}
      {service.HealthCheckConfig ? (
        <>
          <label for="edit-service-threshold">Failure threshold</label>
          <input id="edit-service-threshold" type="number" min={1} max={10} required value={threshold} onInput={(e) => setThreshold(e.currentTarget.value)} />
          {checkHasPath ? (
            <>
              <label for="edit-service-path">Health check path</label>
              <input id="edit-service-path" required maxLength={255} value={resourcePath} onInput={(e) => setResourcePath(e.currentTarget.value)} />
            </>
          ) : null}
        </>
      ) : null}
    </ActionDialog>
  );
}
