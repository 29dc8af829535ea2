import type { StoreChange } from "../store/coordination.js";
import type { InstanceRecord, NamespaceRecord, ServiceRecord } from "../store/records.js";
import type { Store } from "../store/store.js";
import { DiscoveryView } from "./discovery-view.js";

const RETRY_MS = 1_000;

function keyOf(change: Exclude<StoreChange, { kind: "accessKey" }>): string {
  return change.kind === "instance" ? `i\u0000${change.serviceId}\u0000${change.instanceId}` : `${change.kind[0]}\u0000${change.id}`;
}

type Reloaded =
  | { kind: "namespace"; id: string; record?: NamespaceRecord }
  | { kind: "service"; id: string; record?: ServiceRecord; instances: InstanceRecord[] }
  | { kind: "instance"; serviceId: string; instanceId: string; service?: ServiceRecord; instance?: InstanceRecord };

/**
 * Keeps the view in step with changes committed through any node (PostgreSQL notifications; on SQLite nothing is
 * ever heard and the handlers' own `afterCommit` updates are all there is). Each change names a namespace, service
 * or instance; it is read again from the store and put in the view. Changes that arrive while a reload runs are
 * coalesced into the next one, so a burst of writes costs a few reads, not one per write. After a lost connection
 * everything is reloaded. Returns the function that stops following.
 */
export function followStore(store: Store, view: DiscoveryView, log: (message: string, error?: unknown) => void): () => void {
  const pending = new Map<string, Exclude<StoreChange, { kind: "accessKey" }>>();
  let resyncWanted = false;
  let draining: Promise<void> | undefined;
  let stopped = false;

  function kick(): void {
    if (stopped || draining) return;
    draining = drain().finally(() => {
      draining = undefined;
      if (resyncWanted || pending.size > 0) kick();
    });
  }

  async function drain(): Promise<void> {
    try {
      if (resyncWanted) {
        resyncWanted = false;
        view.replaceWith(await DiscoveryView.load(store));
        return;
      }
      const batch = [...pending.values()];
      pending.clear();
      const reloaded = await store.transaction((tx) => Promise.all(batch.map((change) => reload(tx, change))), { readOnly: true });
      // Applied only once the reading transaction is over: a retried attempt must not apply twice.
      for (const r of reloaded) if (r) apply(r);
    } catch (error) {
      if (stopped) return;
      log("following store changes failed; reloading everything", error);
      resyncWanted = true;
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }

  async function reload(tx: Parameters<Parameters<Store["transaction"]>[0]>[0], change: Exclude<StoreChange, { kind: "accessKey" }>): Promise<Reloaded | undefined> {
    switch (change.kind) {
      case "namespace":
        return { kind: "namespace", id: change.id, record: await tx.namespaces.get(change.accountId, change.region, change.id) };
      case "service": {
        const record = await tx.services.get(change.accountId, change.region, change.id);
        return { kind: "service", id: change.id, record, instances: record ? await tx.instances.listInService(change.id) : [] };
      }
      case "instance": {
        // The view knows the service's scope; a service it does not know yet comes with all its instances when it does.
        const known = view.service(change.serviceId);
        if (!known) return undefined;
        const service = await tx.services.get(known.namespace.accountId, known.namespace.region, change.serviceId);
        const instance = service ? await tx.instances.get(change.serviceId, change.instanceId) : undefined;
        return { kind: "instance", serviceId: change.serviceId, instanceId: change.instanceId, service, instance };
      }
    }
  }

  function apply(r: Reloaded): void {
    switch (r.kind) {
      case "namespace":
        if (r.record) view.putNamespace(r.record);
        else view.removeNamespace(r.id);
        return;
      case "service":
        if (r.record) view.reloadService(r.record, r.instances);
        else view.removeService(r.id);
        return;
      case "instance":
        if (r.service) view.reloadInstance(r.service, r.instanceId, r.instance);
        else view.removeService(r.serviceId);
    }
  }

  const unsubscribe = store.watch({
    changed(change) {
      if (change.kind === "accessKey") return;
      pending.set(keyOf(change), change);
      kick();
    },
    resync() {
      resyncWanted = true;
      pending.clear();
      kick();
    },
  });
  return () => {
    stopped = true;
    unsubscribe();
  };
}
