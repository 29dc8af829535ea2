/**
 * What IAM evaluates for each CloudTrail operation (AWS's Service Authorization Reference): trail operations are
 * checked against the trail's ARN and its tags; LookupEvents, DescribeTrails, ListTrails and ListPublicKeys
 * against `*` (they are not listed here). CloudTrail defines no service-specific condition keys.
 */
import type { AuthorizationFacts, OperationContext } from "../operation.js";
import { requestTagConditions, taggedCreate } from "../request-tags.js";
import { passRole } from "../pass-role.js";
import { findByName, isArn, trailArnOfParameter } from "./trail-names.js";

type Facts = (input: any, ctx: OperationContext) => Promise<AuthorizationFacts> | AuthorizationFacts;

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

const byName: Facts = (input: { Name: string }, ctx) => trailFacts(ctx, [input.Name]);
const byTrailName: Facts = (input: { TrailName: string }, ctx) => trailFacts(ctx, [input.TrailName]);
/** Insights calls name a trail or an event data store (not served: the handler refuses it after authorisation). */
const byOptionalTrailName: Facts = (input: { TrailName?: string }, ctx) => (input.TrailName === undefined ? { resources: ["*"], conditions: {} } : trailFacts(ctx, [input.TrailName]));

/** A CloudWatch Logs role set on a trail is passed to CloudTrail: the caller needs `iam:PassRole` on it. */
async function withLogsRole(ctx: OperationContext, facts: AuthorizationFacts, roleArn: string | undefined): Promise<AuthorizationFacts> {
  if (roleArn === undefined || roleArn === "") return facts;
  return { ...facts, dependentChecks: [await passRole(ctx, roleArn, "cloudtrail.amazonaws.com")] };
}

export const cloudTrailAuthorization: Record<string, Facts> = {
  async CreateTrail(input: { Name: string; TagsList?: { Key: string; Value?: string }[]; CloudWatchLogsRoleArn?: string }, ctx) {
    // Tags on create need cloudtrail:AddTags too.
    const tagged = taggedCreate(input.TagsList, "cloudtrail:AddTags");
    const facts = await trailFacts(ctx, [input.Name], tagged.conditions);
    return withLogsRole(ctx, { ...facts, ...(tagged.additionalActions ? { additionalActions: tagged.additionalActions } : {}) }, input.CloudWatchLogsRoleArn);
  },
  UpdateTrail: async (input: { Name: string; CloudWatchLogsRoleArn?: string }, ctx) => withLogsRole(ctx, await trailFacts(ctx, [input.Name]), input.CloudWatchLogsRoleArn),
  DeleteTrail: byName,
  GetTrail: byName,
  GetTrailStatus: byName,
  StartLogging: byName,
  StopLogging: byName,
  PutEventSelectors: byTrailName,
  GetEventSelectors: byTrailName,
  PutInsightSelectors: byOptionalTrailName,
  GetInsightSelectors: byOptionalTrailName,
  AddTags: (input: { ResourceId: string; TagsList: { Key: string; Value?: string }[] }, ctx) =>
    trailFacts(ctx, [input.ResourceId], requestTagConditions(input.TagsList)),
  RemoveTags: (input: { ResourceId: string; TagsList: { Key: string }[] }, ctx) =>
    trailFacts(ctx, [input.ResourceId], { "aws:TagKeys": input.TagsList.map((t) => t.Key) }),
  ListTags: (input: { ResourceIdList: string[] }, ctx) => trailFacts(ctx, input.ResourceIdList),
};
