/**
 * What IAM evaluates for each EventBridge operation (AWS's Service Authorization Reference): rule operations
 * against the rule's ARN and tags, connection and API destination operations against theirs, PutEvents and
 * DescribeEventBus against the bus; List* and TestEventPattern against `*` (not listed here).
 */
import type { AuthorizationFacts, OperationContext } from "../operation.js";
import { passRole } from "../pass-role.js";
import { taggedCreate } from "../request-tags.js";
import { busArn, ruleArn } from "./arns.js";

type Facts = (input: any, ctx: OperationContext) => Promise<AuthorizationFacts> | AuthorizationFacts;

async function ruleFacts(ctx: OperationContext, name: string): Promise<AuthorizationFacts> {
  const arn = ruleArn(ctx.accountId, ctx.region, name);
  return { resources: [arn], resourceTags: await ctx.tx.tags.list(arn) };
}

const byName: Facts = (input: { Name: string }, ctx) => ruleFacts(ctx, input.Name);
const byRule: Facts = (input: { Rule: string }, ctx) => ruleFacts(ctx, input.Rule);
const byResourceArn: Facts = async (input: { ResourceARN: string }, ctx) => ({ resources: [input.ResourceARN], resourceTags: await ctx.tx.tags.list(input.ResourceARN) });
const onBus: Facts = (_input, ctx) => ({ resources: [busArn(ctx.accountId, ctx.region)] });

/** A connection or API destination: its ARN once it exists, its name's ARN before. */
const connectionByName: Facts = async (input: { Name: string }, ctx) => {
  const c = await ctx.tx.eventConnections.getConnection(ctx.accountId, ctx.region, input.Name);
  return { resources: [c?.arn ?? `arn:aws:events:${ctx.region}:${ctx.accountId}:connection/${input.Name}`] };
};
const destinationByName: Facts = async (input: { Name: string }, ctx) => {
  const d = await ctx.tx.eventConnections.getDestination(ctx.accountId, ctx.region, input.Name);
  return { resources: [d?.arn ?? `arn:aws:events:${ctx.region}:${ctx.accountId}:api-destination/${input.Name}`] };
};

export const eventsAuthorization: Record<string, Facts> = {
  async PutRule(input: { Name: string; Tags?: { Key: string; Value: string }[]; RoleArn?: string }, ctx) {
    // Tags on create need events:TagResource too; a role handed to the rule needs iam:PassRole.
    const tagged = taggedCreate(input.Tags, "events:TagResource");
    const facts: AuthorizationFacts = { ...(await ruleFacts(ctx, input.Name)), conditions: tagged.conditions };
    if (tagged.additionalActions) facts.additionalActions = tagged.additionalActions;
    if (input.RoleArn) facts.dependentChecks = [await passRole(ctx, input.RoleArn, "events.amazonaws.com")];
    return facts;
  },
  DescribeRule: byName,
  DeleteRule: byName,
  EnableRule: byName,
  DisableRule: byName,
  PutTargets: byRule,
  RemoveTargets: byRule,
  ListTargetsByRule: byRule,
  TagResource: byResourceArn,
  UntagResource: byResourceArn,
  ListTagsForResource: byResourceArn,
  PutEvents: onBus,
  DescribeEventBus: onBus,
  CreateConnection: connectionByName,
  DescribeConnection: connectionByName,
  UpdateConnection: connectionByName,
  DeleteConnection: connectionByName,
  DeauthorizeConnection: connectionByName,
  CreateApiDestination: destinationByName,
  DescribeApiDestination: destinationByName,
  UpdateApiDestination: destinationByName,
  DeleteApiDestination: destinationByName,
};
