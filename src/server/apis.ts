import type { ServerConfig } from "../config.js";
import { cloudtrailApi, type CloudTrailOptions } from "../services/cloudtrail/index.js";
import type { ApiDef } from "../services/operation.js";
import { servicediscoveryApi } from "../services/servicediscovery/index.js";

/** Every AWS API this server answers: the router's table, and what the fuzz test aims at. */
export function serverApis(config: Pick<ServerConfig, "eventRetentionDays">, trails: Pick<CloudTrailOptions, "sink" | "box">): ApiDef[] {
  return [servicediscoveryApi, cloudtrailApi({ eventRetentionDays: config.eventRetentionDays, ...trails })];
}
