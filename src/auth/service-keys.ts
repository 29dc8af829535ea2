import type { Store } from "../store/store.js";
import { newAccessKeyId, newSecretAccessKey } from "./bootstrap.js";
import type { SecretBox } from "./secret-box.js";

/** AWS service principals look like `ecs.amazonaws.com`. */
const SERVICE_PRINCIPAL = /^[a-z0-9][a-z0-9.-]*\.amazonaws\.com$/;

export interface ServiceKey {
  accountId: string;
  service: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * Creates an access key bound to an AWS service principal: the credentials an AWS service's agent (an ECS agent,
 * say) uses to act as that service. Calls signed with it are `AWSService` callers; they may assume only roles whose
 * trust policy names the service, and are recorded as `{type: "AWSService", invokedBy}`.
 */
export async function createServiceKey(store: Store, box: SecretBox, service: string): Promise<ServiceKey> {
  if (!SERVICE_PRINCIPAL.test(service)) throw new Error(`'${service}' is not an AWS service principal such as ecs.amazonaws.com`);
  return store.transaction(async (tx) => {
    const accountId = await tx.accounts.anyAccount();
    if (!accountId) throw new Error("the store has no account yet: start `cairn serve` once first");
    const key: ServiceKey = { accountId, service, accessKeyId: newAccessKeyId("AKIA"), secretAccessKey: newSecretAccessKey() };
    await tx.accounts.createAccessKey({
      accessKeyId: key.accessKeyId,
      accountId,
      secretAccessKey: box.seal(key.secretAccessKey),
      status: "Active",
      createdAt: new Date(),
      servicePrincipal: service,
    });
    return key;
  });
}
