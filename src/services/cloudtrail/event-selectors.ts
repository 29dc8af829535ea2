import { errors as ctErrors } from "../../generated/cloudtrail.js";
import type * as ct from "../../generated/cloudtrail.js";
import type { AdvancedEventSelector, BasicEventSelector, TrailSelectors } from "../../store/trail-records.js";
import { operation } from "../operation.js";
import * as facts from "./authorization.js";
import { invalidCombination, invalidEventSelectors } from "./trail-errors.js";
import { requireHomeRegion, resolveTrail, trailResource } from "./trail-names.js";

const MAX_BASIC_SELECTORS = 5;
const MAX_DATA_RESOURCE_VALUES = 250;
const MAX_ADVANCED_VALUES = 500;
const DATA_RESOURCE_TYPES = new Set(["AWS::S3::Object", "AWS::Lambda::Function", "AWS::DynamoDB::Table"]);
const EXCLUDABLE_SOURCES = new Set(["kms.amazonaws.com", "rdsdata.amazonaws.com"]);
const OPERATORS = ["Equals", "StartsWith", "EndsWith", "NotEquals", "NotStartsWith", "NotEndsWith"] as const;
/** Fields a trail's advanced selectors may use. */
const MANAGEMENT_FIELDS = new Set(["eventCategory", "readOnly", "eventSource"]);
const DATA_FIELDS = new Set(["eventCategory", "resources.type", "resources.ARN", "eventName", "readOnly", "eventSource", "eventType", "sessionCredentialFromConsole", "userIdentity.arn"]);
const EQUALS_ONLY = new Set(["eventCategory", "readOnly", "resources.type"]);

function basicSelectors(selectors: ct.EventSelector[]): BasicEventSelector[] {
  if (selectors.length > MAX_BASIC_SELECTORS) throw invalidEventSelectors(`A trail can have at most ${MAX_BASIC_SELECTORS} event selectors.`);
  let values = 0;
  return selectors.map((s) => {
    for (const r of s.DataResources ?? []) {
      if (!r.Type || !DATA_RESOURCE_TYPES.has(r.Type)) throw invalidEventSelectors(`Data resource type is not valid: ${r.Type ?? "(none)"}.`);
      values += r.Values?.length ?? 0;
    }
    if (values > MAX_DATA_RESOURCE_VALUES) throw invalidEventSelectors(`A trail can have at most ${MAX_DATA_RESOURCE_VALUES} data resource values.`);
    for (const source of s.ExcludeManagementEventSources ?? []) {
      if (!EXCLUDABLE_SOURCES.has(source)) throw invalidEventSelectors(`Excluded management event source is not valid: ${source}.`);
    }
    return {
      ReadWriteType: s.ReadWriteType ?? "All",
      IncludeManagementEvents: s.IncludeManagementEvents ?? true,
      DataResources: s.DataResources ?? [],
      ExcludeManagementEventSources: s.ExcludeManagementEventSources ?? [],
    };
  });
}

function advancedSelectors(selectors: ct.AdvancedEventSelector[]): AdvancedEventSelector[] {
  let values = 0;
  for (const s of selectors) {
    const category = s.FieldSelectors.find((f) => f.Field === "eventCategory");
    const kind = category?.Equals?.length === 1 ? category.Equals[0] : undefined;
    if (kind !== "Management" && kind !== "Data") throw invalidEventSelectors("Each advanced event selector needs eventCategory Equals Management or Data.");
    const allowed = kind === "Management" ? MANAGEMENT_FIELDS : DATA_FIELDS;
    if (kind === "Data" && !s.FieldSelectors.some((f) => f.Field === "resources.type")) {
      throw invalidEventSelectors("A data event selector needs a resources.type field selector.");
    }
    for (const f of s.FieldSelectors) {
      if (!allowed.has(f.Field)) throw invalidEventSelectors(`Field ${f.Field} is not valid for ${kind} events on a trail.`);
      const used = OPERATORS.filter((op) => f[op] !== undefined);
      if (used.length === 0) throw invalidEventSelectors(`Field selector ${f.Field} has no condition.`);
      if (EQUALS_ONLY.has(f.Field) && used.some((op) => op !== "Equals")) throw invalidEventSelectors(`Only Equals can be used with ${f.Field}.`);
      for (const op of used) {
        for (const v of f[op]!) {
          if (v.includes("*")) throw invalidEventSelectors("Wildcards are not supported in advanced event selectors.");
          values += 1;
        }
      }
      if (kind === "Management" && f.Field === "readOnly" && f.Equals!.some((v) => v !== "true" && v !== "false")) {
        throw invalidEventSelectors("readOnly must be Equals true or false.");
      }
      if (kind === "Management" && f.Field === "eventSource" && (used.some((op) => op !== "NotEquals") || f.NotEquals!.some((v) => !EXCLUDABLE_SOURCES.has(v)))) {
        throw invalidEventSelectors("For management events, eventSource can only be NotEquals kms.amazonaws.com or rdsdata.amazonaws.com.");
      }
    }
  }
  if (values > MAX_ADVANCED_VALUES) throw invalidEventSelectors(`A trail can have at most ${MAX_ADVANCED_VALUES} values across its advanced event selectors.`);
  return selectors.map((s) => ({ ...(s.Name !== undefined ? { Name: s.Name } : {}), FieldSelectors: s.FieldSelectors }));
}

function selectorsOutput(selectors: TrailSelectors): Pick<ct.GetEventSelectorsResponse, "EventSelectors" | "AdvancedEventSelectors"> {
  return "advanced" in selectors ? { AdvancedEventSelectors: selectors.advanced } : { EventSelectors: selectors.basic };
}

export const PutEventSelectors = operation<ct.PutEventSelectorsRequest, ct.PutEventSelectorsResponse>({
  authorize: facts.byTrailName,
  validationErrors: { EventSelectors: ctErrors.InvalidEventSelectorsException, AdvancedEventSelectors: ctErrors.InvalidEventSelectorsException },
  async handle(input, ctx) {
    const trail = await resolveTrail(ctx, input.TrailName);
    requireHomeRegion(ctx, trail);
    const hasBasic = input.EventSelectors !== undefined;
    if (hasBasic === (input.AdvancedEventSelectors !== undefined)) {
      throw invalidCombination("Specify either EventSelectors or AdvancedEventSelectors, but not both.");
    }
    // Writing one kind replaces the other.
    const selectors: TrailSelectors = hasBasic ? { basic: basicSelectors(input.EventSelectors!) } : { advanced: advancedSelectors(input.AdvancedEventSelectors!) };
    await ctx.tx.trails.save({ ...trail, selectors, hasCustomSelectors: true });
    return { TrailARN: trail.arn, ...selectorsOutput(selectors) };
  },
  resources: (input, output) => trailResource(input.TrailName, output),
});

export const GetEventSelectors = operation<ct.GetEventSelectorsRequest, ct.GetEventSelectorsResponse>({
  authorize: facts.byTrailName,
  async handle(input, ctx) {
    const trail = await resolveTrail(ctx, input.TrailName, "arn");
    return { TrailARN: trail.arn, ...selectorsOutput(trail.selectors) };
  },
  resources: (input, output) => trailResource(input.TrailName, output),
});
