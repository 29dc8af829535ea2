/**
 * What IAM evaluates for each CloudTrail operation (AWS's Service Authorization Reference): trail operations are
 * checked against the trail's ARN and its tags; each operation row names its facts here (`authorize`).
 * LookupEvents, DescribeTrails, ListTrails and ListPublicKeys have no resource type. CloudTrail defines no
 * service-specific condition keys.
 */
import type { Authorize, AuthorizationFacts, OperationContext } from "../operation.js";
import { requestTagConditions, taggedCreate } from "../request-tags.js";
import { passRole } from "../pass-role.js";
import { findByName, isArn, trailArnOfParameter } from "./trail-names.js";

/**
 * The ARN of the trail a name or ARN names. A name resolves like the operation will (trail-names.ts): a multi-region
 * trail seen from another region is its home-region ARN, which is what policies name and what its tags are kept
 * under. A name no trail has yet (CreateTrail, or a trail that does not exist) is the caller's region's ARN.
 */
async function trailArnOf(ctx: OperationContext, nameOrArn: string): Promise<string> {
  if (isArn(nameOrArn)) return nameOrArn;
  const trail = await findByName(ctx.tx, ctx.accountId, ctx.region, nameOrArn);
  return trail?.arn ?? trailArnOfParameter(nameOrArn, ctx.accountId, ctx.region);
}

async function trailFacts(ctx: OperationContext, nameOrArns: string[], conditions: Record<string, string | string[]> = {}): Promise<AuthorizationFacts> {
  const resources: string[] = [];
  for (const nameOrArn of nameOrArns) resources.push(await trailArnOf(ctx, nameOrArn));
  // aws:ResourceTag is only meaningful for a single resource; ListTags names several.
  const resourceTags = resources.length === 1 ? await ctx.tx.tags.list(resources[0]!) : undefined;
  return { resources, conditions, ...(resourceTags ? { resourceTags } : {}) };
}

/** Calls on one trail named by `Name`. */
export const byName: Authorize<{ Name: string }> = (input, ctx) => trailFacts(ctx, [input.Name]);
/** Calls on one trail named by `TrailName`. */
export const byTrailName: Authorize<{ TrailName: string }> = (input, ctx) => trailFacts(ctx, [input.TrailName]);
/** Insights calls name a trail or an event data store (not served: the handler refuses it after authorisation). */
export const byOptionalTrailName: Authorize<{ TrailName?: string }> = (input, ctx) =>
  input.TrailName === undefined ? { resources: ["*"], conditions: {} } : trailFacts(ctx, [input.TrailName]);

/** A CloudWatch Logs role set on a trail is passed to CloudTrail: the caller needs `iam:PassRole` on it. */
async function withLogsRole(ctx: OperationContext, facts: AuthorizationFacts, roleArn: string | undefined): Promise<AuthorizationFacts> {
  if (roleArn === undefined || roleArn === "") return facts;
  return { ...facts, dependentChecks: [await passRole(ctx, roleArn, "cloudtrail.amazonaws.com")] };
}

/** CreateTrail: the new trail's ARN; tags on create need `cloudtrail:AddTags` too; a logs role needs `iam:PassRole`. */
export const newTrail: Authorize<{ Name: string; TagsList?: { Key: string; Value?: string }[]; CloudWatchLogsRoleArn?: string }> = async (input, ctx) => {
  const tagged = taggedCreate(input.TagsList, "cloudtrail:AddTags");
  const facts = await trailFacts(ctx, [input.Name], tagged.conditions);
  return withLogsRole(ctx, { ...facts, ...(tagged.additionalActions ? { additionalActions: tagged.additionalActions } : {}) }, input.CloudWatchLogsRoleArn);
};

export const trailUpdate: Authorize<{ Name: string; CloudWatchLogsRoleArn?: string }> = async (input, ctx) =>
  withLogsRole(ctx, await trailFacts(ctx, [input.Name]), input.CloudWatchLogsRoleArn);

export const addTags: Authorize<{ ResourceId: string; TagsList: { Key: string; Value?: string }[] }> = (input, ctx) =>
  trailFacts(ctx, [input.ResourceId], requestTagConditions(input.TagsList));

export const removeTags: Authorize<{ ResourceId: string; TagsList: { Key: string }[] }> = (input, ctx) =>
  trailFacts(ctx, [input.ResourceId], { "aws:TagKeys": input.TagsList.map((t) => t.Key) });

export const listTags: Authorize<{ ResourceIdList: string[] }> = (input, ctx) => trailFacts(ctx, input.ResourceIdList);
