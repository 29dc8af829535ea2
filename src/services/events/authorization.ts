/**
 * What IAM evaluates for each EventBridge operation (AWS's Service Authorization Reference): rule operations
 * against the rule's ARN and tags, connection and API destination operations against theirs, PutEvents and
 * DescribeEventBus against the bus; List* and TestEventPattern against `*` (`noResourceType` in their rows).
 */
import type { AuthorizationFacts, Authorize, OperationContext } from "../operation.js";
import { passRole } from "../pass-role.js";
import { taggedCreate } from "../request-tags.js";
import { busArn, ruleArn } from "./arns.js";


async function ruleFacts(ctx: OperationContext, name: string): Promise<AuthorizationFacts> {
  const arn = ruleArn(ctx.accountId, ctx.region, name);
  return { resources: [arn], resourceTags: await ctx.tx.tags.list(arn) };
}

export const byName: Authorize<{ Name: string }> = (input: { Name: string }, ctx) => ruleFacts(ctx, input.Name);
export const byRule: Authorize<{ Rule: string }> = (input: { Rule: string }, ctx) => ruleFacts(ctx, input.Rule);
export const byResourceArn: Authorize<{ ResourceARN: string }> = async (input: { ResourceARN: string }, ctx) => ({ resources: [input.ResourceARN], resourceTags: await ctx.tx.tags.list(input.ResourceARN) });
export const onBus: Authorize<unknown> = (_input, ctx) => ({ resources: [busArn(ctx.accountId, ctx.region)] });

/** A connection or API destination: its ARN once it exists, its name's ARN before. */
export const connectionByName: Authorize<{ Name: string }> = async (input: { Name: string }, ctx) => {
  const c = await ctx.tx.eventConnections.getConnection(ctx.accountId, ctx.region, input.Name);
  return { resources: [c?.arn ?? `arn:aws:events:${ctx.region}:${ctx.accountId}:connection/${input.Name}`] };
};
export const destinationByName: Authorize<{ Name: string }> = async (input: { Name: string }, ctx) => {
  const d = await ctx.tx.eventConnections.getDestination(ctx.accountId, ctx.region, input.Name);
  return { resources: [d?.arn ?? `arn:aws:events:${ctx.region}:${ctx.accountId}:api-destination/${input.Name}`] };
};

/** Tags on create need events:TagResource too; a role handed to the rule needs iam:PassRole. */
export const putRuleFacts: Authorize<{ Name: string; Tags?: { Key: string; Value: string }[]; RoleArn?: string }> = async (input, ctx) => {
  const tagged = taggedCreate(input.Tags, "events:TagResource");
  const facts: AuthorizationFacts = { ...(await ruleFacts(ctx, input.Name)), conditions: tagged.conditions };
  if (tagged.additionalActions) facts.additionalActions = tagged.additionalActions;
  if (input.RoleArn) facts.dependentChecks = [await passRole(ctx, input.RoleArn, "events.amazonaws.com")];
  return facts;
};
