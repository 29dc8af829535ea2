import type { Store } from "../store/store.js";
import type { CredentialResolver, SigningCredential } from "./principal.js";
import type { SecretBox } from "./secret-box.js";

/**
 * Resolves access keys from the store, keeping what it found in memory: SigV4 runs on every request and
 * must not cost a query each time. Changes to keys go through `forget`.
 */
export class StoreCredentialResolver implements CredentialResolver {
  private readonly cache = new Map<string, SigningCredential>();

  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
  ) {}

  resolve(accessKeyId: string): SigningCredential | Promise<SigningCredential | undefined> {
    return this.cache.get(accessKeyId) ?? this.load(accessKeyId);
  }

  forget(accessKeyId: string): void {
    this.cache.delete(accessKeyId);
  }

  private async load(accessKeyId: string): Promise<SigningCredential | undefined> {
    const key = await this.store.transaction((tx) => tx.accounts.findAccessKey(accessKeyId));
    if (!key) return undefined;
    const credential: SigningCredential = {
      accessKeyId,
      secretAccessKey: this.box.unseal(key.secretAccessKey),
      active: key.status === "Active",
      principal: {
        type: "Root",
        accountId: key.accountId,
        arn: `arn:aws:iam::${key.accountId}:root`,
        principalId: key.accountId,
        accessKeyId,
      },
    };
    this.cache.set(accessKeyId, credential);
    return credential;
  }
}
