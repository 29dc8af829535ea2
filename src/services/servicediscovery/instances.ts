import type * as sd from "../../generated/servicediscovery.js";
import type { HealthStatus, InstanceRecord, NamespaceRecord, ServiceRecord } from "../../store/records.js";
import { operation, type OperationContext } from "../operation.js";
import * as facts from "./authorization.js";
import { probeTargetOf } from "../../health/targets.js";
import { customHealthNotFound, invalidInput, resourceLimitExceeded } from "./errors.js";
import { healthModeOf, initialHealth, setInstanceHealth } from "./health.js";
import { checkInstanceAttributes } from "./instance-rules.js";
import { completedOperation, idempotent } from "./operations-log.js";
import { DEFAULT_PAGE_SIZE, decodeToken, encodeToken, pageOf } from "./pagination.js";
import { bumpRevision } from "./revision.js";
import { instanceResource, requireInstance, requireService, serviceResource } from "./service-lookup.js";

const instanceResources = (input: { ServiceId: string; InstanceId: string }) => [serviceResource(input.ServiceId), instanceResource(input.InstanceId)];

const cursorOf = (i: InstanceRecord) => ({ time: i.createDate.getTime(), id: i.id });

/** A Route 53-checked instance must be an endpoint Cairn may probe (health/target-rule.ts). */
function checkProbeTarget(ctx: OperationContext, svc: ServiceRecord, attributes: Record<string, string>): void {
  if (!svc.healthCheckConfig || svc.healthCheckCustomConfig) return;
  const target = probeTargetOf(svc.healthCheckConfig, attributes);
  const refusal = target && ctx.healthCheckTargets.refusal(target.address, target.port);
  if (refusal) throw invalidInput(refusal);
}

/** Creates the instance, or replaces an instance with the same ID (attributes in full, health re-initialised). */
async function register(ctx: OperationContext, svc: ServiceRecord, input: sd.RegisterInstanceRequest): Promise<sd.RegisterInstanceResponse> {
  // Statements that do not depend on each other are issued together: on PostgreSQL they share a round trip. The
  // quota counts matter only for a new instance; counted always, they cost a re-registration less than a round trip.
  const [namespace, existing, counts] = await Promise.all([
    ctx.tx.namespaces.get(ctx.accountId, ctx.region, svc.namespaceId),
    ctx.tx.instances.get(svc.id, input.InstanceId),
    ctx.tx.instances.countInServiceAndNamespace(svc.id, svc.namespaceId),
  ]);
  const ns = namespace as NamespaceRecord;
  checkInstanceAttributes(
    { namespaceType: ns.type, dnsConfig: svc.dnsConfig, healthCheckConfig: svc.healthCheckConfig },
    input.InstanceId,
    input.Attributes,
    ctx.limits,
  );
  checkProbeTarget(ctx, svc, input.Attributes);
  if (!existing) {
    const { inService, inNamespace } = counts;
    if (inService >= ctx.limits.instancesPerService) {
      throw resourceLimitExceeded(`Service ${svc.id} already has ${inService} instances; the limit is ${ctx.limits.instancesPerService}.`);
    }
    if (inNamespace >= ctx.limits.instancesPerNamespace) {
      throw resourceLimitExceeded(`Namespace ${ns.id} already has ${inNamespace} instances; the limit is ${ctx.limits.instancesPerNamespace}.`);
    }
  }
  const health = initialHealth(healthModeOf(svc), input.Attributes);
  const instance: InstanceRecord = {
    serviceId: svc.id,
    id: input.InstanceId,
    namespaceId: ns.id,
    attributes: input.Attributes,
    creatorRequestId: input.CreatorRequestId,
    createdByAccount: ctx.accountId,
    healthStatus: health.status,
    customHealthStatus: health.customStatus,
    healthChangedAt: ctx.now,
    createDate: existing?.createDate ?? ctx.now,
    updateDate: ctx.now,
  };
  // Nothing here waits on these writes: they go out with the call's CloudTrail record (StoreTx.defer).
  ctx.tx.defer(ctx.tx.instances.put(instance));
  ctx.tx.defer(bumpRevision(ctx.tx, svc.id, ctx.now));
  return { OperationId: completedOperation(ctx, "REGISTER_INSTANCE", { serviceId: svc.id, instanceId: instance.id }) };
}

export const RegisterInstance = operation<sd.RegisterInstanceRequest, sd.RegisterInstanceResponse>({
  authorize: facts.serviceByServiceId({ arn: true, createdBy: true }),
  async handle(input, ctx) {
    const svc = await requireService(ctx, input.ServiceId);
    // Tokens are scoped to the service: a token reused for another InstanceId of the same service replays
    // the first registration instead of registering a second instance (AWS asks for a new token per instance).
    return idempotent(ctx, `RegisterInstance:${svc.id}`, input.CreatorRequestId, () => register(ctx, svc, input));
  },
  resources: instanceResources,
});

