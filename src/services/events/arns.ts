import { randomUUID } from "node:crypto";
import type { BusScope } from "../../store/event-bus-records.js";
import type { OperationContext } from "../operation.js";
import { busNotFound } from "./errors.js";

/** The only bus Cairn serves: each account's `default` bus in each region. */
export const DEFAULT_BUS = "default";

export const busArn = (accountId: string, region: string): string => `arn:aws:events:${region}:${accountId}:event-bus/${DEFAULT_BUS}`;
/** Rules on the default bus carry no bus name in their ARN. */
export const ruleArn = (accountId: string, region: string, name: string): string => `arn:aws:events:${region}:${accountId}:rule/${name}`;
export const connectionArn = (accountId: string, region: string, name: string): string =>
  `arn:aws:events:${region}:${accountId}:connection/${name}/${randomUUID()}`;
export const destinationArn = (accountId: string, region: string, name: string): string =>
  `arn:aws:events:${region}:${accountId}:api-destination/${name}/${randomUUID()}`;

/** The bus a call names (`EventBusName`, a name or an ARN; absent means default): only the caller's default bus exists. */
export function busScope(ctx: Pick<OperationContext, "accountId" | "region">, nameOrArn: string | undefined): BusScope {
  const named = nameOrArn ?? DEFAULT_BUS;
  if (named !== DEFAULT_BUS && named !== busArn(ctx.accountId, ctx.region)) {
    throw busNotFound(named.startsWith("arn:") ? named.slice(named.lastIndexOf("/") + 1) : named);
  }
  return { accountId: ctx.accountId, region: ctx.region, eventBusName: DEFAULT_BUS };
}

/** The rule name an ARN of this account and region names, if it names one on the default bus. */
export function ruleNameOfArn(ctx: Pick<OperationContext, "accountId" | "region">, arn: string): string | undefined {
  const prefix = `arn:aws:events:${ctx.region}:${ctx.accountId}:rule/`;
  if (!arn.startsWith(prefix)) return undefined;
  const name = arn.slice(prefix.length);
  return name.includes("/") ? undefined : name;
}

/** `arn:aws:events:…:<kind>/<name>/<uuid>` → name. */
export function nameOfResourceArn(arn: string, kind: "connection" | "api-destination"): string | undefined {
  return new RegExp(`^arn:aws:events:[^:]+:\\d{12}:${kind}/([^/]+)/[^/]+$`).exec(arn)?.[1];
}
