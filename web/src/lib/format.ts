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
