import type { ServiceError } from "../../protocol/errors.js";
import type { EventResource } from "../../store/records.js";
import type { StoreTx } from "../../store/store.js";
import type { TrailRecord } from "../../store/trail-records.js";
import { operation, type Authorize, type OperationContext } from "../operation.js";
import { invalidArn, invalidHomeRegion, invalidTrailName, trailNotFound } from "./trail-errors.js";

const TRAIL_ARN = /^arn:(aws[a-z-]*):cloudtrail:([a-z0-9-]+):(\d{12}):trail\/(.+)$/;

/** CloudTrail's trail-name rules, checked in this order. */
export function checkTrailName(name: string): void {
  if (name.length < 3) throw invalidTrailName(`Trail name too short. Minimum allowed length: 3 characters. Specified name length: ${name.length} characters.`);
  if (name.length > 128) throw invalidTrailName(`Trail name too long. Maximum allowed length: 128 characters. Specified name length: ${name.length} characters.`);
  if (!/^[A-Za-z0-9]/.test(name)) throw invalidTrailName("Trail name must starts with a letter or number.");
  if (!/[A-Za-z0-9]$/.test(name)) throw invalidTrailName("Trail name must ends with a letter or number.");
  if (!/^[A-Za-z0-9._-]+$/.test(name)) {
    throw invalidTrailName("Trail name or ARN can only contain uppercase letters, lowercase letters, numbers, periods (.), hyphens (-), and underscores (_).");
  }
  if (/[._-]{2}/.test(name)) throw invalidTrailName("Trail name cannot have adjacent periods (.), hyphens (-), or underscores (_).");
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) throw invalidTrailName("Trail name cannot be formatted as an IP address.");
}

export function trailArn(homeRegion: string, accountId: string, name: string): string {
  return `arn:aws:cloudtrail:${homeRegion}:${accountId}:trail/${name}`;
}

export function isArn(nameOrArn: string): boolean {
  return nameOrArn.startsWith("arn:");
}

export interface TrailArnParts {
  region: string;
  accountId: string;
  name: string;
}

/** A trail ARN's parts; CloudTrailARNInvalidException when it is not one. */
export function parseTrailArn(arn: string): TrailArnParts {
  const m = TRAIL_ARN.exec(arn);
  if (!m) throw invalidArn(arn);
  return { region: m[2]!, accountId: m[3]!, name: m[4]! };
}

/**
 * The ARN of the trail a `Name`/`TrailName` parameter names, without a store lookup: the ARN itself, or the
 * name in the caller's region (for authorization: the resource an operation acts on).
 */
export function trailArnOfParameter(nameOrArn: string, accountId: string, region: string): string {
  return isArn(nameOrArn) ? nameOrArn : trailArn(region, accountId, nameOrArn);
}

/**
 * Resolves a name or ARN: a name among the trails visible in the caller's region (home trails and
 * shadow copies), an ARN to the account's trail in any region. TrailNotFoundException otherwise, naming the trail as
 * given, or (`notFoundAs: "arn"`, as AWS's GetTrailStatus and GetEventSelectors do) by the ARN a name would have here.
 */
export async function resolveTrail(
  ctx: Pick<OperationContext, "tx" | "accountId" | "region" | "noteResources">,
  nameOrArn: string,
  notFoundAs: "given" | "arn" = "given",
): Promise<TrailRecord> {
  let found: TrailRecord | undefined;
  if (isArn(nameOrArn)) {
    const parts = parseTrailArn(nameOrArn);
    if (parts.accountId === ctx.accountId) found = await ctx.tx.trails.byArn(ctx.accountId, nameOrArn);
  } else {
    checkTrailName(nameOrArn);
    found = await findByName(ctx.tx, ctx.accountId, ctx.region, nameOrArn);
  }
  if (!found) throw notFound(ctx, nameOrArn, notFoundAs);
  ctx.noteResources(trailResources(found.arn));
  return found;
}

export function notFound(ctx: Pick<OperationContext, "accountId" | "region">, nameOrArn: string, as: "given" | "arn"): ServiceError {
  return trailNotFound(as === "arn" ? trailArnOfParameter(nameOrArn, ctx.accountId, ctx.region) : nameOrArn, ctx.accountId);
}

export async function findByName(tx: StoreTx, accountId: string, region: string, name: string): Promise<TrailRecord | undefined> {
  return (await tx.trails.visible(accountId, region)).find((t) => t.name === name);
}

/** Changes happen only in a trail's home region. */
export function requireHomeRegion(ctx: Pick<OperationContext, "region">, trail: TrailRecord): void {
  if (ctx.region !== trail.homeRegion) throw invalidHomeRegion(trail.arn, trail.homeRegion);
}

export const TRAIL_RESOURCE_TYPE = "AWS::CloudTrail::Trail";

const trailResources = (arn: string): EventResource[] => [{ type: TRAIL_RESOURCE_TYPE, name: arn }];

/**
 * LookupEvents' Resources of a call that names a trail: its ARN (from the output, or noted by `resolveTrail` when the
 * call found the trail); a failed call names it as given.
 */
export function trailResource(nameOrArn: string | undefined, output: object | undefined): EventResource[] {
  if (output) return "TrailARN" in output && typeof output.TrailARN === "string" ? trailResources(output.TrailARN) : [];
  return nameOrArn ? [{ type: TRAIL_RESOURCE_TYPE, name: nameOrArn }] : [];
}

/**
 * A change to the trail named by `Name`: found as `resolveTrail` finds it, made only in its home region, and indexed
 * under it for LookupEvents; `handle` gets the trail.
 */
export function onHomeTrail<I extends { Name: string }, O>(authorize: Authorize<I>, handle: (input: I, ctx: OperationContext, trail: TrailRecord) => Promise<O>) {
  return operation<I, O>({
    authorize,
    async handle(input, ctx) {
      const trail = await resolveTrail(ctx, input.Name);
      requireHomeRegion(ctx, trail);
      return handle(input, ctx, trail);
    },
    resources: (input, output) => trailResource(input.Name, output as object | undefined),
  });
}
