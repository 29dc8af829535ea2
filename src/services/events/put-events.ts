import type * as eb from "../../generated/events.js";
import { operation } from "../operation.js";
import { onBus } from "./authorization.js";
import { busArn, busScope, DEFAULT_BUS } from "./arns.js";
import { customEnvelope, type BusEvent } from "./envelope.js";

type ResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

const failure = (ErrorCode: string, ErrorMessage: string): ResultEntry => ({ ErrorCode, ErrorMessage });

/** One entry's event, or why it is refused (AWS refuses entries one by one, never the whole call). */
function entryEvent(entry: eb.PutEventsRequestEntry, ctx: { accountId: string; region: string; now: Date }): BusEvent | ResultEntry {
  for (const member of ["Source", "DetailType", "Detail"] as const) {
    if (entry[member] === undefined || entry[member] === "") {
      return failure("InvalidArgument", `Parameter ${member} is not valid. Reason: ${member} is a required argument.`);
    }
  }
  // Events from AWS services' sources only come from those services.
  if (entry.Source!.startsWith("aws.")) return failure("NotAuthorizedForSourceException", "Not authorized for the source.");
  const bus = entry.EventBusName;
  if (bus !== undefined && bus !== DEFAULT_BUS && bus !== busArn(ctx.accountId, ctx.region)) {
    return failure("InvalidArgument", `Event bus ${bus} does not exist.`);
  }
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail!);
  } catch {
    return failure("MalformedDetail", "Detail is malformed.");
  }
  if (detail === null || typeof detail !== "object" || Array.isArray(detail)) return failure("MalformedDetail", "Detail is malformed.");
  return customEnvelope({
    accountId: ctx.accountId,
    region: ctx.region,
    source: entry.Source!,
    detailType: entry.DetailType!,
    detail,
    resources: entry.Resources ?? [],
    time: entry.Time ?? ctx.now,
  });
}

/** Custom events onto the default bus; their deliveries commit with the call. A data event: not in CloudTrail. */
export const PutEvents = operation<eb.PutEventsRequest, { FailedEntryCount: number; Entries: ResultEntry[] }>({
    recorded: false,
    authorize: onBus,
    async handle(input, ctx) {
      busScope(ctx, undefined);
      const results: ResultEntry[] = [];
      for (const entry of input.Entries) {
        const event = entryEvent(entry, ctx);
        if (!("id" in event)) {
          results.push(event);
          continue;
        }
        await ctx.deps.eventFeed.put(ctx.tx, event);
        results.push({ EventId: event.id });
      }
      return { FailedEntryCount: results.filter((r) => "ErrorCode" in r).length, Entries: results };
    },
  });
