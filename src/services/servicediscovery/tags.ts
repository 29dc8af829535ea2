import type * as sd from "../../generated/servicediscovery.js";
import type { EventResource } from "../../store/records.js";
import { operation, type OperationContext } from "../operation.js";
import * as facts from "./authorization.js";
import { parseCloudMapArn } from "./arns.js";
import { invalidInput, resourceNotFound } from "./errors.js";
import { ANY_NAMESPACE_RESOURCE_TYPE, namespaceResources } from "./namespace-lookup.js";
import { SERVICE_RESOURCE_TYPE, serviceResources } from "./service-lookup.js";
import { addTags } from "./tagging.js";

/** Namespaces and services are the taggable resources; instances have no ARN. */
async function requireTaggable(ctx: OperationContext, arn: string): Promise<void> {
  const parsed = parseCloudMapArn(arn);
  if (!parsed || (parsed.kind !== "namespace" && parsed.kind !== "service")) throw invalidInput(`${arn} is not a Cloud Map namespace or service ARN.`);
  const mine = parsed.accountId === ctx.accountId && parsed.region === ctx.region;
  if (parsed.kind === "namespace") {
    const ns = mine ? await ctx.tx.namespaces.get(ctx.accountId, ctx.region, parsed.id) : undefined;
    if (ns?.arn !== arn) throw resourceNotFound(arn);
    ctx.noteResources(namespaceResources(ns));
  } else {
    const svc = mine ? await ctx.tx.services.get(ctx.accountId, ctx.region, parsed.id) : undefined;
    if (svc?.arn !== arn) throw resourceNotFound(arn);
    ctx.noteResources(serviceResources(svc));
  }
}

/** A failed call names the resource by the ARN given; one that found it notes its ID and ARN. */
function arnResource(input: { ResourceARN: string }, output: unknown): EventResource[] {
  if (output) return [];
  const kind = parseCloudMapArn(input.ResourceARN)?.kind;
  const type = kind === "service" ? SERVICE_RESOURCE_TYPE : ANY_NAMESPACE_RESOURCE_TYPE;
  return [{ type, name: input.ResourceARN }];
}

export const TagResource = operation<sd.TagResourceRequest, sd.TagResourceResponse>({
  authorize: facts.tagArn,
  async handle(input, ctx) {
    await requireTaggable(ctx, input.ResourceARN);
    await addTags(ctx, input.ResourceARN, input.Tags);
    return {};
  },
  resources: arnResource,
});

export const UntagResource = operation<sd.UntagResourceRequest, sd.UntagResourceResponse>({
  authorize: facts.untagArn,
  async handle(input, ctx) {
    await requireTaggable(ctx, input.ResourceARN);
    await ctx.tx.tags.remove(input.ResourceARN, input.TagKeys);
    return {};
  },
  resources: arnResource,
});

export const ListTagsForResource = operation<sd.ListTagsForResourceRequest, sd.ListTagsForResourceResponse>({
  authorize: facts.listTagsOfArn,
  async handle(input, ctx) {
    await requireTaggable(ctx, input.ResourceARN);
    return { Tags: await ctx.tx.tags.list(input.ResourceARN) };
  },
  resources: arnResource,
});
