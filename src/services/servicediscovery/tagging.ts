import { errors as sdErrors } from "../../generated/servicediscovery.js";
import type { Tag } from "../../store/records.js";
import type { OperationContext } from "../operation.js";
import { invalidInput } from "./errors.js";

/**
 * Adds tags to a resource with AWS's rules: user keys may not use the reserved `aws:` prefix, and a
 * resource holds at most `limits.tagsPerResource` tags after the change.
 */
export async function addTags(ctx: OperationContext, arn: string, tags: Tag[] | undefined): Promise<void> {
  if (!tags || tags.length === 0) return;
  const reserved = tags.find((t) => t.Key.toLowerCase().startsWith("aws:"));
  if (reserved) throw invalidInput(`Tag keys starting with 'aws:' are reserved: ${reserved.Key}`);
  const existing = await ctx.tx.tags.list(arn);
  const keys = new Set(existing.map((t) => t.Key));
  for (const t of tags) keys.add(t.Key);
  if (keys.size > ctx.limits.tagsPerResource) {
    throw sdErrors.TooManyTagsException(`A resource can have at most ${ctx.limits.tagsPerResource} tags.`, { ResourceName: arn });
  }
  await ctx.tx.tags.put(arn, tags);
}
