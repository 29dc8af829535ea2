import type { StoreTx } from "../../store/store.js";

/**
 * Moves a service's InstancesRevision for a registration, re-registration or deregistration (never for health, as
 * the API model says): past its last value
 * and at least to the current epoch milliseconds, so a service deleted and recreated under the same name
 * never repeats a revision a client cached. Epoch milliseconds stay far below 2^53 - 1 (clients only
 * compare revisions; JavaScript SDKs cannot read larger ones exactly).
 */
export function bumpRevision(tx: StoreTx, serviceId: string, now: Date): Promise<number> {
  return tx.services.bumpRevision(serviceId, now.getTime());
}

/** A new service's revision: its creation time in epoch milliseconds. */
export const initialRevision = (now: Date): number => now.getTime();
