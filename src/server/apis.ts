import type { ServerConfig } from "../config.js";
import { cloudtrailApi, type CloudTrailOptions } from "../services/cloudtrail/index.js";
import type { IamDeps } from "../services/iam/deps.js";
import { iamApi } from "../services/iam/index.js";
import type { ApiDef } from "../services/operation.js";
import { servicediscoveryApi } from "../services/servicediscovery/index.js";
import { stsApi } from "../services/sts/index.js";

/** What the API tables need from the server they run in. */
export type ApiDeps = Pick<CloudTrailOptions, "sink"> & IamDeps;

/** Every AWS API this server answers: the router's table, and what the fuzz test aims at. */
export function serverApis(config: Pick<ServerConfig, "eventRetentionDays" | "limits">, deps: ApiDeps): ApiDef[] {
  return [
    servicediscoveryApi,
    cloudtrailApi({ eventRetentionDays: config.eventRetentionDays, sink: deps.sink }),
    iamApi(deps),
    stsApi({ box: deps.box, minDurationSeconds: config.limits.stsMinDurationSeconds }),
  ];
}
