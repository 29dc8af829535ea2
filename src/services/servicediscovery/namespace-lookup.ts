import type { EventResource, NamespaceRecord, NamespaceType } from "../../store/records.js";
import type { OperationContext } from "../operation.js";
import { idFromIdOrArn } from "./arns.js";
import { invalidInput, namespaceNotFound } from "./errors.js";

/** Finds the caller's namespace by ID or ARN in the request's region, or answers NamespaceNotFound. */
export async function requireNamespace(ctx: OperationContext, idOrArn: string): Promise<NamespaceRecord> {
  const id = idFromIdOrArn(idOrArn, "namespace", ctx.accountId, ctx.region);
  const ns = id === undefined ? undefined : await ctx.tx.namespaces.get(ctx.accountId, ctx.region, id);
  if (!ns) throw namespaceNotFound(idOrArn);
  ctx.noteResources(namespaceResources(ns));
  return ns;
}

const TYPE_LABEL: Record<NamespaceType, string> = { HTTP: "an HTTP", DNS_PRIVATE: "a private DNS", DNS_PUBLIC: "a public DNS" };

export function requireNamespaceType(ns: NamespaceRecord, type: NamespaceType): void {
  if (ns.type !== type) throw invalidInput(`Namespace ${ns.id} is ${TYPE_LABEL[ns.type]} namespace, not ${TYPE_LABEL[type]} namespace.`);
}

/** LookupEvents' resource type for a namespace of each type. */
export const NAMESPACE_RESOURCE_TYPE: Record<NamespaceType, string> = {
  HTTP: "AWS::ServiceDiscovery::HttpNamespace",
  DNS_PRIVATE: "AWS::ServiceDiscovery::PrivateDnsNamespace",
  DNS_PUBLIC: "AWS::ServiceDiscovery::PublicDnsNamespace",
};
/** The type a failed call names a namespace by when it never found out which type it is. */
export const ANY_NAMESPACE_RESOURCE_TYPE = "AWS::ServiceDiscovery::Namespace";

/** Every event of a namespace names it by its ID and its ARN, under its type, so a lookup by either finds them all. */
export function namespaceResources(ns: Pick<NamespaceRecord, "id" | "arn" | "type">): EventResource[] {
  const type = NAMESPACE_RESOURCE_TYPE[ns.type];
  return [
    { type, name: ns.id },
    { type, name: ns.arn },
  ];
}
