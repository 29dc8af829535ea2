import type { Limits } from "../config.js";
import { cloudtrailApi } from "../services/cloudtrail/index.js";
import { iamApi } from "../services/iam/index.js";
import type { ApiDef } from "../services/operation.js";
import { eventsApi } from "../services/events/index.js";
import { servicediscoveryApi } from "../services/servicediscovery/index.js";
import { stsApi, withMinimumDuration } from "../services/sts/index.js";

/**
 * Every AWS API this server answers: the router's table, and what the fuzz test aims at. The tables are static
 * (`defineApi`); only STS's model takes the deployment's shortest session. A new API is one more line here.
 */
export function serverApis(limits: Pick<Limits, "stsMinDurationSeconds">): ApiDef[] {
  return [servicediscoveryApi, cloudtrailApi, iamApi, withMinimumDuration(stsApi, limits.stsMinDurationSeconds), eventsApi];
}
