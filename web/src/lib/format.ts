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

/** Why an instance reports the health status it does, in the words of Cloud Map's documentation. */
export function healthExplanation(service: Pick<ServiceSummary, "HealthCheckConfig" | "HealthCheckCustomConfig">, status: string): string {
  if (service.HealthCheckCustomConfig) {
    return `The service uses custom health checks: the status is what UpdateInstanceCustomHealthStatus last set (an instance starts HEALTHY). DiscoverInstances asking for HEALTHY instances leaves it out while it is ${status === "UNHEALTHY" ? "UNHEALTHY, as it is now" : "UNHEALTHY"}.`;
  }
  if (service.HealthCheckConfig) {
    return `The service uses a Route 53 ${service.HealthCheckConfig.Type} health check: the status is that check's result.`;
  }
  return "The service has no health check, so Cloud Map reports UNKNOWN and DiscoverInstances returns the instance whatever its state.";
}
