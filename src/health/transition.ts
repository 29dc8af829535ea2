/**
 * Persists a health change decided by the prober, exactly as UpdateInstanceCustomHealthStatus persists one:
 * in a store transaction, through `setInstanceHealth`; the discovery view of every node hears it from the store's
 * change stream. It is not an API call and records no CloudTrail event.
 */
import type { HealthStatus } from "../store/records.js";
import type { Store } from "../store/store.js";
import { healthModeOf, setInstanceHealth } from "../services/servicediscovery/health.js";
import type { ProbeTarget } from "./probe.js";
import { probeTargetOf } from "./targets.js";

export interface ProbedInstance {
  accountId: string;
  region: string;
  serviceId: string;
  instanceId: string;
  /** The endpoint the checks were made against. */
  target: ProbeTarget;
}

/**
 * Sets the instance's health to `status` unless, meanwhile, it was deregistered, re-registered with another
 * endpoint, or its service stopped using a Route 53 check. Returns whether the health changed.
 */
export async function persistHealth(store: Store, probed: ProbedInstance, status: HealthStatus, now: Date): Promise<boolean> {
  return store.transaction(async (tx) => {
    const svc = await tx.services.get(probed.accountId, probed.region, probed.serviceId);
    if (!svc?.healthCheckConfig || healthModeOf(svc) !== "ROUTE53") return false;
    const instance = await tx.instances.get(probed.serviceId, probed.instanceId);
    if (!instance) return false;
    const target = probeTargetOf(svc.healthCheckConfig, instance.attributes);
    if (!target || target.address !== probed.target.address || target.port !== probed.target.port) return false;
    return setInstanceHealth(tx, instance, { status }, now);
  });
}
