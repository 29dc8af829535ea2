import type { StoreChange } from "../store/changes.js";
import type { InstanceRecord, NamespaceRecord, ServiceRecord } from "../store/records.js";
import type { Store, StoreTx } from "../store/store.js";
import { DiscoveryView } from "./discovery-view.js";

const RETRY_MS = 1_000;

/** The changes the view shows. */
type ViewChange = Extract<StoreChange, { kind: "namespace" | "service" | "instance" }>;

const serviceKey = (serviceId: string): string => `s\u0000${serviceId}`;

function keyOf(change: ViewChange): string {
  return change.kind === "instance" ? `i\u0000${change.serviceId}\u0000${change.instanceId}` : `${change.kind[0]}\u0000${change.id}`;
}

type Reloaded =
  | { kind: "namespace"; id: string; record?: NamespaceRecord }
  | { kind: "service"; id: string; record?: ServiceRecord; instances: InstanceRecord[] }
  | { kind: "instance"; serviceId: string; instanceId: string; service?: ServiceRecord; instance?: InstanceRecord };

/**
 * Keeps the view in step with the store's change stream, the only way changes reach it. A change this node's
 * transaction wrote carries its row and is applied at once, before the call that wrote it is answered (no query:
 * RegisterInstance is a hot path). A change heard from another node (PostgreSQL notifications) names its namespace, service or instance; it is read again from the store and put in the view. Such
 * changes that arrive while a reload runs are coalesced into the next one, so a burst of writes costs a few reads,
 * not one per write. A reload's read may predate a row this node wrote meanwhile: that row is not overwritten with
 * the older read but read again in the next reload. After a lost connection everything is reloaded. Returns the
 * function that stops following.
 */
export function followStore(store: Store, view: DiscoveryView, log: (message: string, error?: unknown) => void): () => void {
  const pending = new Map<string, ViewChange>();
  /** Keys of rows this node wrote while a reload was reading (a service's key too, for its instances). */
  const writtenWhileReading = new Set<string>();
  let resyncWanted = false;
  let reloadingAll = false;
  /** Rows this node wrote while everything was being reloaded, in write order: put back over the reloaded view at once. */
  const writtenDuringFullReload: ViewChange[] = [];
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
        reloadingAll = true;
        try {
          view.replaceWith(await DiscoveryView.load(store));
          // The load may have read these rows before they were written; the view must not show them older even briefly.
          for (const change of writtenDuringFullReload) write(change);
        } finally {
          reloadingAll = false;
          writtenDuringFullReload.length = 0;
        }
        return;
      }
      const batch = [...pending.values()];
      pending.clear();
      writtenWhileReading.clear();
      const reloaded = await store.transaction(async (tx) => {
        const instances = await instancesOf(tx, batch);
        return Promise.all(batch.map((change) => reload(tx, change, instances)));
      }, { readOnly: true });
      // Applied only once the reading transaction is over: a retried attempt must not apply twice.
      reloaded.forEach((r, i) => {
        const change = batch[i]!;
        const overtaken = writtenWhileReading.has(keyOf(change)) || (change.kind === "instance" && writtenWhileReading.has(serviceKey(change.serviceId)));
        if (overtaken) pending.set(keyOf(change), change);
        else if (r) apply(r);
      });
      writtenWhileReading.clear();
    } catch (error) {
      if (stopped) return;
      log("following store changes failed; reloading everything", error);
      resyncWanted = true;
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }

  /**
   * The instance changes of a batch, read in two statements (their services, then the instances) rather than two per
   * change: a node follows every other node's writes. Keyed by instance key; a service that is gone has no entry.
   */
  async function instancesOf(tx: StoreTx, batch: readonly ViewChange[]): Promise<Map<string, { service: ServiceRecord; instance?: InstanceRecord }>> {
    // The view knows the service's scope; a service it does not know yet comes with all its instances when it does.
    const changes = batch.filter((c): c is Extract<ViewChange, { kind: "instance" }> => c.kind === "instance" && view.service(c.serviceId) !== undefined);
    const found = new Map<string, { service: ServiceRecord; instance?: InstanceRecord }>();
    if (changes.length === 0) return found;
    const services = new Map((await tx.services.getMany([...new Set(changes.map((c) => c.serviceId))])).map((svc) => [svc.id, svc]));
    const keys = changes.filter((c) => services.has(c.serviceId)).map((c) => ({ serviceId: c.serviceId, instanceId: c.instanceId }));
    const instances = new Map((await tx.instances.getMany(keys)).map((i) => [keyOf({ kind: "instance", serviceId: i.serviceId, instanceId: i.id }), i]));
    for (const c of changes) {
      const service = services.get(c.serviceId);
      if (service) found.set(keyOf(c), { service, instance: instances.get(keyOf(c)) });
    }
    return found;
  }

  async function reload(tx: StoreTx, change: ViewChange, instances: Map<string, { service: ServiceRecord; instance?: InstanceRecord }>): Promise<Reloaded | undefined> {
    switch (change.kind) {
      case "namespace":
        return { kind: "namespace", id: change.id, record: await tx.namespaces.get(change.accountId, change.region, change.id) };
      case "service": {
        const record = await tx.services.get(change.accountId, change.region, change.id);
        return { kind: "service", id: change.id, record, instances: record ? await tx.instances.listInService(change.id) : [] };
      }
      case "instance": {
        if (!view.service(change.serviceId)) return undefined;
        const found = instances.get(keyOf(change));
        return { kind: "instance", serviceId: change.serviceId, instanceId: change.instanceId, service: found?.service, instance: found?.instance };
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

  /** A change that carries the row this node wrote (`written` set): into the view now. */
  function write(change: ViewChange): void {
    switch (change.kind) {
      case "namespace":
        if (change.written) view.putNamespace(change.written);
        else view.removeNamespace(change.id);
        return;
      case "service":
        if (change.written) view.putService(change.written);
        else view.removeService(change.id);
        return;
      case "instance":
        view.writeInstance(change.serviceId, change.instanceId, change.written ?? null);
    }
  }

  const unsubscribe = store.watch({
    changed(change) {
      switch (change.kind) {
        case "instancesRevision":
          view.moveRevision(change.serviceId, change.revision);
          return;
        case "namespace":
        case "service":
        case "instance":
          if (change.written === undefined) {
            pending.set(keyOf(change), change);
            kick();
            return;
          }
          write(change);
          if (draining) {
            writtenWhileReading.add(keyOf(change));
            if (change.kind === "instance") writtenWhileReading.add(serviceKey(change.serviceId));
            // A full reload replaces everything: put this row back over it, and read it again after it.
            if (reloadingAll) {
              writtenDuringFullReload.push(change);
              pending.set(keyOf(change), change);
            }
          }
          return;
        default:
          return;
      }
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