export const DeregisterInstance = operation<sd.DeregisterInstanceRequest, sd.DeregisterInstanceResponse>({
  authorize: facts.serviceByServiceId({ arn: true, createdBy: true }),
  async handle(input, ctx) {
    const svc = await requireService(ctx, input.ServiceId);
    const instance = await requireInstance(ctx, svc, input.InstanceId);
    ctx.tx.defer(ctx.tx.instances.delete(svc.id, instance.id));
    ctx.tx.defer(bumpRevision(ctx.tx, svc.id, ctx.now));
    return { OperationId: completedOperation(ctx, "DEREGISTER_INSTANCE", { serviceId: svc.id, instanceId: instance.id }) };
  },
  resources: instanceResources,
});

export const GetInstance = operation<sd.GetInstanceRequest, sd.GetInstanceResponse>({
  authorize: facts.serviceByServiceId({ arn: true }),
  async handle(input, ctx) {
    const svc = await requireService(ctx, input.ServiceId);
    const i = await requireInstance(ctx, svc, input.InstanceId);
    return {
      ResourceOwner: svc.accountId,
      Instance: { Id: i.id, CreatorRequestId: i.creatorRequestId, Attributes: i.attributes, CreatedByAccount: i.createdByAccount },
    };
  },
  resources: instanceResources,
});

export const ListInstances = operation<sd.ListInstancesRequest, sd.ListInstancesResponse>({
  authorize: facts.serviceByServiceId({ arn: true }),
  async handle(input, ctx) {
    const svc = await requireService(ctx, input.ServiceId);
    const limit = input.MaxResults ?? DEFAULT_PAGE_SIZE;
    const rows = await ctx.tx.instances.list(svc.id, limit + 1, decodeToken(input.NextToken));
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      ResourceOwner: svc.accountId,
      Instances: page.map((i) => ({ Id: i.id, Attributes: i.attributes, CreatedByAccount: i.createdByAccount })),
      NextToken: rows.length > limit && last ? encodeToken(cursorOf(last)) : undefined,
    };
  },
  resources: (input) => [serviceResource(input.ServiceId)],
});

export const GetInstancesHealthStatus = operation<sd.GetInstancesHealthStatusRequest, sd.GetInstancesHealthStatusResponse>({
  authorize: facts.serviceByServiceId({ arn: true }),
  async handle(input, ctx) {
    const svc = await requireService(ctx, input.ServiceId);
    const limit = input.MaxResults ?? DEFAULT_PAGE_SIZE;
    let page: InstanceRecord[];
    let nextToken: string | undefined;
    if (input.Instances) {
      const named: InstanceRecord[] = [];
      for (const id of new Set(input.Instances)) named.push(await requireInstance(ctx, svc, id));
      named.sort((a, b) => a.createDate.getTime() - b.createDate.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      ({ page, nextToken } = pageOf(named, cursorOf, limit, input.NextToken));
    } else {
      const rows = await ctx.tx.instances.list(svc.id, limit + 1, decodeToken(input.NextToken));
      page = rows.slice(0, limit);
      const last = page[page.length - 1];
      nextToken = rows.length > limit && last ? encodeToken(cursorOf(last)) : undefined;
    }
    // Instance IDs are user data: a null-prototype map keeps `__proto__` an ordinary key.
    const status = Object.create(null) as Record<string, HealthStatus>;
    for (const i of page) status[i.id] = i.healthStatus;
    return { Status: status, NextToken: nextToken };
  },
  resources: (input) => [serviceResource(input.ServiceId)],
});

/**
 * A custom health checker reports an instance's status. AWS acts on it after about 30 seconds; Cairn
 * applies it at once. Services without HealthCheckCustomConfig answer CustomHealthNotFound.
 */
export const UpdateInstanceCustomHealthStatus = operation<sd.UpdateInstanceCustomHealthStatusRequest, Record<string, never>>({
  authorize: facts.serviceByServiceId({ arn: true, createdBy: true }),
  async handle(input, ctx) {
    const svc = await requireService(ctx, input.ServiceId);
    const instance = await requireInstance(ctx, svc, input.InstanceId);
    if (healthModeOf(svc) !== "CUSTOM") throw customHealthNotFound(svc.id);
    await setInstanceHealth(ctx.tx, instance, { status: input.Status, customStatus: input.Status }, ctx.now);
    return {};
  },
  resources: instanceResources,
});
