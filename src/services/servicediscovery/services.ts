import { errors as sdErrors } from "../../generated/servicediscovery.js";
import type * as sd from "../../generated/servicediscovery.js";
import type { InstanceRecord, NamespaceRecord, ServiceChangeRecord, ServiceRecord } from "../../store/records.js";
import { noResourceType, operation, type OperationContext } from "../operation.js";
import * as facts from "./authorization.js";
import { cloudMapArn, idFromIdOrArn } from "./arns.js";
import { invalidInput, resourceInUse, resourceLimitExceeded } from "./errors.js";
import { compileCondition, rejectDuplicateFilters, resourceOwnerFilter } from "./filters.js";
import { healthModeOf, initialHealth } from "./health.js";
import { newServiceId } from "./ids.js";
import { requireNamespace } from "./namespace-lookup.js";
import { completedOperation } from "./operations-log.js";
import { DEFAULT_PAGE_SIZE, decodeToken, encodeToken } from "./pagination.js";
import { initialRevision } from "./revision.js";
import { requireService, serviceDetail, serviceResource, serviceResources, serviceSummary } from "./service-lookup.js";
import { checkDnsConfigChange, checkHealthCheckChange, checkServiceDefinition, serviceNameKey } from "./service-rules.js";
import { addTags } from "./tagging.js";

/** CreateService names its namespace in NamespaceId or (deprecated) DnsConfig.NamespaceId; if both, they must agree. */
function namespaceIdOf(ctx: OperationContext, input: sd.CreateServiceRequest): string {
  const direct = input.NamespaceId;
  const legacy = input.DnsConfig?.NamespaceId;
  if (direct === undefined && legacy === undefined) throw invalidInput("NamespaceId is required.");
  if (direct !== undefined && legacy !== undefined && (idFromIdOrArn(direct, "namespace", ctx.accountId, ctx.region) ?? direct) !== legacy) {
    throw invalidInput("NamespaceId and DnsConfig.NamespaceId name different namespaces.");
  }
  return direct ?? legacy!;
}

/** A repeated CreatorRequestId answers with the service the first call created (as it is now, if it still exists). */
async function replayCreate(ctx: OperationContext, earlier: sd.CreateServiceResponse): Promise<sd.CreateServiceResponse> {
  const current = earlier.Service?.Id ? await ctx.tx.services.get(ctx.accountId, ctx.region, earlier.Service.Id) : undefined;
  if (current) return { Service: serviceDetail(current, await ctx.tx.instances.countInService(current.id)) };
  return { Service: { ...earlier.Service, CreateDate: earlier.Service?.CreateDate && new Date(earlier.Service.CreateDate) } };
}

export const CreateService = operation<sd.CreateServiceRequest, sd.CreateServiceResponse>({
  authorize: facts.newService,
  async handle(input, ctx) {
    const token = input.CreatorRequestId;
    if (token !== undefined) {
      const earlier = (await ctx.tx.tokens.get(ctx.accountId, ctx.region, "CreateService", token)) as sd.CreateServiceResponse | undefined;
      if (earlier !== undefined) return replayCreate(ctx, earlier);
    }
    const ns = await requireNamespace(ctx, namespaceIdOf(ctx, input));
    const checked = checkServiceDefinition({
      namespaceType: ns.type,
      dnsConfig: input.DnsConfig,
      healthCheckConfig: input.HealthCheckConfig,
      healthCheckCustomConfig: input.HealthCheckCustomConfig,
      type: input.Type,
    });
    const nameKey = serviceNameKey(input.Name, ns.type);
    const clash = await ctx.tx.services.byNameKey(ns.id, nameKey);
    if (clash) {
      throw sdErrors.ServiceAlreadyExists("Service already exists.", { CreatorRequestId: clash.creatorRequestId, ServiceId: clash.id, ServiceArn: clash.arn });
    }
    const limit = ctx.limits.servicesPerNamespace;
    if (limit > 0) {
      const count = await ctx.tx.services.countInNamespace(ns.id);
      if (count >= limit) throw resourceLimitExceeded(`Namespace ${ns.id} already has ${count} services; the limit is ${limit}.`);
    }
    const id = newServiceId();
    const service: ServiceRecord = {
      id,
      arn: cloudMapArn(ctx.region, ctx.accountId, "service", id),
      accountId: ctx.accountId,
      region: ctx.region,
      namespaceId: ns.id,
      name: input.Name,
      type: checked.type,
      description: input.Description,
      dnsConfig: checked.dnsConfig,
      healthCheckConfig: checked.healthCheckConfig,
      healthCheckCustomConfig: checked.healthCheckCustomConfig,
      creatorRequestId: token,
      createdByAccount: ctx.accountId,
      createDate: ctx.now,
      instancesRevision: initialRevision(ctx.now),
    };
    await ctx.tx.services.insert(service, nameKey);
    await addTags(ctx, service.arn, input.Tags);
    const output = { Service: serviceDetail(service, 0) };
    if (token !== undefined) await ctx.tx.tokens.put(ctx.accountId, ctx.region, "CreateService", token, output, ctx.now);
    return output;
  },
  resources: (_input, output) => (output?.Service?.Id && output.Service.Arn ? serviceResources({ id: output.Service.Id, arn: output.Service.Arn }) : []),
});

