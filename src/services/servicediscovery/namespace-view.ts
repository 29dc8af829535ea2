import type { Namespace, NamespaceSummary } from "../../generated/servicediscovery.js";
import type { NamespaceRecord } from "../../store/records.js";

function properties(ns: NamespaceRecord): Namespace["Properties"] {
  const soa = ns.soaTtl === undefined ? {} : { TTL: ns.soaTtl };
  return {
    // AWS shows an empty SOA for namespaces without DNS (HTTP) or created without DNS properties.
    DnsProperties: ns.type === "HTTP" ? { SOA: soa as { TTL: number } } : { HostedZoneId: ns.hostedZoneId, SOA: soa as { TTL: number } },
    HttpProperties: { HttpName: ns.httpName },
  };
}

export function namespaceSummary(ns: NamespaceRecord, serviceCount: number): NamespaceSummary {
  return {
    Id: ns.id,
    Arn: ns.arn,
    ResourceOwner: ns.accountId,
    Name: ns.name,
    Type: ns.type,
    Description: ns.description,
    ServiceCount: serviceCount,
    Properties: properties(ns),
    CreateDate: ns.createDate,
  };
}

export function namespaceDetail(ns: NamespaceRecord, serviceCount: number): Namespace {
  return { ...namespaceSummary(ns, serviceCount), CreatorRequestId: ns.creatorRequestId };
}
