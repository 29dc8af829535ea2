import { errors as sdErrors } from "../../generated/servicediscovery.js";
import type * as sd from "../../generated/servicediscovery.js";
import type { NamespaceRecord, NamespaceType, Tag } from "../../store/records.js";
import { noResourceType, operation, type OperationContext } from "../operation.js";
import * as facts from "./authorization.js";
import { cloudMapArn } from "./arns.js";
import { resourceInUse, resourceLimitExceeded } from "./errors.js";
import { compileCondition, rejectDuplicateFilters, requireEnumValues, resourceOwnerFilter } from "./filters.js";
import { httpNameSuffix, newHostedZoneId, newNamespaceId } from "./ids.js";
import { ANY_NAMESPACE_RESOURCE_TYPE, NAMESPACE_RESOURCE_TYPE, namespaceResources, requireNamespace, requireNamespaceType } from "./namespace-lookup.js";
import { namespaceDetail, namespaceSummary } from "./namespace-view.js";
import { completedOperation, idempotent } from "./operations-log.js";
import { pageOf } from "./pagination.js";
import { addTags } from "./tagging.js";


interface NewNamespace {
  type: NamespaceType;
  name: string;
  description?: string;
  vpc?: string;
  soaTtl?: number;
  creatorRequestId?: string;
  tags?: Tag[];
}

/** Whether `existing` already is the namespace `spec` asks for (same name and kind, and for private DNS the same VPC). */
function sameNamespace(existing: NamespaceRecord, spec: NewNamespace): boolean {
  return existing.type === spec.type && existing.name === spec.name && (spec.type !== "DNS_PRIVATE" || existing.vpc === spec.vpc);
}

async function createNamespace(ctx: OperationContext, spec: NewNamespace): Promise<{ OperationId: string }> {
  const existing = await ctx.tx.namespaces.list(ctx.accountId, ctx.region);
  const clash = existing.find((ns) => sameNamespace(ns, spec));
  if (clash) {
    throw sdErrors.NamespaceAlreadyExists(`Namespace ${spec.name} already exists.`, { CreatorRequestId: clash.creatorRequestId, NamespaceId: clash.id });
  }
  if (existing.length >= ctx.limits.namespacesPerRegion) {
    throw resourceLimitExceeded(`The account already has ${existing.length} namespaces in ${ctx.region}; the limit is ${ctx.limits.namespacesPerRegion}.`);
  }
  const id = newNamespaceId();
  const arn = cloudMapArn(ctx.region, ctx.accountId, "namespace", id);
  // Names may repeat across namespace kinds; the HttpName that discovery uses may not.
  const httpName = existing.some((ns) => ns.httpName === spec.name) ? `${spec.name}-${httpNameSuffix()}` : spec.name;
  const record: NamespaceRecord = {
    id,
    arn,
    accountId: ctx.accountId,
    region: ctx.region,
    name: spec.name,
    type: spec.type,
    description: spec.description,
    httpName,
    hostedZoneId: spec.type === "HTTP" ? undefined : newHostedZoneId(),
    vpc: spec.vpc,
    soaTtl: spec.soaTtl,
    creatorRequestId: spec.creatorRequestId,
    createDate: ctx.now,
  };
  await ctx.tx.namespaces.insert(record);
  ctx.noteResources(namespaceResources(record));
  await addTags(ctx, arn, spec.tags);
  return { OperationId: completedOperation(ctx, "CREATE_NAMESPACE", { namespaceId: id }) };
}

/** A failed create names the namespace by the name it asked for; a created one is noted by ID and ARN. */
const createdResource = (type: NamespaceType) => (input: { Name: string }, output: unknown) => (output ? [] : [{ type: NAMESPACE_RESOURCE_TYPE[type], name: input.Name }]);

export const CreateHttpNamespace = operation<sd.CreateHttpNamespaceRequest, sd.CreateHttpNamespaceResponse>({
  authorize: facts.newNamespace,
  handle: (input, ctx) =>
    idempotent(ctx, "CreateHttpNamespace", input.CreatorRequestId, () =>
      createNamespace(ctx, {
        type: "HTTP",
        name: input.Name,
        description: input.Description,
        creatorRequestId: input.CreatorRequestId,
        tags: input.Tags,
      }),
    ),
  resources: createdResource("HTTP"),
});

export const CreatePrivateDnsNamespace = operation<sd.CreatePrivateDnsNamespaceRequest, sd.CreatePrivateDnsNamespaceResponse>({
  authorize: facts.newNamespace,
  handle: (input, ctx) =>
    idempotent(ctx, "CreatePrivateDnsNamespace", input.CreatorRequestId, () =>
      createNamespace(ctx, {
        type: "DNS_PRIVATE",
        name: input.Name,
        description: input.Description,
        vpc: input.Vpc,
        soaTtl: input.Properties?.DnsProperties.SOA.TTL,
        creatorRequestId: input.CreatorRequestId,
        tags: input.Tags,
      }),
    ),
  resources: createdResource("DNS_PRIVATE"),
});

export const CreatePublicDnsNamespace = operation<sd.CreatePublicDnsNamespaceRequest, sd.CreatePublicDnsNamespaceResponse>({
  authorize: facts.newNamespace,
  handle: (input, ctx) =>
    idempotent(ctx, "CreatePublicDnsNamespace", input.CreatorRequestId, () =>
      createNamespace(ctx, {
        type: "DNS_PUBLIC",
        name: input.Name,
        description: input.Description,
        soaTtl: input.Properties?.DnsProperties.SOA.TTL,
        creatorRequestId: input.CreatorRequestId,
        tags: input.Tags,
      }),
    ),
  resources: createdResource("DNS_PUBLIC"),
});

