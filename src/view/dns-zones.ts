import type { NamespaceView, ServiceView } from "./discovery-view.js";

/**
 * DNS zones over the discovery view: one per DNS namespace name, found by the longest suffix of a
 * question name. Names are compared in lower case without the trailing dot (DNS is case-insensitive).
 *
 * One DNS port cannot serve two zones with the same name, yet namespaces of different accounts or
 * regions (or a private and a public one) may share a name. The zone served is chosen deterministically:
 * a private namespace before a public one (as Route 53 Resolver prefers a private zone associated with the
 * VPC over the public zone of the same name), then the oldest, then the smallest ID.
 */

export interface DnsZone {
  /** The namespace name in lower case, without a trailing dot. */
  readonly apex: string;
  readonly namespace: NamespaceView;
  /** Services that have DNS records (a DnsConfig), by lower-case service name. */
  readonly services: ReadonlyMap<string, ServiceView>;
}

export interface ZoneMatch {
  zone: DnsZone;
  /** The question name relative to the apex, in lower case: "" at the apex, else "a.b" for "a.b.<apex>". */
  relative: string;
}

export const dnsName = (name: string): string => (name.endsWith(".") ? name.slice(0, -1) : name).toLowerCase();

const isDns = (ns: NamespaceView): boolean => ns.type === "DNS_PRIVATE" || ns.type === "DNS_PUBLIC";

/** Whether `a` is served rather than `b` when both have the same name. */
function preferred(a: NamespaceView, b: NamespaceView): boolean {
  if (a.type !== b.type) return a.type === "DNS_PRIVATE";
  const at = a.record.createDate.getTime();
  const bt = b.record.createDate.getTime();
  if (at !== bt) return at < bt;
  return a.id < b.id;
}

export function buildDnsZones(namespaces: Iterable<NamespaceView>): Map<string, DnsZone> {
  const chosen = new Map<string, NamespaceView>();
  for (const ns of namespaces) {
    if (!isDns(ns)) continue;
    const apex = dnsName(ns.name);
    const current = chosen.get(apex);
    if (!current || preferred(ns, current)) chosen.set(apex, ns);
  }
  const zones = new Map<string, DnsZone>();
  for (const [apex, namespace] of chosen) {
    const services = new Map<string, ServiceView>();
    for (const svc of namespace.services.values()) {
      if (svc.record.dnsConfig) services.set(svc.name.toLowerCase(), svc);
    }
    zones.set(apex, { apex, namespace, services });
  }
  return zones;
}

/** The most specific zone containing `name` (lower case, no trailing dot), if any. */
export function findZone(zones: ReadonlyMap<string, DnsZone>, name: string): ZoneMatch | undefined {
  let start = 0;
  for (;;) {
    const suffix = start === 0 ? name : name.slice(start);
    const zone = zones.get(suffix);
    if (zone) return { zone, relative: start === 0 ? "" : name.slice(0, start - 1) };
    const dot = name.indexOf(".", start);
    if (dot < 0) return undefined;
    start = dot + 1;
  }
}
