/**
 * DiscoverInstances and DiscoverInstancesRevision: the calls applications make many times a second.
 * They are answered from the in-memory DiscoveryView (no store transaction, no CloudTrail management
 * event, as AWS does not record them) and DiscoverInstances writes its body from JSON fragments encoded
 * once per instance snapshot (discovery-encoding.ts): a call costs a lookup, a filter and a copy.
 * Both answer whatever Host the request came to (SDKs prefix `data-`): routing never looks at it. Their rate
 * limits (RequestLimitExceeded) are the pipeline's, in server/throttle.ts.
 */
import type * as sd from "../../generated/servicediscovery.js";
import type { EncodedJson } from "../../protocol/encoded-json.js";
import type { NamespaceView, ServiceView } from "../../view/discovery-view.js";
import { operation, type OperationContext } from "../operation.js";
import * as facts from "./authorization.js";
import { encodeEntries, snapshotOf } from "./discovery-encoding.js";
import { healthPool, selectInstances } from "./discovery-select.js";
import { namespaceNotFound, serviceNotFound } from "./errors.js";

/** NamespaceName is the namespace's HttpName; OwnerAccount, when given, must be the caller's own account. */
function resolve(ctx: OperationContext, input: { NamespaceName: string; ServiceName: string; OwnerAccount?: string }): { namespace: NamespaceView; service: ServiceView } {
  if (input.OwnerAccount !== undefined && input.OwnerAccount !== ctx.accountId) throw namespaceNotFound(input.NamespaceName);
  const found = ctx.discovery.lookup(ctx.accountId, ctx.region, input.NamespaceName, input.ServiceName);
  if (found.found) return found;
  throw found.namespace ? serviceNotFound(input.ServiceName) : namespaceNotFound(input.NamespaceName);
}

function isEmpty(map: Record<string, string> | undefined): boolean {
  if (map === undefined) return true;
  for (const _ in map) return false;
  return true;
}

// --- Operations --------------------------------------------------------------------------------------

export const DiscoverInstances = operation<sd.DiscoverInstancesRequest, sd.DiscoverInstancesResponse | EncodedJson>({
  readOnly: true,
  recorded: false,
  authorize: facts.discoveryNames,
  usesStore: false,
  async handle(input, ctx) {
    const { namespace, service } = resolve(ctx, input);
    const snapshot = snapshotOf(namespace, service);
    if (isEmpty(input.QueryParameters) && isEmpty(input.OptionalParameters)) {
      const pool = healthPool(service.healthChecked, input.HealthStatus, () => snapshot.hasHealthy());
      return snapshot.encodePool(pool, input.MaxResults, service.revision);
    }
    const picked = selectInstances(snapshot.entries, service.healthChecked, {
      healthStatus: input.HealthStatus,
      queryParameters: input.QueryParameters,
      optionalParameters: input.OptionalParameters,
      maxResults: input.MaxResults,
    });
    return encodeEntries(picked, service.revision);
  },
});

/** The revision DiscoverInstances would return, for cheap polling by caching clients. */
export const DiscoverInstancesRevision = operation<sd.DiscoverInstancesRevisionRequest, sd.DiscoverInstancesRevisionResponse>({
  readOnly: true,
  recorded: false,
  authorize: facts.discoveryNames,
  usesStore: false,
  async handle(input, ctx) {
    return { InstancesRevision: resolve(ctx, input).service.revision };
  },
});
