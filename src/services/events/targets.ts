import type { TargetConfig } from "../../store/event-bus-records.js";
import { operation } from "../operation.js";
import { busScope, nameOfResourceArn } from "./arns.js";
import { limitExceeded } from "./errors.js";
import { afterName, page } from "./paging.js";
import { findRule } from "./rules.js";
import { checkTargetInput } from "./target-input.js";
import { byRule } from "./authorization.js";

/** AWS's quota of targets per rule. */
export const TARGETS_PER_RULE = 5;
const DEFAULT_PAGE = 100;

interface FailedEntry {
  TargetId: string;
  ErrorCode: string;
  ErrorMessage: string;
}

export const PutTargets = operation<{ Rule: string; EventBusName?: string; Targets: TargetConfig[] }, { FailedEntryCount: number; FailedEntries: FailedEntry[] }>({
    authorize: byRule,
    async handle(input, ctx) {
      const scope = busScope(ctx, input.EventBusName);
      const rule = await findRule(ctx, scope, input.Rule);
      for (const target of input.Targets) checkTargetInput(target);
      const current = new Set((await ctx.tx.eventRules.targets(scope, rule.name)).map((t) => t.Id));
      const failed: FailedEntry[] = [];
      const accepted: TargetConfig[] = [];
      for (const target of input.Targets) {
        // Cairn delivers to API destinations only: any other target is refused on its own entry.
        if (nameOfResourceArn(target.Arn, "api-destination") === undefined) {
          failed.push({ TargetId: target.Id, ErrorCode: "ValidationException", ErrorMessage: `Cairn supports only API destinations as targets, not ${target.Arn}.` });
          continue;
        }
        const destination = await ctx.tx.eventConnections.destinationByArn(target.Arn);
        if (!destination || destination.accountId !== ctx.accountId || destination.region !== ctx.region) {
          failed.push({ TargetId: target.Id, ErrorCode: "ResourceNotFoundException", ErrorMessage: `API destination ${target.Arn} does not exist.` });
          continue;
        }
        accepted.push(target);
        current.add(target.Id);
      }
      if (current.size > TARGETS_PER_RULE) throw limitExceeded(`The requested resource exceeds the maximum number allowed (${TARGETS_PER_RULE} targets per rule).`);
      for (const target of accepted) await ctx.tx.eventRules.putTarget(scope, rule.name, target);
      return { FailedEntryCount: failed.length, FailedEntries: failed };
    },
  });

export const RemoveTargets = operation<{ Rule: string; EventBusName?: string; Ids: string[]; Force?: boolean }, { FailedEntryCount: number; FailedEntries: FailedEntry[] }>({
    authorize: byRule,
    async handle(input, ctx) {
      const scope = busScope(ctx, input.EventBusName);
      const rule = await findRule(ctx, scope, input.Rule);
      await ctx.tx.eventRules.removeTargets(scope, rule.name, input.Ids);
      return { FailedEntryCount: 0, FailedEntries: [] };
    },
  });

export const ListTargetsByRule = operation<{ Rule: string; EventBusName?: string; NextToken?: string; Limit?: number }, unknown>({
  authorize: byRule,
  async handle(input, ctx) {
    const scope = busScope(ctx, input.EventBusName);
    const rule = await findRule(ctx, scope, input.Rule);
    const all = await ctx.tx.eventRules.targets(scope, rule.name);
    const after = afterName(input.NextToken);
    const start = after === undefined ? 0 : all.findIndex((t) => t.Id === after) + 1;
    const { items, nextToken } = page(all.slice(start), input.Limit ?? DEFAULT_PAGE, (t) => t.Id);
    return { Targets: items, NextToken: nextToken };
  },
});
