/**
 * AWS's rules for a service's definition (CreateService, UpdateService): which DNS record sets exist,
 * which health configuration each namespace type allows, and what a service's Type becomes. Pure
 * functions over plain values, so the whole matrix is unit-tested without a server.
 */
import type * as sd from "../../generated/servicediscovery.js";
import type { DnsRecordType, NamespaceType, ServiceDnsConfig, ServiceHealthCheckConfig, ServiceType } from "../../store/records.js";
import { invalidInput } from "./errors.js";

/** The record-type combinations a service may have, as sorted `+`-joined keys. */
const RECORD_SETS: ReadonlySet<string> = new Set(["A", "AAAA", "A+AAAA", "SRV", "CNAME"]);

export interface ServiceDefinition {
  namespaceType: NamespaceType;
  dnsConfig?: sd.DnsConfig;
  healthCheckConfig?: sd.HealthCheckConfig;
  healthCheckCustomConfig?: sd.HealthCheckCustomConfig;
  /** CreateService's `Type` input: only `HTTP` exists. */
  type?: string;
}

export interface CheckedService {
  type: ServiceType;
  dnsConfig?: ServiceDnsConfig;
  healthCheckConfig?: ServiceHealthCheckConfig;
  healthCheckCustomConfig?: { FailureThreshold: number };
}

/** Validates a new service against its namespace and derives what is stored (Type, default routing policy). */
export function checkServiceDefinition(def: ServiceDefinition): CheckedService {
  if (def.healthCheckConfig && def.healthCheckCustomConfig) {
    throw invalidInput("A service can have HealthCheckConfig or HealthCheckCustomConfig, not both.");
  }
  let dnsConfig: ServiceDnsConfig | undefined;
  if (def.dnsConfig) {
    // AWS answers both with one text: a service in an HTTP namespace is an HTTP service.
    if (def.namespaceType === "HTTP" || def.type === "HTTP") throw invalidInput("When you specify an HTTP service, you can't include a DnsConfig element.");
    dnsConfig = checkDnsConfig(def.dnsConfig);
  }
  const out: CheckedService = { type: dnsConfig ? "DNS_HTTP" : "HTTP" };
  if (dnsConfig) out.dnsConfig = dnsConfig;
  if (def.healthCheckConfig) out.healthCheckConfig = checkHealthCheckConfig(def.namespaceType, def.healthCheckConfig, dnsConfig);
  // The threshold is deprecated: AWS keeps and reports 1 whatever was sent.
  if (def.healthCheckCustomConfig) out.healthCheckCustomConfig = { FailureThreshold: 1 };
  return out;
}

/** The sorted, `+`-joined record types; InvalidInput for an empty list or a type given twice. */
export function recordTypesKey(records: readonly { Type: string }[]): string {
  if (records.length === 0) throw invalidInput("DnsConfig.DnsRecords must contain at least one record.");
  const types = records.map((r) => r.Type);
  const unique = new Set(types);
  if (unique.size !== types.length) throw invalidInput(`DnsConfig.DnsRecords lists a record type more than once: ${types.join(", ")}.`);
  return [...unique].sort().join("+");
}

export function checkDnsConfig(dns: sd.DnsConfig): ServiceDnsConfig {
  const key = recordTypesKey(dns.DnsRecords);
  if (!RECORD_SETS.has(key)) {
    throw invalidInput(`DnsConfig.DnsRecords can hold A, AAAA, A and AAAA, SRV, or CNAME records, not ${key.replace("+", " and ")}.`);
  }
  const routingPolicy = dns.RoutingPolicy ?? (key === "CNAME" ? undefined : "MULTIVALUE");
  if (key === "CNAME" && routingPolicy !== "WEIGHTED") throw invalidInput("A service with a CNAME record must use the WEIGHTED routing policy.");
  return { RoutingPolicy: routingPolicy!, DnsRecords: dns.DnsRecords.map((r) => ({ Type: r.Type as DnsRecordType, TTL: r.TTL })) };
}

export function checkHealthCheckConfig(
  namespaceType: NamespaceType,
  hc: sd.HealthCheckConfig,
  dnsConfig: ServiceDnsConfig | undefined,
): ServiceHealthCheckConfig {
  if (namespaceType === "DNS_PRIVATE") {
    throw invalidInput("Route 53 health checks (HealthCheckConfig) are not available in private DNS namespaces; use HealthCheckCustomConfig.");
  }
  if (dnsConfig?.DnsRecords.some((r) => r.Type === "CNAME")) {
    throw invalidInput("A service with a CNAME record can't have a HealthCheckConfig.");
  }
  if (hc.Type === "TCP" && hc.ResourcePath !== undefined) throw invalidInput("A TCP health check can't have a ResourcePath.");
  const out: ServiceHealthCheckConfig = { Type: hc.Type };
  if (hc.ResourcePath !== undefined) out.ResourcePath = hc.ResourcePath;
  if (hc.FailureThreshold !== undefined) out.FailureThreshold = hc.FailureThreshold;
  return out;
}

/** UpdateService's DnsConfig: the same record types as before (they cannot change), with new TTLs. */
export function checkDnsConfigChange(current: ServiceDnsConfig | undefined, change: sd.DnsConfigChange): ServiceDnsConfig {
  if (!current) throw invalidInput("The service has no DNS records to update; it only allows API calls for discovery.");
  const wanted = recordTypesKey(change.DnsRecords);
  const existing = recordTypesKey(current.DnsRecords);
  if (wanted !== existing) {
    throw invalidInput(`A service's record types can't change (the service has ${existing.replace("+", " and ")}); delete and recreate the service.`);
  }
  return { RoutingPolicy: current.RoutingPolicy, DnsRecords: change.DnsRecords.map((r) => ({ Type: r.Type as DnsRecordType, TTL: r.TTL })) };
}

/** UpdateService's HealthCheckConfig: allowed where CreateService allows it, never on a custom-health service, same type. */
export function checkHealthCheckChange(
  namespaceType: NamespaceType,
  current: { dnsConfig?: ServiceDnsConfig; healthCheckConfig?: ServiceHealthCheckConfig; healthCheckCustomConfig?: unknown },
  change: sd.HealthCheckConfig,
): ServiceHealthCheckConfig {
  if (current.healthCheckCustomConfig) throw invalidInput("A service with HealthCheckCustomConfig can't also have a HealthCheckConfig.");
  const checked = checkHealthCheckConfig(namespaceType, change, current.dnsConfig);
  if (current.healthCheckConfig && current.healthCheckConfig.Type !== checked.Type) {
    throw invalidInput(`The health check type can't change from ${current.healthCheckConfig.Type} to ${checked.Type}.`);
  }
  return checked;
}

/** What makes a service name unique in its namespace: DNS names are case-insensitive, HTTP names are not. */
export function serviceNameKey(name: string, namespaceType: NamespaceType): string {
  return namespaceType === "HTTP" ? name : name.toLowerCase();
}
