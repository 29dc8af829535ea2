/**
 * What IAM evaluates for each CloudTrail operation (AWS's Service Authorization Reference): trail operations are
 * checked against the trail's ARN and its tags; LookupEvents, DescribeTrails, ListTrails and ListPublicKeys
 * against `*` (they are not listed here).
 */
import type { AuthorizationFacts, OperationContext } from "../operation.js";
import { requestTagConditions } from "../request-tags.js";
import { trailArnOfParameter } from "./trail-names.js";

type Facts = (input: any, ctx: OperationContext) => Promise<AuthorizationFacts> | AuthorizationFacts;

async function trailFacts(ctx: OperationContext, nameOrArns: string[], conditions: Record<string, string | string[]> = {}): Promise<AuthorizationFacts> {
  const resources = nameOrArns.map((nameOrArn) => trailArnOfParameter(nameOrArn, ctx.accountId, ctx.region));
  // aws:ResourceTag is only meaningful for a single resource; ListTags names several.
  const resourceTags = resources.length === 1 ? await ctx.tx.tags.list(resources[0]!) : undefined;
  return { resources, conditions, ...(resourceTags ? { resourceTags } : {}) };
}

const byName: Facts = (input: { Name: string }, ctx) => trailFacts(ctx, [input.Name]);
const byTrailName: Facts = (input: { TrailName: string }, ctx) => trailFacts(ctx, [input.TrailName]);

export const cloudTrailAuthorization: Record<string, Facts> = {
  CreateTrail: (input: { Name: string; TagsList?: { Key: string; Value?: string }[] }, ctx) =>
    trailFacts(ctx, [input.Name], requestTagConditions(input.TagsList)),
  UpdateTrail: byName,
  DeleteTrail: byName,
  GetTrail: byName,
  GetTrailStatus: byName,
  StartLogging: byName,
  StopLogging: byName,
  PutEventSelectors: byTrailName,
  GetEventSelectors: byTrailName,
  AddTags: (input: { ResourceId: string; TagsList: { Key: string; Value?: string }[] }, ctx) =>
    trailFacts(ctx, [input.ResourceId], requestTagConditions(input.TagsList)),
  RemoveTags: (input: { ResourceId: string; TagsList: { Key: string }[] }, ctx) =>
    trailFacts(ctx, [input.ResourceId], { "aws:TagKeys": input.TagsList.map((t) => t.Key) }),
  ListTags: (input: { ResourceIdList: string[] }, ctx) => trailFacts(ctx, input.ResourceIdList),
};
