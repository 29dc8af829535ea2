/** `aws:RequestTag/<key>` and `aws:TagKeys` for calls that set tags (IAM, STS and Cloud Map alike). */
export function requestTagConditions(tags: { Key: string; Value?: string }[] | undefined): Record<string, string | string[]> {
  if (!tags || tags.length === 0) return {};
  const conditions: Record<string, string | string[]> = { "aws:TagKeys": tags.map((t) => t.Key) };
  for (const t of tags) conditions[`aws:RequestTag/${t.Key}`] = t.Value ?? "";
  return conditions;
}

/**
 * A create that passes tags also needs the API's tagging action (`iam:TagRole`, `servicediscovery:TagResource`,
 * `cloudtrail:AddTags`) on the same resource, with the same `aws:RequestTag`/`aws:TagKeys`, as AWS requires.
 */
export function taggedCreate(tags: { Key: string; Value?: string }[] | undefined, tagAction: string): { conditions: Record<string, string | string[]>; additionalActions?: string[] } {
  const conditions = requestTagConditions(tags);
  return tags && tags.length > 0 ? { conditions, additionalActions: [tagAction] } : { conditions };
}
