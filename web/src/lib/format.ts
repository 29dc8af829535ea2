import type { ServiceSummary } from "@aws-sdk/client-servicediscovery";

const NAMESPACE_TYPES: Record<string, string> = {
  HTTP: "API calls",
  DNS_PRIVATE: "API calls and DNS queries in VPCs",
  DNS_PUBLIC: "API calls and public DNS queries",
};

/** How AWS's console describes a namespace type (instance discovery method). */
export function namespaceTypeLabel(type: string | undefined): string {
  return (type && NAMESPACE_TYPES[type]) ?? type ?? "";
}

/** A timestamp as `2026-03-04 05:06:07 UTC`. */
export function formatDate(date: Date | undefined): string {
  return date ? `${date.toISOString().slice(0, 19).replace("T", " ")} UTC` : "";
}

/** A service's DNS records as `A (TTL 60), SRV (TTL 60)`; "" when it has none. */
export function dnsRecordsSummary(service: Pick<ServiceSummary, "DnsConfig">): string {
  return (service.DnsConfig?.DnsRecords ?? []).map((r) => `${r.Type} (TTL ${r.TTL})`).join(", ");
}

/** Which health checking a service uses. */
export function healthCheckSummary(service: Pick<ServiceSummary, "HealthCheckConfig" | "HealthCheckCustomConfig">): string {
  if (service.HealthCheckConfig) return `Route 53 ${service.HealthCheckConfig.Type}`;
  if (service.HealthCheckCustomConfig) return "Custom";
  return "None";
}
