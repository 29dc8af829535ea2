import type { HealthStatus } from "../store/records.js";
import type { CheckType } from "./probe.js";

/**
 * What the health prober reports, for metrics (check results and transitions). Calls must be cheap and
 * must not throw.
 */
export interface HealthObserver {
  checked(result: { serviceId: string; instanceId: string; type: CheckType; healthy: boolean }): void;
  transitioned(change: { serviceId: string; instanceId: string; from: HealthStatus; to: HealthStatus }): void;
}
