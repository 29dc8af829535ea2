import { useState } from "preact/hooks";
import { GetInstanceCommand, GetInstancesHealthStatusCommand, GetNamespaceCommand, GetServiceCommand, RegisterInstanceCommand } from "@aws-sdk/client-servicediscovery";
import type { Clients } from "../lib/aws.js";
import { healthExplanation } from "../lib/format.js";
import { waitForOperation } from "../lib/operations.js";
import { href } from "../lib/route.js";
import { useLoad } from "../lib/use-load.js";
import { AttributesEditor, type AttributePair } from "../components/attributes-editor.js";
import { PageHeader } from "../components/page.js";
import { ErrorBanner, Loading } from "../components/status.js";

async function loadInstance(clients: Clients, serviceId: string, instanceId: string, signal: AbortSignal) {
  const options = { abortSignal: signal };
  const [{ Instance }, { Service }, { Status }] = await Promise.all([
    clients.cloudMap.send(new GetInstanceCommand({ ServiceId: serviceId, InstanceId: instanceId }), options),
    clients.cloudMap.send(new GetServiceCommand({ Id: serviceId }), options),
    clients.cloudMap.send(new GetInstancesHealthStatusCommand({ ServiceId: serviceId, Instances: [instanceId] }), options),
  ]);
  const { Namespace } = await clients.cloudMap.send(new GetNamespaceCommand({ Id: Service!.NamespaceId }), options);
  return { instance: Instance!, service: Service!, namespaceName: Namespace?.Name ?? "", health: Status?.[instanceId] ?? "UNKNOWN" };
}

/** One instance: its health status and why, and its attributes, edited by registering the instance again. */
export function InstancePage(props: { clients: Clients; region: string; namespaceId: string; serviceId: string; instanceId: string }) {
  const { clients, region, namespaceId, serviceId, instanceId } = props;
  const { state, reload } = useLoad(`${region} ${serviceId} ${instanceId}`, (signal) => loadInstance(clients, serviceId, instanceId, signal));
  const data = state.data;
  return (
    <main class="page" aria-labelledby="page-title">
      <nav class="breadcrumbs" aria-label="Breadcrumbs">
        <a href={href({ page: "namespaces" })}>Namespaces</a> / <a href={href({ page: "namespace", namespaceId })}>{data?.namespaceName || "Namespace"}</a> /{" "}
        <a href={href({ page: "service", namespaceId, serviceId })}>{data?.service.Name ?? "Service"}</a> / <span aria-current="page">{instanceId}</span>
      </nav>
      <PageHeader title={instanceId} refresh={{ onClick: reload, busy: state.status === "loading" }} />
      {state.status === "error" ? <ErrorBanner error={state.error} title="Could not load the instance." /> : null}
      {state.status === "loading" ? <Loading /> : null}
      {data ? (
        <>
          <section class="card" aria-labelledby="health-title">
            <h2 id="health-title">Health status</h2>
            <p>
              <span class={`badge badge-${data.health.toLowerCase()}`}>{data.health}</span>
            </p>
            <p class="hint">{healthExplanation(data.service, data.health)}</p>
          </section>
          <AttributesForm key={JSON.stringify(data.instance.Attributes)} {...props} attributes={data.instance.Attributes ?? {}} onSaved={reload} />
        </>
      ) : null}
    </main>
  );
}

function AttributesForm(props: { clients: Clients; serviceId: string; instanceId: string; attributes: Record<string, string>; onSaved: () => void }) {
  const [pairs, setPairs] = useState<AttributePair[]>(Object.entries(props.attributes).map(([key, value]) => ({ key, value })));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const save = async (e: Event): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const Attributes = Object.fromEntries(pairs.filter((p) => p.key.trim() && p.value !== "").map((p) => [p.key.trim(), p.value]));
      const { OperationId } = await props.clients.cloudMap.send(new RegisterInstanceCommand({ ServiceId: props.serviceId, InstanceId: props.instanceId, Attributes }));
      await waitForOperation(props.clients.cloudMap, OperationId);
      props.onSaved();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card" onSubmit={save} aria-busy={busy} aria-label="Instance attributes">
      <p class="hint">Saving registers the instance again with these attributes (RegisterInstance), as AWS's console does.</p>
      <AttributesEditor pairs={pairs} onChange={setPairs} />
      {error !== undefined ? <ErrorBanner error={error} title="Could not save the attributes." /> : null}
      <div class="form-actions">
        <button type="submit" class="button button-primary" disabled={busy}>
          {busy ? "Saving…" : "Save changes"}
        </button>
      </div>
    </form>
  );
}