async function updateNamespace(
  ctx: OperationContext,
  idOrArn: string,
  type: NamespaceType,
  change: { description?: string; soaTtl?: number },
): Promise<{ OperationId: string }> {
  const ns = await requireNamespace(ctx, idOrArn);
  requireNamespaceType(ns, type);
  await ctx.tx.namespaces.update(ns.id, change);
  const updated: NamespaceRecord = { ...ns };
  if (change.description !== undefined) updated.description = change.description;
  if (change.soaTtl !== undefined) updated.soaTtl = change.soaTtl;
  return { OperationId: completedOperation(ctx, "UPDATE_NAMESPACE", { namespaceId: ns.id }) };
}

/** A failed call names the namespace as given; one that found it notes its ID and ARN (requireNamespace). */
const byId = (type: string) => (input: { Id: string }, output: unknown) => (output ? [] : [{ type, name: input.Id }]);

export const UpdateHttpNamespace = operation<sd.UpdateHttpNamespaceRequest, sd.UpdateHttpNamespaceResponse>({
  authorize: facts.namespaceById,
  handle: (input, ctx) =>
    idempotent(ctx, "UpdateHttpNamespace", input.UpdaterRequestId, () =>
      updateNamespace(ctx, input.Id, "HTTP", { description: input.Namespace.Description }),
    ),
  resources: byId(NAMESPACE_RESOURCE_TYPE.HTTP),
});

export const UpdatePrivateDnsNamespace = operation<sd.UpdatePrivateDnsNamespaceRequest, sd.UpdatePrivateDnsNamespaceResponse>({
  authorize: facts.namespaceById,
  handle: (input, ctx) =>
    idempotent(ctx, "UpdatePrivateDnsNamespace", input.UpdaterRequestId, () =>
      updateNamespace(ctx, input.Id, "DNS_PRIVATE", {
        description: input.Namespace.Description,
        soaTtl: input.Namespace.Properties?.DnsProperties.SOA.TTL,
      }),
    ),
  resources: byId(NAMESPACE_RESOURCE_TYPE.DNS_PRIVATE),
});

export const UpdatePublicDnsNamespace = operation<sd.UpdatePublicDnsNamespaceRequest, sd.UpdatePublicDnsNamespaceResponse>({
  authorize: facts.namespaceById,
  handle: (input, ctx) =>
    idempotent(ctx, "UpdatePublicDnsNamespace", input.UpdaterRequestId, () =>
      updateNamespace(ctx, input.Id, "DNS_PUBLIC", {
        description: input.Namespace.Description,
        soaTtl: input.Namespace.Properties?.DnsProperties.SOA.TTL,
      }),
    ),
  resources: byId(NAMESPACE_RESOURCE_TYPE.DNS_PUBLIC),
});

export const DeleteNamespace = operation<sd.DeleteNamespaceRequest, sd.DeleteNamespaceResponse>({
  authorize: facts.namespaceById,
  async handle(input, ctx) {
    const ns = await requireNamespace(ctx, input.Id);
    const services = await ctx.tx.services.countInNamespace(ns.id);
    if (services > 0) throw resourceInUse(`Namespace ${ns.id} still has ${services} service(s); delete them first.`);
    await ctx.tx.namespaces.delete(ns.id);
    await ctx.tx.tags.removeAll(ns.arn);
    return { OperationId: completedOperation(ctx, "DELETE_NAMESPACE", { namespaceId: ns.id }) };
  },
  resources: byId(ANY_NAMESPACE_RESOURCE_TYPE),
});

export const GetNamespace = operation<sd.GetNamespaceRequest, sd.GetNamespaceResponse>({
  authorize: facts.namespaceById,
  async handle(input, ctx) {
    const ns = await requireNamespace(ctx, input.Id);
    return { Namespace: namespaceDetail(ns, await ctx.tx.services.countInNamespace(ns.id)) };
  },
  resources: byId(ANY_NAMESPACE_RESOURCE_TYPE),
});

const NAMESPACE_TYPES: readonly string[] = ["HTTP", "DNS_PRIVATE", "DNS_PUBLIC"];

function namespacePredicate(filters: sd.NamespaceFilter[] = []): (ns: NamespaceRecord) => boolean {
  rejectDuplicateFilters(filters);
  const tests = filters.map((f): ((ns: NamespaceRecord) => boolean) => {
    switch (f.Name) {
      case "TYPE": {
        requireEnumValues(f, NAMESPACE_TYPES);
        const match = compileCondition(f, ["EQ", "IN", "BEGINS_WITH"]);
        return (ns) => match(ns.type);
      }
      case "NAME": {
        const match = compileCondition(f, ["EQ", "BEGINS_WITH"]);
        return (ns) => match(ns.name);
      }
      case "HTTP_NAME": {
        const match = compileCondition(f, ["EQ", "BEGINS_WITH"]);
        return (ns) => match(ns.httpName);
      }
      case "RESOURCE_OWNER":
        return resourceOwnerFilter(f);
    }
  });
  return (ns) => tests.every((t) => t(ns));
}

export const ListNamespaces = operation<sd.ListNamespacesRequest, sd.ListNamespacesResponse>({
  authorize: noResourceType,
  async handle(input, ctx) {
    const keep = namespacePredicate(input.Filters);
    const all = await ctx.tx.namespaces.list(ctx.accountId, ctx.region);
    const counts = await ctx.tx.services.countByNamespace(ctx.accountId, ctx.region);
    const { page, nextToken } = pageOf(
      all.filter(keep),
      (ns) => ({ time: ns.createDate.getTime(), id: ns.id }),
      input.MaxResults,
      input.NextToken,
    );
    return { Namespaces: page.map((ns) => namespaceSummary(ns, counts.get(ns.id) ?? 0)), NextToken: nextToken };
  },
});
