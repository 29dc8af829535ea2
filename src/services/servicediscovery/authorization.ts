/**
 * What IAM evaluates for each Cloud Map operation (AWS's Service Authorization
 * Reference): the namespace or service ARN an action is checked against, its tags, and Cloud Map's condition keys
 * exactly on the actions that Reference lists them for. Each operation row names its facts here (`authorize`).
 */
import type { Authorize, AuthorizationFacts, OperationContext } from "../operation.js";
import type { Tag } from "../../store/records.js";
import { cloudMapArn, idFromIdOrArn } from "./arns.js";
import { requestTagConditions, taggedCreate } from "../request-tags.js";

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

/** Calls on one namespace, by ID or ARN. */
export const namespaceById: Authorize<{ Id: string }> = (input, ctx) => namespaceFacts(ctx, input.Id);

/** Create…Namespace: tags on create need `servicediscovery:TagResource` too. */
export const newNamespace: Authorize<{ Tags?: Tag[] }> = (input) => taggedCreate(input.Tags, "servicediscovery:TagResource");

/** CreateService: the namespace it goes into (ARN, tags, `servicediscovery:NamespaceArn`) and its tags. */
export const newService: Authorize<{ NamespaceId?: string; Tags?: Tag[] }> = async (input, ctx) => {
  const facts = await namespaceFacts(ctx, input.NamespaceId);
  const tagged = taggedCreate(input.Tags, "servicediscovery:TagResource");
  const conditions: Record<string, string | string[]> = { ...tagged.conditions };
  if (input.NamespaceId !== undefined) conditions["servicediscovery:NamespaceArn"] = namespaceArnOf(ctx, input.NamespaceId);
  return { ...facts, ...tagged, conditions };
};

/** Calls on one service named by `Id`. */
export const serviceById = (keys: ServiceKeys): Authorize<{ Id: string }> => (input, ctx) => serviceFacts(ctx, input.Id, keys);

/** Calls on one service named by `ServiceId` (its attributes, its instances). */
export const serviceByServiceId = (keys: ServiceKeys): Authorize<{ ServiceId: string }> => (input, ctx) => serviceFacts(ctx, input.ServiceId, keys);

/** Discovery names its namespace and service, never their ARNs: only the name condition keys apply. */
export const discoveryNames: Authorize<{ NamespaceName: string; ServiceName: string }> = (input) => ({
  conditions: { "servicediscovery:NamespaceName": input.NamespaceName, "servicediscovery:ServiceName": input.ServiceName },
});

async function taggedResource(ctx: OperationContext, arn: string, conditions: Record<string, string | string[]>): Promise<AuthorizationFacts> {
  return { resources: [arn], resourceTags: await ctx.tx.tags.list(arn), conditions };
}

export const listTagsOfArn: Authorize<{ ResourceARN: string }> = (input, ctx) => taggedResource(ctx, input.ResourceARN, {});
export const tagArn: Authorize<{ ResourceARN: string; Tags: Tag[] }> = (input, ctx) => taggedResource(ctx, input.ResourceARN, requestTagConditions(input.Tags));
export const untagArn: Authorize<{ ResourceARN: string; TagKeys: string[] }> = (input, ctx) =>
  taggedResource(ctx, input.ResourceARN, { "aws:TagKeys": input.TagKeys });
