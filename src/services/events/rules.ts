import type { BusScope, RuleRecord, RuleState } from "../../store/event-bus-records.js";
import type * as eb from "../../generated/events.js";
import { noResourceType, operation, type OperationContext } from "../operation.js";
import { busScope, ruleArn } from "./arns.js";
import { limitExceeded, ruleNotFound, validation } from "./errors.js";
import { afterName, page } from "./paging.js";
import { parseEventPattern, testEventPattern } from "./pattern/index.js";
import { checkRuleTags } from "./tags.js";
import { byName, putRuleFacts } from "./authorization.js";

/** AWS's default quota of rules per event bus. */
export const RULES_PER_BUS = 300;
const DEFAULT_PAGE = 100;

export async function findRule(ctx: OperationContext, scope: BusScope, name: string): Promise<RuleRecord> {
  const rule = await ctx.tx.eventRules.get(scope, name);
  if (!rule) throw ruleNotFound(name, scope.eventBusName);
  return rule;
}

/** DescribeRule's and ListRules' view of a rule. */
function ruleView(rule: RuleRecord) {
  return {
    Name: rule.name,
    Arn: rule.arn,
    EventPattern: rule.eventPattern,
    State: rule.state,
    Description: rule.description,
    RoleArn: rule.roleArn,
    ManagedBy: rule.managedBy,
    EventBusName: rule.eventBusName,
  };
}

export const PutRule = operation<eb.PutRuleRequest, { RuleArn: string }>({
    authorize: putRuleFacts,
    resources: (input, output) => [{ type: "AWS::Events::Rule", name: output?.RuleArn ?? input.Name }],
    async handle(input, ctx) {
      const scope = busScope(ctx, input.EventBusName);
      if (input.ScheduleExpression !== undefined) {
        throw validation("Cairn does not serve scheduled rules: ScheduleExpression is not supported; use EventPattern.");
      }
      if (input.EventPattern === undefined) throw validation("Parameter(s) EventPattern or ScheduleExpression must be specified.");
      parseEventPattern(input.EventPattern);
      if (input.Tags) checkRuleTags(input.Tags, ctx.limits.tagsPerResource);
      const existing = await ctx.tx.eventRules.get(scope, input.Name);
      if (!existing && (await ctx.tx.eventRules.count(scope)) >= RULES_PER_BUS) {
        throw limitExceeded(`The requested resource exceeds the maximum number allowed (${RULES_PER_BUS} rules per event bus).`);
      }
      const arn = ruleArn(ctx.accountId, ctx.region, input.Name);
      // Omitted members are cleared, as AWS replaces a rule with what PutRule says.
      const rule: RuleRecord = {
        ...scope,
        name: input.Name,
        arn,
        eventPattern: input.EventPattern,
        state: input.State ?? "ENABLED",
        createdBy: existing?.createdBy ?? ctx.accountId,
        createdAt: existing?.createdAt ?? ctx.now.getTime(),
        ...(input.Description !== undefined ? { description: input.Description } : {}),
        ...(input.RoleArn !== undefined ? { roleArn: input.RoleArn } : {}),
      };
      await ctx.tx.eventRules.put(rule);
      // Tags are set when the rule is created; TagResource changes them afterwards.
      if (!existing && input.Tags) await ctx.tx.tags.put(arn, input.Tags);
      return { RuleArn: arn };
    },
  });

export const DescribeRule = operation<{ Name: string; EventBusName?: string }, unknown>({
  authorize: byName,
  async handle(input, ctx) {
    const rule = await findRule(ctx, busScope(ctx, input.EventBusName), input.Name);
    return { ...ruleView(rule), CreatedBy: rule.createdBy };
  },
});

export const ListRules = operation<{ NamePrefix?: string; EventBusName?: string; NextToken?: string; Limit?: number }, unknown>({
  authorize: noResourceType,
  async handle(input, ctx) {
    const scope = busScope(ctx, input.EventBusName);
    const limit = input.Limit ?? DEFAULT_PAGE;
    const rules = await ctx.tx.eventRules.list(scope, input.NamePrefix, limit + 1, afterName(input.NextToken));
    const { items, nextToken } = page(rules, limit, (r) => r.name);
    return { Rules: items.map(ruleView), NextToken: nextToken };
  },
});

export const DeleteRule = operation<{ Name: string; EventBusName?: string; Force?: boolean }, unknown>({
    authorize: byName,
    async handle(input, ctx) {
      const scope = busScope(ctx, input.EventBusName);
      const rule = await ctx.tx.eventRules.get(scope, input.Name);
      // Deleting a rule that does not exist succeeds, as on AWS.
      if (!rule) return {};
      if ((await ctx.tx.eventRules.targets(scope, input.Name)).length > 0) throw validation("Rule can't be deleted since it has targets.");
      await ctx.tx.eventRules.delete(scope, input.Name);
      await ctx.tx.tags.removeAll(rule.arn);
      return {};
    },
  });

const setState = (state: RuleState) =>
  operation<{ Name: string; EventBusName?: string }, unknown>({
    authorize: byName,
    async handle(input, ctx) {
      const scope = busScope(ctx, input.EventBusName);
      await findRule(ctx, scope, input.Name);
      await ctx.tx.eventRules.setState(scope, input.Name, state);
      return {};
    },
  });

export const EnableRule = setState("ENABLED");
export const DisableRule = setState("DISABLED");

export const ListRuleNamesByTarget = operation<{ TargetArn: string; EventBusName?: string; NextToken?: string; Limit?: number }, unknown>({
  authorize: noResourceType,
  async handle(input, ctx) {
    const scope = busScope(ctx, input.EventBusName);
    const limit = input.Limit ?? DEFAULT_PAGE;
    const names = await ctx.tx.eventRules.ruleNamesByTarget(scope, input.TargetArn, limit + 1, afterName(input.NextToken));
    const { items, nextToken } = page(names, limit, (n) => n);
    return { RuleNames: items, NextToken: nextToken };
  },
});

export const TestEventPattern = operation<{ EventPattern: string; Event: string }, { Result: boolean }>({
  // "Test" says nothing of writing: the call only reads.
  readOnly: true,
  authorize: noResourceType,
  async handle(input) {
    return { Result: testEventPattern(input.EventPattern, input.Event) };
  },
});
