import { errors as ctErrors } from "../../generated/cloudtrail.js";
import { randomUUID } from "node:crypto";
import type * as ct from "../../generated/cloudtrail.js";
import type { TrailConfig, TrailRecord } from "../../store/trail-records.js";
import { noResourceType, operation, type OperationContext } from "../operation.js";
import * as facts from "./authorization.js";
import { checkBucketExists, checkBucketName, checkConfig, checkPrefix, trailFields, trailShape } from "./trail-config.js";
import { trailAlreadyExists } from "./trail-errors.js";
import { checkTrailName, findByName, isArn, onHomeTrail, resolveTrail, trailArn, trailResource } from "./trail-names.js";
import { checkTagsList, TRAIL_TAG_LIMIT, toStoredTags } from "./trail-tags.js";
import { closeLoggingWindow } from "./trail-logging.js";

export const TRAILS_PER_REGION = 5;

export const DEFAULT_SELECTORS: TrailRecord["selectors"] = {
  basic: [{ ReadWriteType: "All", IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }],
};

/** A multi-region trail's shadows take its name in every region: no other trail of the account may hold it. */
async function checkShadowsFree(ctx: OperationContext, name: string, self?: string): Promise<void> {
  const all = await ctx.tx.trails.all();
  if (all.some((t) => !t.deleted && t.accountId === ctx.accountId && t.name === name && t.id !== self)) throw trailAlreadyExists(name, ctx.accountId);
}

function configOf(input: ct.CreateTrailRequest): TrailConfig {
  const config: TrailConfig = {
    S3BucketName: input.S3BucketName,
    IncludeGlobalServiceEvents: input.IncludeGlobalServiceEvents ?? true,
    IsMultiRegionTrail: input.IsMultiRegionTrail ?? false,
    LogFileValidationEnabled: input.EnableLogFileValidation ?? false,
    IsOrganizationTrail: input.IsOrganizationTrail ?? false,
  };
  for (const k of ["S3KeyPrefix", "SnsTopicName", "CloudWatchLogsLogGroupArn", "CloudWatchLogsRoleArn", "KmsKeyId"] as const) {
    const v = input[k];
    if (v !== undefined && v !== "") config[k] = v;
  }
  return config;
}

export const CreateTrail = operation<ct.CreateTrailRequest, ct.CreateTrailResponse>({
  authorize: facts.newTrail,
  async handle(input, ctx) {
    checkTrailName(input.Name);
    const visible = await ctx.tx.trails.visible(ctx.accountId, ctx.region);
    if (visible.some((t) => t.name === input.Name)) throw trailAlreadyExists(input.Name, ctx.accountId);
    if (visible.length >= TRAILS_PER_REGION) {
      throw ctErrors.MaximumNumberOfTrailsExceededException(`User: ${ctx.accountId} already has ${TRAILS_PER_REGION} trails in ${ctx.region}.`);
    }
    const config = configOf(input);
    if (config.IsMultiRegionTrail) await checkShadowsFree(ctx, input.Name);
    checkConfig(config);
    checkBucketName(config.S3BucketName);
    checkBucketExists(ctx, config.S3BucketName);
    checkPrefix(config.S3KeyPrefix);
    const tags = input.TagsList ?? [];
    checkTagsList(tags, TRAIL_TAG_LIMIT);
    const trail: TrailRecord = {
      id: randomUUID(),
      arn: trailArn(ctx.region, ctx.accountId, input.Name),
      accountId: ctx.accountId,
      homeRegion: ctx.region,
      name: input.Name,
      config,
      selectors: DEFAULT_SELECTORS,
      hasCustomSelectors: false,
      // A trail created through the API does not log until StartLogging.
      isLogging: false,
      windows: [],
      deleted: false,
      status: {},
      cursorSeq: 0,
      createdAt: ctx.now.getTime(),
    };
    await ctx.tx.trails.insert(trail);
    await ctx.tx.tags.put(trail.arn, toStoredTags(tags));
    return trailFields(trail);
  },
  resources: (input, output) => trailResource(input.Name, output),
});

