import { errors as ctErrors } from "../../generated/cloudtrail.js";
import type * as ct from "../../generated/cloudtrail.js";
import type { Tag } from "../../store/records.js";
import type { TrailRecord } from "../../store/trail-records.js";
import { operation, type OperationContext } from "../operation.js";
import * as facts from "./authorization.js";
import { parseTrailArn, requireHomeRegion, trailResource } from "./trail-names.js";

export const TRAIL_TAG_LIMIT = 50;
const LIST_TAGS_MAX_ARNS = 20;

/** Tag values are 1–256 characters, so the store's empty value stands for a key without a value. */
export function toStoredTags(tags: ct.Tag[]): Tag[] {
  return tags.map((t) => ({ Key: t.Key, Value: t.Value ?? "" }));
}

function fromStoredTags(tags: Tag[]): ct.Tag[] {
  return tags.map((t) => (t.Value === "" ? { Key: t.Key } : { Key: t.Key, Value: t.Value }));
}

export function checkTagsList(tags: ct.Tag[], limit: number): void {
  const keys = new Set<string>();
  for (const t of tags) {
    if (keys.has(t.Key)) throw ctErrors.InvalidTagParameterException(`Duplicate tag key in the request: ${t.Key}`);
    if (t.Key.length < 1 || t.Key.length > 128 || (t.Value !== undefined && t.Value.length > 256)) {
      throw ctErrors.InvalidTagParameterException(`Tag key must be 1 to 128 characters and tag value at most 256: ${t.Key}`);
    }
    keys.add(t.Key);
  }
  if (keys.size > limit) throw ctErrors.TagsLimitExceededException(`The number of tags exceeds the limit of ${limit}.`);
}

/** The trail a tagging call names by ARN (tags calls take only ARNs). */
async function taggedTrail(ctx: OperationContext, arn: string): Promise<TrailRecord> {
  const parts = parseTrailArn(arn);
  const trail = parts.accountId === ctx.accountId ? await ctx.tx.trails.byArn(ctx.accountId, arn) : undefined;
  const visible = trail && (trail.homeRegion === ctx.region || trail.config.IsMultiRegionTrail);
  if (!trail || !visible) throw ctErrors.ResourceNotFoundException(`Resource not found: ${arn}`);
  return trail;
}

export const AddTags = operation<ct.AddTagsRequest, ct.AddTagsResponse>({
  authorize: facts.addTags,
  async handle(input, ctx) {
    const trail = await taggedTrail(ctx, input.ResourceId);
    requireHomeRegion(ctx, trail);
    checkTagsList(input.TagsList, TRAIL_TAG_LIMIT);
    const existing = await ctx.tx.tags.list(trail.arn);
    const keys = new Set([...existing.map((t) => t.Key), ...input.TagsList.map((t) => t.Key)]);
    if (keys.size > TRAIL_TAG_LIMIT) throw ctErrors.TagsLimitExceededException(`The number of tags exceeds the limit of ${TRAIL_TAG_LIMIT}.`);
    await ctx.tx.tags.put(trail.arn, toStoredTags(input.TagsList));
    return {};
  },
  // Tags name trails by ARN: the ARN given is the trail's.
  resources: (input) => trailResource(input.ResourceId, undefined),
});

export const RemoveTags = operation<ct.RemoveTagsRequest, ct.RemoveTagsResponse>({
  authorize: facts.removeTags,
  async handle(input, ctx) {
    const trail = await taggedTrail(ctx, input.ResourceId);
    requireHomeRegion(ctx, trail);
    await ctx.tx.tags.remove(trail.arn, input.TagsList.map((t) => t.Key));
    return {};
  },
  // Tags name trails by ARN: the ARN given is the trail's.
  resources: (input) => trailResource(input.ResourceId, undefined),
});

export const ListTags = operation<ct.ListTagsRequest, ct.ListTagsResponse>({
  authorize: facts.listTags,
  async handle(input, ctx) {
    if (input.ResourceIdList.length > LIST_TAGS_MAX_ARNS) {
      throw ctErrors.InvalidParameterException(`ResourceIdList can hold at most ${LIST_TAGS_MAX_ARNS} ARNs.`);
    }
    const out: ct.ResourceTag[] = [];
    for (const arn of input.ResourceIdList) {
      const trail = await taggedTrail(ctx, arn);
      out.push({ ResourceId: trail.arn, TagsList: fromStoredTags(await ctx.tx.tags.list(trail.arn)) });
    }
    return { ResourceTagList: out };
  },
  resources: (input) => input.ResourceIdList.flatMap((arn) => trailResource(arn, undefined)),
});
