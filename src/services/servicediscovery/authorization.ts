/**
 * What IAM evaluates for each Cloud Map operation (spec cloudtrail.md §7.7, AWS's Service Authorization
 * Reference): the namespace or service ARN an action is checked against, its tags, and Cloud Map's condition keys.
 * Operations not listed are checked against `*`.
 */
import type { AuthorizationFacts, OperationContext } from "../operation.js";
import type { Tag } from "../../store/records.js";
import { cloudMapArn, idFromIdOrArn, type CloudMapResourceKind } from "./arns.js";
import { requestTagConditions } from "../request-tags.js";

type Facts = (input: any, ctx: OperationContext) => Promise<AuthorizationFacts> | AuthorizationFacts;

async function resourceFacts(ctx: OperationContext, kind: CloudMapResourceKind, idOrArn: string | undefined): Promise<AuthorizationFacts> {
  if (idOrArn === undefined) return {};
  const id = idFromIdOrArn(idOrArn, kind, ctx.accountId, ctx.region);
  const arn = id === undefined ? idOrArn : cloudMapArn(ctx.region, ctx.accountId, kind, id);
  const key = kind === "namespace" ? "servicediscovery:NamespaceArn" : "servicediscovery:ServiceArn";
  return { resources: [arn], resourceTags: await ctx.tx.tags.list(arn), conditions: { [key]: arn } };
}

const namespace: Facts = (input: { Id: string }, ctx) => resourceFacts(ctx, "namespace", input.Id);
const service: Facts = (input: { Id: string }, ctx) => resourceFacts(ctx, "service", input.Id);
const serviceById: Facts = (input: { ServiceId: string }, ctx) => resourceFacts(ctx, "service", input.ServiceId);
/** Discovery names its namespace and service, never their ARNs: only the name condition keys apply. */
const discovery: Facts = (input: { NamespaceName: string; ServiceName: string }) => ({
  conditions: { "servicediscovery:NamespaceName": input.NamespaceName, "servicediscovery:ServiceName": input.ServiceName },
});
const createNamespace: Facts = (input: { Tags?: Tag[] }) => ({ conditions: requestTagConditions(input.Tags) });

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
    const facts = await resourceFacts(ctx, "namespace", input.NamespaceId);
    return { ...facts, conditions: { ...facts.conditions, ...requestTagConditions(input.Tags) } };
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
