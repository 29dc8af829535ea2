import {
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  ListTagsCommand,
  type GetEventSelectorsCommandOutput,
  type GetTrailStatusCommandOutput,
  type ReadWriteType,
  type Tag,
  type Trail,
} from "@aws-sdk/client-cloudtrail";
import type { Clients } from "./aws.js";

export interface TrailWithStatus {
  trail: Trail;
  /** GetTrailStatus, or the error it gave (e.g. denied): the list still shows the trail. */
  status: GetTrailStatusCommandOutput | { error: unknown };
}

/** The region's trails (multi-region trails of other home regions included, as AWS's console lists them). */
export async function listTrails(clients: Clients, signal: AbortSignal): Promise<TrailWithStatus[]> {
  const { trailList = [] } = await clients.cloudTrail.send(new DescribeTrailsCommand({ includeShadowTrails: true }), { abortSignal: signal });
  const trails = [...trailList].sort((a, b) => (a.Name ?? "").localeCompare(b.Name ?? ""));
  return Promise.all(
    trails.map(async (trail) => ({
      trail,
      status: await clients.cloudTrail.send(new GetTrailStatusCommand({ Name: trail.TrailARN }), { abortSignal: signal }).catch((error: unknown) => {
        if (signal.aborted) throw error;
        return { error };
      }),
    })),
  );
}

export interface TrailDetails {
  trail: Trail;
  status: GetTrailStatusCommandOutput;
  selectors: GetEventSelectorsCommandOutput;
  tags: Tag[];
}

/** Everything the trail page shows: the trail, its status, its event selectors and its tags. */
export async function loadTrail(clients: Clients, name: string, signal: AbortSignal): Promise<TrailDetails> {
  const options = { abortSignal: signal };
  const { trailList = [] } = await clients.cloudTrail.send(new DescribeTrailsCommand({ trailNameList: [name], includeShadowTrails: true }), options);
  const trail = trailList[0];
  if (!trail) {
    const error = new Error(`Trail ${name} is not found in this region.`);
    error.name = "TrailNotFoundException";
    throw error;
  }
  const [status, selectors, tags] = await Promise.all([
    clients.cloudTrail.send(new GetTrailStatusCommand({ Name: trail.TrailARN }), options),
    clients.cloudTrail.send(new GetEventSelectorsCommand({ TrailName: trail.TrailARN }), options),
    clients.cloudTrail.send(new ListTagsCommand({ ResourceIdList: [trail.TrailARN!] }), options),
  ]);
  return { trail, status, selectors, tags: tags.ResourceTagList?.[0]?.TagsList ?? [] };
}

/** How AWS's console words a basic selector's management events setting. */
export function managementEventsLabel(selectors: GetEventSelectorsCommandOutput): string {
  if (selectors.AdvancedEventSelectors?.length) return "Advanced event selectors";
  const management = (selectors.EventSelectors ?? []).filter((s) => s.IncludeManagementEvents !== false);
  if (management.length === 0) return "None";
  const types = new Set<ReadWriteType | undefined>(management.map((s) => s.ReadWriteType ?? "All"));
  if (types.has("All") || (types.has("ReadOnly") && types.has("WriteOnly"))) return "Read and write";
  return types.has("ReadOnly") ? "Read only" : "Write only";
}
