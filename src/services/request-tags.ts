/** `aws:RequestTag/<key>` and `aws:TagKeys` for calls that set tags (IAM, STS and Cloud Map alike). */
export function requestTagConditions(tags: { Key: string; Value?: string }[] | undefined): Record<string, string | string[]> {
  if (!tags || tags.length === 0) return {};
  const conditions: Record<string, string | string[]> = { "aws:TagKeys": tags.map((t) => t.Key) };
  for (const t of tags) conditions[`aws:RequestTag/${t.Key}`] = t.Value ?? "";
  return conditions;
}
