import type * as sd from "../../generated/servicediscovery.js";
import type { EventResource, InstanceRecord, ServiceRecord } from "../../store/records.js";
import type { OperationContext } from "../operation.js";
import { idFromIdOrArn, parseCloudMapArn } from "./arns.js";
import { instanceNotFound, serviceNotFound } from "./errors.js";

/** Finds the caller's service by ID or ARN in the request's region, or answers ServiceNotFound. */
export async function requireService(ctx: OperationContext, idOrArn: string): Promise<ServiceRecord> {
  const id = idFromIdOrArn(idOrArn, "service", ctx.accountId, ctx.region);
  const svc = id === undefined ? undefined : await ctx.tx.services.get(ctx.accountId, ctx.region, id);
  if (!svc) throw serviceNotFound(idOrArn);
  ctx.noteResources(serviceResources(svc));
  return svc;
}

export async function requireInstance(ctx: OperationContext, service: ServiceRecord, instanceId: string): Promise<InstanceRecord> {
  const instance = await ctx.tx.instances.get(service.id, instanceId);
  if (!instance) throw instanceNotFound(instanceId, service.id);
  return instance;
}

// --- CloudTrail resources --------------------------------------------------------------------------

export const SERVICE_RESOURCE_TYPE = "AWS::ServiceDiscovery::Service";
export const INSTANCE_RESOURCE_TYPE = "AWS::ServiceDiscovery::Instance";

/** The bare service ID of an `Id`/`ServiceId` input (which may be an ARN), for LookupEvents. */
export function serviceIdOf(idOrArn: string): string {
  if (!idOrArn.startsWith("arn:")) return idOrArn;
  const arn = parseCloudMapArn(idOrArn);
  return arn?.kind === "service" ? arn.id : idOrArn;
}

export const serviceResource = (idOrArn: string): EventResource => ({ type: SERVICE_RESOURCE_TYPE, name: serviceIdOf(idOrArn) });
/** Every event of a service that found it names it by its ID and its ARN, so a lookup by either finds them all. */
export const serviceResources = (svc: Pick<ServiceRecord, "id" | "arn">): EventResource[] => [serviceResource(svc.id), { type: SERVICE_RESOURCE_TYPE, name: svc.arn }];
export const instanceResource = (instanceId: string): EventResource => ({ type: INSTANCE_RESOURCE_TYPE, name: instanceId });

// --- Output shapes ---------------------------------------------------------------------------------

/** ListServices' item: no NamespaceId, no CreatorRequestId, and DnsConfig without the deprecated NamespaceId. */
export function serviceSummary(svc: ServiceRecord, instanceCount: number): sd.ServiceSummary {
  return {
    Id: svc.id,
    Arn: svc.arn,
    ResourceOwner: svc.accountId,
    Name: svc.name,
    Type: svc.type,
    Description: svc.description,
    InstanceCount: instanceCount,
    DnsConfig: svc.dnsConfig && { RoutingPolicy: svc.dnsConfig.RoutingPolicy, DnsRecords: svc.dnsConfig.DnsRecords },
    HealthCheckConfig: svc.healthCheckConfig,
    HealthCheckCustomConfig: svc.healthCheckCustomConfig,
    CreateDate: svc.createDate,
    CreatedByAccount: svc.createdByAccount,
  };
}

/** CreateService's and GetService's `Service`. */
export function serviceDetail(svc: ServiceRecord, instanceCount: number): sd.Service {
  return {
    ...serviceSummary(svc, instanceCount),
    NamespaceId: svc.namespaceId,
    DnsConfig: svc.dnsConfig && { NamespaceId: svc.namespaceId, RoutingPolicy: svc.dnsConfig.RoutingPolicy, DnsRecords: svc.dnsConfig.DnsRecords },
    CreatorRequestId: svc.creatorRequestId,
  };
}
