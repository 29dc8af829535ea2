import type { Tag } from "../../store/records.js";
import { operation, type OperationContext } from "../operation.js";
import { byResourceArn } from "./authorization.js";
import { DEFAULT_BUS, ruleNameOfArn } from "./arns.js";
import { limitExceeded, ruleNotFound, validation } from "./errors.js";

export function checkRuleTags(tags: Tag[], limit: number, existing: Tag[] = []): void {
  const keys = new Set(existing.map((t) => t.Key));
  const given = new Set<string>();
  for (const t of tags) {
    if (given.has(t.Key)) throw validation(`Duplicate tag key in the request: ${t.Key}`);
    given.add(t.Key);
    keys.add(t.Key);
  }
  if (keys.size > limit) throw limitExceeded(`The number of tags on a resource may not exceed ${limit}.`);
}

/** The rule a tagging call names by ARN: only rules of the caller's default bus in its region are tagged. */
async function taggedRule(ctx: OperationContext, arn: string): Promise<string> {
  const name = ruleNameOfArn(ctx, arn);
  const rule = name === undefined ? undefined : await ctx.tx.eventRules.get({ accountId: ctx.accountId, region: ctx.region, eventBusName: DEFAULT_BUS }, name);
  if (!rule) throw ruleNotFound(name ?? arn, DEFAULT_BUS);
  return rule.arn;
}

export const TagResource = operation<{ ResourceARN: string; Tags: Tag[] }, unknown>({
  authorize: byResourceArn,
  resources: (input) => [{ type: "AWS::Events::Rule", name: input.ResourceARN }],
  async handle(input, ctx) {
    const arn = await taggedRule(ctx, input.ResourceARN);
    checkRuleTags(input.Tags, ctx.limits.tagsPerResource, await ctx.tx.tags.list(arn));
    await ctx.tx.tags.put(arn, input.Tags);
    return {};
  },
});

export const UntagResource = operation<{ ResourceARN: string; TagKeys: string[] }, unknown>({
  authorize: byResourceArn,
  resources: (input) => [{ type: "AWS::Events::Rule", name: input.ResourceARN }],
  async handle(input, ctx) {
    await ctx.tx.tags.remove(await taggedRule(ctx, input.ResourceARN), input.TagKeys);
    return {};
  },
});

export const ListTagsForResource = operation<{ ResourceARN: string }, unknown>({
  authorize: byResourceArn,
  async handle(input, ctx) {
    return { Tags: await ctx.tx.tags.list(await taggedRule(ctx, input.ResourceARN)) };
  },
});
