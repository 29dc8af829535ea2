/**
 * PutInsightSelectors and GetInsightSelectors for trails. Cairn keeps a trail's Insights selectors and reports them
 * (GetTrail's HasInsightSelectors) but produces no Insights events. Event data stores are not served.
 */
import { errors as ctErrors } from "../../generated/cloudtrail.js";
import type * as ct from "../../generated/cloudtrail.js";
import type { TrailRecord } from "../../store/trail-records.js";
import { operation } from "../operation.js";
import * as facts from "./authorization.js";
import { invalidCombination } from "./trail-errors.js";
import { requireHomeRegion, resolveTrail, trailResource } from "./trail-names.js";

const invalidInsightSelectors = ctErrors.InvalidInsightSelectorsException;

/** Names the trail these calls act on; event data stores (EventDataStore, InsightsDestination) are not served. */
function trailNameOf(input: { TrailName?: string; EventDataStore?: string; InsightsDestination?: string }): string {
  if (input.EventDataStore !== undefined || input.InsightsDestination !== undefined) {
    if (input.TrailName !== undefined) throw invalidCombination("TrailName cannot be used with EventDataStore or InsightsDestination.");
    throw ctErrors.UnsupportedOperationException("Event data stores are not supported by Cairn; name a trail with TrailName.");
  }
  if (input.TrailName === undefined) throw invalidCombination("You must specify a TrailName.");
  return input.TrailName;
}

/** Whether the trail logs management events that are writes (`readOnly` false) or reads (true). */
function logsManagementEvents(trail: TrailRecord, readOnly: boolean): boolean {
  const s = trail.selectors;
  if ("basic" in s) return s.basic.some((b) => b.IncludeManagementEvents && (b.ReadWriteType === "All" || (b.ReadWriteType === "ReadOnly") === readOnly));
  return s.advanced.some((a) => {
    const fields = new Map(a.FieldSelectors.map((f) => [f.Field, f]));
    if (!fields.get("eventCategory")?.Equals?.includes("Management")) return false;
    const ro = fields.get("readOnly");
    return ro?.Equals === undefined || ro.Equals.includes(String(readOnly));
  });
}

/** The model's enums are checked by validation; what remains are AWS's rules on combinations. */
function checkSelectors(trail: TrailRecord, selectors: ct.InsightSelector[]): void {
  const types = selectors.map((s) => s.InsightType);
  if (types.some((t) => t === undefined)) throw invalidInsightSelectors("Each Insights selector needs an InsightType: ApiCallRateInsight or ApiErrorRateInsight.");
  if (new Set(types).size !== types.length) throw invalidInsightSelectors("An InsightType can appear only once in InsightSelectors.");
  for (const s of selectors) {
    if (s.EventCategories?.includes("Data")) {
      throw invalidInsightSelectors("Insights on data events need a trail that logs data events; Cairn records management events only.");
    }
  }
  if (types.includes("ApiCallRateInsight") && !logsManagementEvents(trail, false)) {
    throw invalidInsightSelectors("ApiCallRateInsight needs a trail that logs write management events.");
  }
  if (types.includes("ApiErrorRateInsight") && !logsManagementEvents(trail, false) && !logsManagementEvents(trail, true)) {
    throw invalidInsightSelectors("ApiErrorRateInsight needs a trail that logs read or write management events.");
  }
}

export const PutInsightSelectors = operation<ct.PutInsightSelectorsRequest, ct.PutInsightSelectorsResponse>({
  authorize: facts.byOptionalTrailName,
  validationErrors: { InsightSelectors: ctErrors.InvalidInsightSelectorsException },
  async handle(input, ctx) {
    const trail = await resolveTrail(ctx, trailNameOf(input));
    requireHomeRegion(ctx, trail);
    checkSelectors(trail, input.InsightSelectors);
    const saved: TrailRecord = { ...trail, insightSelectors: input.InsightSelectors };
    // An empty list turns Insights off.
    if (input.InsightSelectors.length === 0) delete saved.insightSelectors;
    await ctx.tx.trails.save(saved);
    return { TrailARN: trail.arn, InsightSelectors: input.InsightSelectors };
  },
  resources: (input, output) => trailResource(input.TrailName, output),
});

export const GetInsightSelectors = operation<ct.GetInsightSelectorsRequest, ct.GetInsightSelectorsResponse>({
  authorize: facts.byOptionalTrailName,
  async handle(input, ctx) {
    const trail = await resolveTrail(ctx, trailNameOf(input), "arn");
    if (!trail.insightSelectors) throw ctErrors.InsightNotEnabledException(`Trail ${trail.name} does not have Insights enabled.`);
    return { TrailARN: trail.arn, InsightSelectors: trail.insightSelectors };
  },
  resources: (input, output) => trailResource(input.TrailName, output),
});
