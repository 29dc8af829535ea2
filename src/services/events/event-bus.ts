import { operation } from "../operation.js";
import { onBus } from "./authorization.js";
import { busArn, busScope, DEFAULT_BUS } from "./arns.js";

/** The account's default bus in the region: the only bus Cairn serves. */
export const DescribeEventBus = operation<{ Name?: string }, unknown>({
  authorize: onBus,
  async handle(input, ctx) {
    busScope(ctx, input.Name);
    return { Name: DEFAULT_BUS, Arn: busArn(ctx.accountId, ctx.region) };
  },
});
