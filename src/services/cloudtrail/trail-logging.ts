import type * as ct from "../../generated/cloudtrail.js";
import type { TrailRecord } from "../../store/trail-records.js";
import { operation, type OperationContext } from "../operation.js";
import * as facts from "./authorization.js";
import { isArn, notFound, onHomeTrail, resolveTrail, trailResource } from "./trail-names.js";
import { isoSeconds } from "../../protocol/timestamps.js";

/**
 * Stops a trail logging: the window it was logging in ends at this call's own event (its seq is not known
 * yet, so the window names the request; the delivery worker finds the event).
 */
export function closeLoggingWindow(trail: TrailRecord, ctx: Pick<OperationContext, "requestId" | "now">): TrailRecord {
  if (!trail.isLogging) return trail;
  const windows = trail.windows.map((w) => (w.until === undefined && w.stopRequestId === undefined ? { ...w, stopRequestId: ctx.requestId } : w));
  return { ...trail, isLogging: false, stopLoggingTime: ctx.now.getTime(), windows };
}

export const StartLogging = onHomeTrail<ct.StartLoggingRequest, ct.StartLoggingResponse>(facts.byName, async (_input, ctx, trail) => {
  if (trail.isLogging) return {};
  // Events committed after this point are logged, this call's own event included.
  const after = await ctx.tx.events.maxSeq();
  await ctx.tx.trails.save({ ...trail, isLogging: true, startLoggingTime: ctx.now.getTime(), windows: [...trail.windows, { after }] });
  return {};
});

export const StopLogging = onHomeTrail<ct.StopLoggingRequest, ct.StopLoggingResponse>(facts.byName, async (_input, ctx, trail) => {
  await ctx.tx.trails.save(closeLoggingWindow(trail, ctx));
  return {};
});

/** The deprecated string members: `YYYY-MM-DDTHH:MM:SSZ`, or "" when never. */
function legacyTime(ms: number | undefined): string {
  return ms === undefined ? "" : isoSeconds(ms);
}

export const GetTrailStatus = operation<ct.GetTrailStatusRequest, ct.GetTrailStatusResponse>({
  authorize: facts.byName,
  async handle(input, ctx) {
    const trail = await resolveTrail(ctx, input.Name, "arn");
    // A shadow trail's status is asked for by ARN.
    if (!isArn(input.Name) && trail.homeRegion !== ctx.region) throw notFound(ctx, input.Name, "arn");
    const s = trail.status;
    const date = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms));
    const out: ct.GetTrailStatusResponse = { IsLogging: trail.isLogging };
    const set = <K extends keyof ct.GetTrailStatusResponse>(k: K, v: ct.GetTrailStatusResponse[K] | undefined) => {
      if (v !== undefined) out[k] = v;
    };
    set("LatestDeliveryError", s.latestDeliveryError);
    set("LatestDeliveryTime", date(s.latestDeliveryTime));
    set("StartLoggingTime", date(trail.startLoggingTime));
    set("StopLoggingTime", date(trail.stopLoggingTime));
    set("LatestDigestDeliveryTime", date(s.latestDigestDeliveryTime));
    set("LatestDigestDeliveryError", s.latestDigestDeliveryError);
    out.LatestDeliveryAttemptTime = legacyTime(s.latestDeliveryAttemptTime);
    out.LatestNotificationAttemptTime = "";
    out.LatestNotificationAttemptSucceeded = "";
    out.LatestDeliveryAttemptSucceeded = legacyTime(s.latestDeliveryTime);
    out.TimeLoggingStarted = legacyTime(trail.startLoggingTime);
    out.TimeLoggingStopped = legacyTime(trail.stopLoggingTime);
    return out;
  },
  resources: (input, output) => trailResource(input.Name, output),
});
