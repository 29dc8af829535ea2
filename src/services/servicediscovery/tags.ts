import type * as sd from "../../generated/servicediscovery.js";
import type { EventResource } from "../../store/records.js";
import { operation, type OperationContext } from "../operation.js";
import { parseCloudMapArn } from "./arns.js";
import { invalidInput, resourceNotFound } from "./errors.js";
import { addTags } from "./tagging.js";

/** Namespaces and services are the taggable resources; instances have no ARN. */
async function requireTaggable(ctx: OperationContext, arn: string): Promise<void> {
  const parsed = parseCloudMapArn(arn);
  if (!parsed || (parsed.kind !== "namespace" && parsed.kind !== "service")) throw invalidInput(`${arn} is not a Cloud Map namespace or service ARN.`);
  const mine = parsed.accountId === ctx.accountId && parsed.region === ctx.region;
  const repo = parsed.kind === "namespace" ? ctx.tx.namespaces : ctx.tx.services;
  const found = mine ? await repo.get(ctx.accountId, ctx.region, parsed.id) : undefined;
  if (found?.arn !== arn) throw resourceNotFound(arn);
}

function arnResource(input: { ResourceARN: string }): EventResource[] {
  const kind = parseCloudMapArn(input.ResourceARN)?.kind;
  const type = kind === "service" ? "AWS::ServiceDiscovery::Service" : "AWS::ServiceDiscovery::Namespace";
  return [{ type, name: input.ResourceARN }];
}

export const TagResource = operation<sd.TagResourceRequest, sd.TagResourceResponse>({
  readOnly: false,
  recorded: true,
  async handle(input, ctx) {
    await requireTaggable(ctx, input.ResourceARN);
    await addTags(ctx, input.ResourceARN, input.Tags);
    return {};
  },
  resources: arnResource,
});

export const UntagResource = operation<sd.UntagResourceRequest, sd.UntagResourceResponse>({
  readOnly: false,
  recorded: true,
  async handle(input, ctx) {
    await requireTaggable(ctx, input.ResourceARN);
    await ctx.tx.tags.remove(input.ResourceARN, input.TagKeys);
    return {};
  },
  resources: arnResource,
});

export const ListTagsForResource = operation<sd.ListTagsForResourceRequest, sd.ListTagsForResourceResponse>({
  readOnly: true,
  recorded: true,
  async handle(input, ctx) {
    await requireTaggable(ctx, input.ResourceARN);
    return { Tags: await ctx.tx.tags.list(input.ResourceARN) };
  },
  resources: arnResource,
});
