/**
 * What IAM evaluates for each Cloud Map operation (AWS's Service Authorization
 * Reference): the namespace or service ARN an action is checked against, its tags, and Cloud Map's condition keys
 * exactly on the actions that Reference lists them for. Operations not listed are checked against `*`.
 */
import type { AuthorizationFacts, OperationContext } from "../operation.js";
import type { Tag } from "../../store/records.js";
import { cloudMapArn, idFromIdOrArn } from "./arns.js";
import { requestTagConditions, taggedCreate } from "../request-tags.js";

type Facts = (input: any, ctx: OperationContext) => Promise<AuthorizationFacts> | AuthorizationFacts;

function namespaceArnOf(ctx: OperationContext, idOrArn: string): string {
  const id = idFromIdOrArn(idOrArn, "namespace", ctx.accountId, ctx.region);
  return id === undefined ? idOrArn : cloudMapArn(ctx.region, ctx.accountId, "namespace", id);
}

/** Namespace calls: the namespace's ARN and tags; AWS lists no Cloud Map key for them. */
async function namespaceFacts(ctx: OperationContext, idOrArn: string | undefined): Promise<AuthorizationFacts> {
  if (idOrArn === undefined) return {};
  const arn = namespaceArnOf(ctx, idOrArn);
  return { resources: [arn], resourceTags: await ctx.tx.tags.list(arn) };
}

/** Which of Cloud Map's service keys AWS sets on a service call (Service Authorization Reference). */
interface ServiceKeys {
  /** `servicediscovery:ServiceArn` (instance calls). */
  arn?: boolean;
  /** `servicediscovery:ServiceCreatedByAccount` (changes); every service here was created by the account itself. */
  createdBy?: boolean;
}

async function serviceFacts(ctx: OperationContext, idOrArn: string, keys: ServiceKeys): Promise<AuthorizationFacts> {
  const id = idFromIdOrArn(idOrArn, "service", ctx.accountId, ctx.region);
  const arn = id === undefined ? idOrArn : cloudMapArn(ctx.region, ctx.accountId, "service", id);
  const conditions: Record<string, string> = {};
  if (keys.arn) conditions["servicediscovery:ServiceArn"] = arn;
  if (keys.createdBy && id !== undefined && (await ctx.tx.services.get(ctx.accountId, ctx.region, id))) {
    conditions["servicediscovery:ServiceCreatedByAccount"] = ctx.accountId;
  }
  return { resources: [arn], resourceTags: await ctx.tx.tags.list(arn), conditions };
}

const namespace: Facts = (input: { Id: string }, ctx) => namespaceFacts(ctx, input.Id);
const service = (keys: ServiceKeys): Facts => (input: { Id: string }, ctx) => serviceFacts(ctx, input.Id, keys);
const serviceById = (keys: ServiceKeys): Facts => (input: { ServiceId: string }, ctx) => serviceFacts(ctx, input.ServiceId, keys);
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
    const conditions: Record<string, string | string[]> = { ...tagged.conditions };
    if (input.NamespaceId !== undefined) conditions["servicediscovery:NamespaceArn"] = namespaceArnOf(ctx, input.NamespaceId);
    return { ...facts, ...tagged, conditions };
  },
  GetService: service({}),
  UpdateService: service({ createdBy: true }),
  DeleteService: service({ createdBy: true }),
  GetServiceAttributes: serviceById({}),
  UpdateServiceAttributes: serviceById({ createdBy: true }),
  DeleteServiceAttributes: serviceById({ createdBy: true }),
  RegisterInstance: serviceById({ arn: true, createdBy: true }),
  DeregisterInstance: serviceById({ arn: true, createdBy: true }),
  GetInstance: serviceById({ arn: true }),
  ListInstances: serviceById({ arn: true }),
  GetInstancesHealthStatus: serviceById({ arn: true }),
  UpdateInstanceCustomHealthStatus: serviceById({ arn: true, createdBy: true }),
  DiscoverInstances: discovery,
  DiscoverInstancesRevision: discovery,
  ListTagsForResource: (input: { ResourceARN: string }, ctx) => taggedResource(ctx, input.ResourceARN, {}),
  TagResource: (input: { ResourceARN: string; Tags: Tag[] }, ctx) => taggedResource(ctx, input.ResourceARN, requestTagConditions(input.Tags)),
  UntagResource: (input: { ResourceARN: string; TagKeys: string[] }, ctx) => taggedResource(ctx, input.ResourceARN, { "aws:TagKeys": input.TagKeys }),
};