export const GetService = operation<sd.GetServiceRequest, sd.GetServiceResponse>({
  authorize: facts.serviceById({}),
  async handle(input, ctx) {
    const svc = await requireService(ctx, input.Id);
    return { Service: serviceDetail(svc, await ctx.tx.instances.countInService(svc.id)) };
  },
  resources: (input) => [serviceResource(input.Id)],
});

/** ListServices' filters: a namespace (ID or ARN; an unknown one matches nothing) and the owner. */
function serviceFilter(ctx: OperationContext, filters: sd.ServiceFilter[] = []): { namespaceId?: string } | undefined {
  rejectDuplicateFilters(filters);
  const out: { namespaceId?: string } = {};
  let matchesAny = true;
  for (const f of filters) {
    switch (f.Name) {
      case "NAMESPACE_ID": {
        compileCondition(f, ["EQ"]);
        const id = idFromIdOrArn(f.Values[0]!, "namespace", ctx.accountId, ctx.region);
        if (id === undefined) matchesAny = false;
        else out.namespaceId = id;
        break;
      }
      case "RESOURCE_OWNER":
        if (!resourceOwnerFilter(f)()) matchesAny = false;
        break;
    }
  }
  return matchesAny ? out : undefined;
}

export const ListServices = operation<sd.ListServicesRequest, sd.ListServicesResponse>({
  authorize: noResourceType,
  async handle(input, ctx) {
    const filter = serviceFilter(ctx, input.Filters);
    const limit = input.MaxResults ?? DEFAULT_PAGE_SIZE;
    const after = decodeToken(input.NextToken);
    if (!filter) return { Services: [] };
    // One extra row says whether another page exists, so the last page never carries a token.
    const rows = await ctx.tx.services.list(ctx.accountId, ctx.region, filter, limit + 1, after);
    const page = rows.slice(0, limit);
    const counts = await ctx.tx.instances.countByService(page.map((s) => s.id));
    const last = page[page.length - 1];
    return {
      Services: page.map((s) => serviceSummary(s, counts.get(s.id) ?? 0)),
      NextToken: rows.length > limit && last ? encodeToken({ time: last.createDate.getTime(), id: last.id }) : undefined,
    };
  },
});

/**
 * UpdateService: new description, new TTLs for the existing record types, and HealthCheckConfig added,
 * replaced or (when left out) removed. HealthCheckCustomConfig, record types and routing policy never
 * change, and services in HTTP namespaces cannot be updated at all (AWS's rules).
 */
export const UpdateService = operation<sd.UpdateServiceRequest, sd.UpdateServiceResponse>({
  authorize: facts.serviceById({ createdBy: true }),
  async handle(input, ctx) {
    const svc = await requireService(ctx, input.Id);
    const ns = (await ctx.tx.namespaces.get(ctx.accountId, ctx.region, svc.namespaceId)) as NamespaceRecord;
    if (ns.type === "HTTP") throw invalidInput(`Service ${svc.id} is in an HTTP namespace; services in HTTP namespaces can't be updated.`);
    const wanted = input.Service;
    const change: ServiceChangeRecord = {};
    if (wanted.Description !== undefined) change.description = wanted.Description;
    if (wanted.DnsConfig) change.dnsConfig = checkDnsConfigChange(svc.dnsConfig, wanted.DnsConfig);
    if (wanted.HealthCheckConfig) change.healthCheckConfig = checkHealthCheckChange(ns.type, svc, wanted.HealthCheckConfig);
    else if (svc.healthCheckConfig) change.healthCheckConfig = null;
    await ctx.tx.services.update(svc.id, change);

    const updated: ServiceRecord = { ...svc };
    if (change.description !== undefined) updated.description = change.description;
    if (change.dnsConfig) updated.dnsConfig = change.dnsConfig;
    if (change.healthCheckConfig !== undefined) updated.healthCheckConfig = change.healthCheckConfig ?? undefined;

    // Adding or removing the Route 53 check changes every instance's health (HEALTHY ⇄ UNKNOWN); as any health
    // change, not the InstancesRevision.
    let instances: InstanceRecord[] | undefined;
    const mode = healthModeOf(updated);
    if (mode !== healthModeOf(svc)) {
      instances = await ctx.tx.instances.listInService(svc.id);
      for (const i of instances) {
        const health = initialHealth(mode, i.attributes);
        if (health.status === i.healthStatus) continue;
        await ctx.tx.instances.setHealth(svc.id, i.id, health, ctx.now);
        i.healthStatus = health.status;
        i.customHealthStatus = health.customStatus;
      }
    }
    const OperationId = completedOperation(ctx, "UPDATE_SERVICE", { serviceId: svc.id });
    return { OperationId };
  },
  resources: (input) => [serviceResource(input.Id)],
});

export const DeleteService = operation<sd.DeleteServiceRequest, sd.DeleteServiceResponse>({
  authorize: facts.serviceById({ createdBy: true }),
  async handle(input, ctx) {
    const svc = await requireService(ctx, input.Id);
    const instances = await ctx.tx.instances.countInService(svc.id);
    if (instances > 0) throw resourceInUse(`Service ${svc.id} still has ${instances} registered instance(s); deregister them first.`);
    await ctx.tx.serviceAttributes.removeAll(svc.id);
    await ctx.tx.tags.removeAll(svc.arn);
    await ctx.tx.services.delete(svc.id);
    return {};
  },
  resources: (input) => [serviceResource(input.Id)],
});
