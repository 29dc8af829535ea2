import type { HealthStatus, InstanceRecord, NamespaceRecord, NamespaceType, ServiceRecord } from "../store/records.js";
import type { Store } from "../store/store.js";
import { buildDnsZones, findZone, type DnsZone, type ZoneMatch } from "./dns-zones.js";

/**
 * The in-memory registry that the hot paths (DiscoverInstances, DiscoverInstancesRevision and DNS)
 * read: namespaces by HttpName, DNS zones by name, their services by name, and each service's instances
 * with their health.
 * It is loaded from the store once at start and kept fresh by the store's change stream alone (follow-store.ts):
 * this node's commits as the repositories wrote them, other nodes' read back from the store. So it only ever shows
 * committed state, whoever wrote it (a handler, the health prober, an operator's tool), and no call reads the database.
 *
 * Snapshots handed out (`InstanceView`) are immutable: a change replaces the object, which lets readers
 * cache anything derived from one (e.g. its encoded JSON) in a WeakMap keyed by the snapshot.
 */

export interface InstanceView {
  readonly id: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly health: HealthStatus;
}

export interface ServiceView {
  readonly id: string;
  readonly name: string;
  readonly namespace: NamespaceView;
  /** The stored service, as of the last committed change. */
  record: ServiceRecord;
  /** Whether the service has a Route 53 or custom health check (else health is UNKNOWN and never filters). */
  healthChecked: boolean;
  revision: number;
  readonly instances: Map<string, InstanceView>;
  /** `instances` as an array in registration order; rebuilt lazily after a change. */
  list(): readonly InstanceView[];
}

export interface NamespaceView {
  readonly id: string;
  readonly accountId: string;
  readonly region: string;
  readonly httpName: string;
  name: string;
  type: NamespaceType;
  record: NamespaceRecord;
  /** By exact service name. */
  readonly services: Map<string, ServiceView>;
}

export type DiscoveryLookup =
  | { found: true; namespace: NamespaceView; service: ServiceView }
  | { found: false; namespace?: NamespaceView };

class Service implements ServiceView {
  readonly id: string;
  readonly name: string;
  readonly instances = new Map<string, InstanceView>();
  healthChecked: boolean;
  revision: number;
  private cached: readonly InstanceView[] | undefined;

  constructor(
    readonly namespace: NamespaceView,
    public record: ServiceRecord,
  ) {
    this.id = record.id;
    this.name = record.name;
    this.healthChecked = hasHealthCheck(record);
    this.revision = record.instancesRevision;
  }

  list(): readonly InstanceView[] {
    this.cached ??= [...this.instances.values()];
    return this.cached;
  }

  changed(): void {
    this.cached = undefined;
  }
}

function hasHealthCheck(svc: ServiceRecord): boolean {
  return svc.healthCheckConfig !== undefined || svc.healthCheckCustomConfig !== undefined;
}

function instanceView(i: Pick<InstanceRecord, "id" | "attributes" | "healthStatus">): InstanceView {
  return Object.freeze({ id: i.id, attributes: Object.freeze({ ...i.attributes }), health: i.healthStatus });
}

const scopeKey = (accountId: string, region: string, httpName: string): string => `${accountId}\u0000${region}\u0000${httpName}`;

export class DiscoveryView {
  private readonly byHttpName = new Map<string, NamespaceView>();
  private readonly namespacesById = new Map<string, NamespaceView>();
  private readonly servicesById = new Map<string, Service>();
  /** DNS zones, rebuilt on the first question after a namespace or service change (rare next to questions). */
  private zones: Map<string, DnsZone> | undefined;
  private changes = 0;

  /** Moves on every change the view shows, so that anything derived from the whole view (cached DNS answers) can tell it is stale. */
  get version(): number {
    return this.changes;
  }

  /** Builds the view from everything committed in the store. */
  static async load(store: Store): Promise<DiscoveryView> {
    const view = new DiscoveryView();
    await store.transaction(async (tx) => {
      for (const ns of await tx.namespaces.listAll()) view.putNamespace(ns);
      for (const svc of await tx.services.listAll()) view.putService(svc, []);
      for (const i of await tx.instances.listAll()) {
        const svc = view.servicesById.get(i.serviceId);
        if (svc) svc.instances.set(i.id, instanceView(i));
      }
    }, { readOnly: true });
    return view;
  }

  /** Finds a service the way DiscoverInstances names it: the namespace's HttpName and the exact service name. */
  lookup(accountId: string, region: string, httpName: string, serviceName: string): DiscoveryLookup {
    const namespace = this.byHttpName.get(scopeKey(accountId, region, httpName));
    if (!namespace) return { found: false };
    const service = namespace.services.get(serviceName);
    return service ? { found: true, namespace, service } : { found: false, namespace };
  }

  /** The DNS zone serving `name` (lower case, no trailing dot): see dns-zones.ts for which one. */
  dnsZone(name: string): ZoneMatch | undefined {
    this.zones ??= buildDnsZones(this.namespacesById.values());
    return findZone(this.zones, name);
  }

  /** Every service, in no particular order (the health prober walks them). */
  services(): IterableIterator<ServiceView> {
    return this.servicesById.values();
  }

  namespace(id: string): NamespaceView | undefined {
    return this.namespacesById.get(id);
  }

