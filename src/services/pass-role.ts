import type { DependentCheck, OperationContext } from "./operation.js";

/**
 * `iam:PassRole` on a role a call hands to an AWS service (CloudTrail's `CloudWatchLogsRoleArn`), checked as its own
 * request with `iam:PassedToService` and the role's tags, as AWS does: without it a user could lend a service a
 * role with more rights than its own.
 */
export async function passRole(ctx: OperationContext, roleArn: string, service: string): Promise<DependentCheck> {
  const name = /^arn:aws:iam::\d{12}:role\/(?:.*\/)?([^/]+)$/.exec(roleArn)?.[1];
  const role = name === undefined ? undefined : await ctx.tx.iam.getRole(ctx.accountId, name);
  // Only the role that ARN names exactly lends its tags.
  const resourceTags = role && role.arn === roleArn ? await ctx.tx.tags.list(role.arn) : [];
  const conditions: Record<string, string> = { "iam:PassedToService": service };
  for (const t of resourceTags) conditions[`iam:ResourceTag/${t.Key}`] = t.Value;
  return { action: "iam:PassRole", resource: roleArn, conditions, resourceTags };
}
