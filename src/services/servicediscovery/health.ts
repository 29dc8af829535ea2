/**
 * Instance health, in one place: the API's handlers and the health prober (src/health/) change it here.
 *
 * - No health configuration: status UNKNOWN; discovery ignores its HealthStatus filter.
 * - HealthCheckConfig (Route 53 checks): instances start HEALTHY; the prober flips them after
 *   FailureThreshold consecutive disagreeing checks.
 * - HealthCheckCustomConfig: the initial status is AWS_INIT_HEALTH_STATUS (default HEALTHY);
 *   UpdateInstanceCustomHealthStatus applies at once (AWS acts on it after about 30 seconds).
 *
 * Every effective change reaches the discovery view through the store's change stream. It leaves the service's InstancesRevision alone:
 * the API model says health status updates don't update it (only registrations and deregistrations do).
 */
import type { HealthStatus, InstanceRecord, ServiceRecord } from "../../store/records.js";
import type { StoreTx } from "../../store/store.js";
import { INIT_HEALTH_STATUS } from "./instance-rules.js";

export type HealthMode = "NONE" | "ROUTE53" | "CUSTOM";

export interface InstanceHealth {
  status: HealthStatus;
  /** For custom health: the status the instance's checker last asked for. */
  customStatus?: "HEALTHY" | "UNHEALTHY";
}

export function healthModeOf(service: Pick<ServiceRecord, "healthCheckConfig" | "healthCheckCustomConfig">): HealthMode {
  if (service.healthCheckCustomConfig) return "CUSTOM";
  if (service.healthCheckConfig) return "ROUTE53";
  return "NONE";
}

/** The health of an instance when it is registered (or re-registered) with a service in this mode. */
export function initialHealth(mode: HealthMode, attributes: Readonly<Record<string, string>>): InstanceHealth {
  switch (mode) {
    case "NONE":
      return { status: "UNKNOWN" };
    case "ROUTE53":
      return { status: "HEALTHY" };
    case "CUSTOM": {
      const init = attributes[INIT_HEALTH_STATUS] === "UNHEALTHY" ? "UNHEALTHY" : "HEALTHY";
      return { status: init, customStatus: init };
    }
  }
}

/** Records a new health for one instance. Returns false when nothing changed. */
export async function setInstanceHealth(
  tx: StoreTx,
  instance: InstanceRecord,
  next: InstanceHealth,
  now: Date,
): Promise<boolean> {
  if (next.status === instance.healthStatus && next.customStatus === instance.customHealthStatus) return false;
  await tx.instances.setHealth(instance.serviceId, instance.id, next, now);
  return true;
}