export const UpdateTrail = onHomeTrail<ct.UpdateTrailRequest, ct.UpdateTrailResponse>(facts.trailUpdate, async (input, ctx, trail) => {
  const before = trail.config;
  const config: TrailConfig = { ...before };
  if (input.S3BucketName !== undefined) config.S3BucketName = input.S3BucketName;
  for (const k of ["S3KeyPrefix", "SnsTopicName", "CloudWatchLogsLogGroupArn", "CloudWatchLogsRoleArn", "KmsKeyId"] as const) {
    const v = input[k];
    // An empty string clears an optional setting.
    if (v === "") delete config[k];
    else if (v !== undefined) config[k] = v;
  }
  if (input.IsMultiRegionTrail !== undefined && input.IsMultiRegionTrail !== before.IsMultiRegionTrail) {
    // Switching to multi-region turns global events on, switching back turns them off.
    config.IsMultiRegionTrail = input.IsMultiRegionTrail;
    config.IncludeGlobalServiceEvents = input.IsMultiRegionTrail;
  }
  if (input.IncludeGlobalServiceEvents !== undefined) config.IncludeGlobalServiceEvents = input.IncludeGlobalServiceEvents;
  if (input.EnableLogFileValidation !== undefined) config.LogFileValidationEnabled = input.EnableLogFileValidation;
  if (input.IsOrganizationTrail !== undefined) config.IsOrganizationTrail = input.IsOrganizationTrail;
  checkConfig(config);
  if (config.S3BucketName !== before.S3BucketName || config.S3KeyPrefix !== before.S3KeyPrefix) {
    checkBucketName(config.S3BucketName);
    checkBucketExists(ctx, config.S3BucketName);
    checkPrefix(config.S3KeyPrefix);
  }
  if (config.IsMultiRegionTrail && !before.IsMultiRegionTrail) await checkShadowsFree(ctx, trail.name, trail.id);
  const updated = { ...trail, config };
  await ctx.tx.trails.save(updated);
  return trailFields(updated);
});

export const DeleteTrail = onHomeTrail<ct.DeleteTrailRequest, ct.DeleteTrailResponse>(facts.byName, async (_input, ctx, trail) => {
  // Files already delivered stay; the worker delivers the events up to this call, the final digest, then forgets it.
  await ctx.tx.trails.save({ ...closeLoggingWindow(trail, ctx), deleted: true });
  await ctx.tx.tags.removeAll(trail.arn);
  return {};
});

export const GetTrail = operation<ct.GetTrailRequest, ct.GetTrailResponse>({
  authorize: facts.byName,
  async handle(input, ctx) {
    return { Trail: trailShape(await resolveTrail(ctx, input.Name)) };
  },
  resources: (input, output) => trailResource(input.Name, output),
});

async function describe(ctx: OperationContext, names: string[] | undefined, includeShadows: boolean): Promise<TrailRecord[]> {
  const visible = await ctx.tx.trails.visible(ctx.accountId, ctx.region);
  const inScope = (t: TrailRecord) => includeShadows || t.homeRegion === ctx.region;
  if (!names || names.length === 0) return visible.filter(inScope);
  const out: TrailRecord[] = [];
  for (const n of names) {
    // Names resolve in this region only, ARNs anywhere in the account; names that match nothing are skipped.
    const found = isArn(n) ? await resolveTrail(ctx, n).catch(() => undefined) : (checkTrailName(n), await findByName(ctx.tx, ctx.accountId, ctx.region, n));
    if (found && inScope(found) && !out.some((t) => t.id === found.id)) out.push(found);
  }
  return out;
}

export const DescribeTrails = operation<ct.DescribeTrailsRequest, ct.DescribeTrailsResponse>({
  authorize: noResourceType,
  async handle(input, ctx) {
    return { trailList: (await describe(ctx, input.trailNameList, input.includeShadowTrails ?? true)).map(trailShape) };
  },
});

export const ListTrails = operation<ct.ListTrailsRequest, ct.ListTrailsResponse>({
  authorize: noResourceType,
  async handle(_input, ctx) {
    // At most five trails per region: one page always holds them all.
    const visible = await ctx.tx.trails.visible(ctx.accountId, ctx.region);
    return { Trails: visible.map((t) => ({ TrailARN: t.arn, Name: t.name, HomeRegion: t.homeRegion })) };
  },
});