  service(id: string): ServiceView | undefined {
    return this.servicesById.get(id);
  }

  // --- changes, applied after their transaction committed -------------------------------------------

  /** A namespace was created or updated (its HttpName never changes). */
  putNamespace(ns: NamespaceRecord): void {
    this.structureChanged();
    const existing = this.namespacesById.get(ns.id);
    if (existing) {
      existing.record = ns;
      existing.name = ns.name;
      existing.type = ns.type;
      return;
    }
    const view: NamespaceView = {
      id: ns.id,
      accountId: ns.accountId,
      region: ns.region,
      httpName: ns.httpName,
      name: ns.name,
      type: ns.type,
      record: ns,
      services: new Map(),
    };
    this.namespacesById.set(ns.id, view);
    this.byHttpName.set(scopeKey(ns.accountId, ns.region, ns.httpName), view);
  }

  removeNamespace(id: string): void {
    const ns = this.namespacesById.get(id);
    if (!ns) return;
    this.structureChanged();
    for (const svc of ns.services.values()) this.servicesById.delete(svc.id);
    this.namespacesById.delete(id);
    this.byHttpName.delete(scopeKey(ns.accountId, ns.region, ns.httpName));
  }

  /**
   * A service was created or its configuration changed. With `instances`, the service's instances are
   * replaced by these (creation, or a change that re-evaluated every instance's health); a replacement
   * older than what the view already shows (lower revision) is ignored.
   */
  putService(record: ServiceRecord, instances?: readonly InstanceRecord[]): void {
    this.structureChanged();
    let svc = this.servicesById.get(record.id);
    if (!svc) {
      const ns = this.namespacesById.get(record.namespaceId);
      if (!ns) return;
      svc = new Service(ns, record);
      ns.services.set(svc.name, svc);
      this.servicesById.set(svc.id, svc);
    } else {
      svc.record = record;
      svc.healthChecked = hasHealthCheck(record);
    }
    if (instances && record.instancesRevision >= svc.revision) {
      svc.revision = record.instancesRevision;
      svc.instances.clear();
      for (const i of instances) svc.instances.set(i.id, instanceView(i));
      svc.changed();
    }
  }

  removeService(id: string): void {
    const svc = this.servicesById.get(id);
    if (!svc) return;
    this.structureChanged();
    this.servicesById.delete(id);
    if (svc.namespace.services.get(svc.name) === svc) svc.namespace.services.delete(svc.name);
  }

  /**
   * An instance as this node's transaction wrote it (registered, re-registered, its health changed; `null`:
   * deregistered). This node's commits are heard in commit order; its registrations' revision follows
   * (`moveRevision`), and health moves none (AWS's InstancesRevision ignores it).
   */
  writeInstance(serviceId: string, instanceId: string, instance: Pick<InstanceRecord, "attributes" | "healthStatus"> | null): void {
    const svc = this.servicesById.get(serviceId);
    if (!svc) return;
    if (instance) svc.instances.set(instanceId, instanceView({ id: instanceId, ...instance }));
    else svc.instances.delete(instanceId);
    svc.changed();
    this.changes++;
  }

  /** The service's InstancesRevision moved (a registration or deregistration committed); it never goes back. */
  moveRevision(serviceId: string, revision: number): void {
    const svc = this.servicesById.get(serviceId);
    if (!svc || revision <= svc.revision) return;
    svc.revision = revision;
    this.changes++;
  }

  private structureChanged(): void {
    this.zones = undefined;
    this.changes++;
  }

  // --- the store's state, read after another node's change (see follow-store.ts) --------------------

  /**
   * The service and every instance as the store has them now. Unlike `putService`, this replaces even when the view
   * shows a later revision: the read happened after the change that caused it, and a reload that raced with a newer
   * local change is followed by that change's own reload, so the last reload always leaves the latest state.
   */
  reloadService(record: ServiceRecord, instances: readonly InstanceRecord[]): void {
    this.putService(record);
    const svc = this.servicesById.get(record.id);
    if (!svc) return;
    svc.revision = Math.max(svc.revision, record.instancesRevision);
    svc.instances.clear();
    for (const i of instances) svc.instances.set(i.id, instanceView(i));
    svc.changed();
  }

  /** One instance as the store has it now (`undefined`: it is gone), as `reloadService` does for a whole service. */
  reloadInstance(record: ServiceRecord, instanceId: string, instance: InstanceRecord | undefined): void {
    this.putService(record);
    const svc = this.servicesById.get(record.id);
    if (!svc) return;
    svc.revision = Math.max(svc.revision, record.instancesRevision);
    if (instance) svc.instances.set(instanceId, instanceView(instance));
    else svc.instances.delete(instanceId);
    svc.changed();
  }

  /** Everything as in `fresh` (a full reload after notifications may have been missed). */
  replaceWith(fresh: DiscoveryView): void {
    this.structureChanged();
    for (const [from, to] of [
      [fresh.byHttpName, this.byHttpName],
      [fresh.namespacesById, this.namespacesById],
      [fresh.servicesById, this.servicesById],
    ] as const) {
      (to as Map<string, unknown>).clear();
      for (const [key, value] of from) (to as Map<string, unknown>).set(key, value);
    }
  }

}
