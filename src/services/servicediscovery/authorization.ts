/**
 * What IAM evaluates for each Cloud Map operation (spec cloudtrail.md §7.7, AWS's Service Authorization
 * Reference): the namespace or service ARN an action is checked against, its tags, and Cloud Map's condition keys.
 * Operations not listed are checked against `*`.
 */
import type { AuthorizationFacts, OperationContext } from "../operation.js";
import type { Tag } from "../../store/records.js";
import { cloudMapArn, idFromIdOrArn } from "./arns.js";
import { requestTagConditions, taggedCreate } from "../request-tags.js";

type Facts = (input: any, ctx: OperationContext) => Promise<AuthorizationFacts> | AuthorizationFacts;

/** A namespace's ARN and, when it exists, its name: `servicediscovery:NamespaceArn`, `servicediscovery:NamespaceName`. */
async function namespaceKeys(ctx: OperationContext, idOrArn: string): Promise<{ arn: string; conditions: Record<string, string> }> {
  const id = idFromIdOrArn(idOrArn, "namespace", ctx.accountId, ctx.region);
  const arn = id === undefined ? idOrArn : cloudMapArn(ctx.region, ctx.accountId, "namespace", id);
  const ns = id === undefined ? undefined : await ctx.tx.namespaces.get(ctx.accountId, ctx.region, id);
  return { arn, conditions: { "servicediscovery:NamespaceArn": arn, ...(ns ? { "servicediscovery:NamespaceName": ns.name } : {}) } };
}

async function namespaceFacts(ctx: OperationContext, idOrArn: string | undefined): Promise<AuthorizationFacts> {
  if (idOrArn === undefined) return {};
  const { arn, conditions } = await namespaceKeys(ctx, idOrArn);
  return { resources: [arn], resourceTags: await ctx.tx.tags.list(arn), conditions };
}

/** A service call's keys: the service's ARN and name, and those of the namespace it belongs to. */
async function serviceFacts(ctx: OperationContext, idOrArn: string): Promise<AuthorizationFacts> {
  const id = idFromIdOrArn(idOrArn, "service", ctx.accountId, ctx.region);
  const arn = id === undefined ? idOrArn : cloudMapArn(ctx.region, ctx.accountId, "service", id);
  const svc = id === undefined ? undefined : await ctx.tx.services.get(ctx.accountId, ctx.region, id);
  const conditions: Record<string, string> = { "servicediscovery:ServiceArn": arn };
  if (svc) {
    conditions["servicediscovery:ServiceName"] = svc.name;
    Object.assign(conditions, (await namespaceKeys(ctx, svc.namespaceId)).conditions);
  }
  return { resources: [arn], resourceTags: await ctx.tx.tags.list(arn), conditions };
}

const namespace: Facts = (input: { Id: string }, ctx) => namespaceFacts(ctx, input.Id);
const service: Facts = (input: { Id: string }, ctx) => serviceFacts(ctx, input.Id);
const serviceById: Facts = (input: { ServiceId: string }, ctx) => serviceFacts(ctx, input.ServiceId);
/** Discovery names its namespace and service, never their ARNs: only the name condition keys apply. */
const discovery: Facts = (input: { NamespaceName: string; ServiceName: string }) => ({
  conditions: { "servicediscovery:NamespaceName": input.NamespaceName, "servicediscovery:ServiceName": input.ServiceName },
});
const createNamespace: Facts = (input: { Tags?: Tag[] }) => taggedCreate(input.Tags, "servicediscovery:TagResource");

async function taggedResource(ctx: OperationContext, arn: string, conditions: Record<string, string | string[]>): Promise<AuthorizationFacts> {
  return { resources: [arn], resourceTags: await ctx.tx.tags.list(arn), conditions };
}

export const cloudMapAuthorization: Record<string, Facts> = {
  CreateHttpNamespace: createNamespace,
  CreatePrivateDnsNamespace: createNamespace,
  CreatePublicDnsNamespace: createNamespace,
  GetNamespace: namespace,
  DeleteNamespace: namespace,
  UpdateHttpNamespace: namespace,
  UpdatePrivateDnsNamespace: namespace,
  UpdatePublicDnsNamespace: namespace,
  async CreateService(input: { NamespaceId?: string; Tags?: Tag[] }, ctx) {
    const facts = await namespaceFacts(ctx, input.NamespaceId);
    const tagged = taggedCreate(input.Tags, "servicediscovery:TagResource");
    return { ...facts, ...tagged, conditions: { ...facts.conditions, ...tagged.conditions } };
  },
  GetService: service,
  UpdateService: service,
  DeleteService: service,
  GetServiceAttributes: serviceById,
  UpdateServiceAttributes: serviceById,
  DeleteServiceAttributes: serviceById,
  RegisterInstance: serviceById,
  DeregisterInstance: serviceById,
  GetInstance: serviceById,
  ListInstances: serviceById,
  GetInstancesHealthStatus: serviceById,
  UpdateInstanceCustomHealthStatus: serviceById,
  DiscoverInstances: discovery,
  DiscoverInstancesRevision: discovery,
  ListTagsForResource: (input: { ResourceARN: string }, ctx) => taggedResource(ctx, input.ResourceARN, {}),
  TagResource: (input: { ResourceARN: string; Tags: Tag[] }, ctx) => taggedResource(ctx, input.ResourceARN, requestTagConditions(input.Tags)),
  UntagResource: (input: { ResourceARN: string; TagKeys: string[] }, ctx) => taggedResource(ctx, input.ResourceARN, { "aws:TagKeys": input.TagKeys }),
};
