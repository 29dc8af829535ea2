/**
 * The DNS records Cloud Map keeps for a service's instances, derived from the discovery view:
 *
 * - `S.N` A / AAAA / CNAME / SRV, one value per instance, for the record types of the service's DnsConfig;
 *   SRV values are `1 1 <AWS_INSTANCE_PORT> I.S.N`;
 * - for SRV services, `I.S.N` A / AAAA so that each SRV target resolves.
 *
 * Instances registered with AWS_ALIAS_DNS_NAME (Route 53 alias to a load balancer) have no records here:
 * Cairn cannot resolve a load balancer's name.
 *
 * Derived once per instance-list snapshot and service configuration (both are replaced, never mutated, on a
 * change), so a question does no per-instance work beyond choosing values.
 */
import type { SrvData } from "dns-packet";
import type { DnsRecordType, ServiceDnsConfig } from "../store/records.js";
import type { InstanceView, ServiceView } from "../view/discovery-view.js";
import { ALIAS_DNS_NAME, INSTANCE_CNAME, INSTANCE_IPV4, INSTANCE_IPV6, INSTANCE_PORT } from "../services/servicediscovery/instance-rules.js";

export type RecordData = string | SrvData;

/** The values of one record type at one name, with the instance each came from. */
export interface RecordValues {
  readonly type: DnsRecordType;
  readonly ttl: number;
  readonly all: readonly RecordData[];
  /** The values of healthy instances (or all of them when the service has no health check). */
  readonly healthy: readonly RecordData[];
}

/** An SRV target name's own addresses. */
export interface TargetAddresses {
  readonly A?: RecordValues;
  readonly AAAA?: RecordValues;
}

export interface ServiceRecords {
  /** At `S.N`, by record type; a type is absent when no instance gives it a value. */
  readonly atService: ReadonlyMap<DnsRecordType, RecordValues>;
  /** For SRV services: `I.S.N` by lower-case instance ID. */
  readonly targets: ReadonlyMap<string, TargetAddresses>;
}

interface Cached {
  list: readonly InstanceView[];
  dnsConfig: ServiceDnsConfig;
  nsName: string;
  records: ServiceRecords;
}

const cache = new WeakMap<ServiceView, Cached>();

/** The service's records now; undefined for a service without DnsConfig. */
export function serviceRecords(svc: ServiceView): ServiceRecords | undefined {
  const dnsConfig = svc.record.dnsConfig;
  if (!dnsConfig) return undefined;
  const list = svc.list();
  const nsName = svc.namespace.name;
  const hit = cache.get(svc);
  if (hit && hit.list === list && hit.dnsConfig === dnsConfig && hit.nsName === nsName) return hit.records;
  const records = build(svc, list, dnsConfig);
  cache.set(svc, { list, dnsConfig, nsName, records });
  return records;
}

const trimDot = (name: string): string => (name.endsWith(".") ? name.slice(0, -1) : name);

function build(svc: ServiceView, list: readonly InstanceView[], dnsConfig: ServiceDnsConfig): ServiceRecords {
  const ttl = new Map(dnsConfig.DnsRecords.map((r) => [r.Type, r.TTL] as const));
  const healthy = (i: InstanceView): boolean => !svc.healthChecked || i.health === "HEALTHY";
  const fullName = `${svc.name}.${trimDot(svc.namespace.name)}`;
  const values = new Map<DnsRecordType, { all: RecordData[]; healthy: RecordData[] }>();
  const add = (type: DnsRecordType, data: RecordData, instance: InstanceView): void => {
    let v = values.get(type);
    if (!v) values.set(type, (v = { all: [], healthy: [] }));
    v.all.push(data);
    if (healthy(instance)) v.healthy.push(data);
  };
  const targets = new Map<string, TargetAddresses>();
  const srvTtl = ttl.get("SRV");
  for (const i of list) {
    const a = i.attributes;
    if (a[ALIAS_DNS_NAME] !== undefined) continue;
    const ipv4 = a[INSTANCE_IPV4];
    const ipv6 = a[INSTANCE_IPV6];
    if (ttl.has("A") && ipv4) add("A", ipv4, i);
    if (ttl.has("AAAA") && ipv6) add("AAAA", ipv6, i);
    if (ttl.has("CNAME") && a[INSTANCE_CNAME]) add("CNAME", trimDot(a[INSTANCE_CNAME]), i);
    const port = Number(a[INSTANCE_PORT]);
    const target = `${i.id}.${fullName}`;
    if (srvTtl !== undefined && Number.isInteger(port) && (ipv4 || ipv6) && isDnsName(target)) {
      add("SRV", { priority: 1, weight: 1, port, target }, i);
      const key = i.id.toLowerCase();
      // Two instance IDs differing only in case share one DNS name: the first registered keeps it.
      if (!targets.has(key)) {
        targets.set(key, {
          A: ipv4 ? single("A", srvTtl, ipv4) : undefined,
          AAAA: ipv6 ? single("AAAA", srvTtl, ipv6) : undefined,
        });
      }
    }
  }
  const atService = new Map<DnsRecordType, RecordValues>();
  for (const [type, v] of values) atService.set(type, { type, ttl: ttl.get(type)!, all: v.all, healthy: v.healthy });
  return { atService, targets };
}

/** Whether a name fits the wire format: labels of 1 to 63 bytes, at most 253 characters in all. */
function isDnsName(name: string): boolean {
  return name.length <= 253 && name.split(".").every((label) => label.length > 0 && Buffer.byteLength(label) <= 63);
}

function single(type: DnsRecordType, ttl: number, data: string): RecordValues {
  const all = [data];
  return { type, ttl, all, healthy: all };
}
