import type { Store } from "../store/store.js";
import type { CredentialResolver, SigningCredential } from "./principal.js";
import type { SecretBox } from "./secret-box.js";

/**
 * How long a cached key may be used without reading it again. A key changed through another node (PostgreSQL) is
 * normally forgotten at once, through the store's change notifications; this bounds how long a change can go
 * unseen when a notification cannot carry it (notification connection down, credentials kept outside access_keys).
 */
export const CREDENTIAL_CACHE_MS = 10_000;

/**
 * Resolves access keys from the store, keeping what it found in memory: SigV4 runs on every request and
 * must not cost a query each time. Changes to keys go through `forget`, or arrive as store changes.
 */
export class StoreCredentialResolver implements CredentialResolver {
  private readonly cache = new Map<string, { credential: SigningCredential; loadedAt: number }>();
  private readonly unwatch: () => void;

  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
    private readonly maxAgeMs = CREDENTIAL_CACHE_MS,
  ) {
    this.unwatch = store.watch({
      changed: (change) => {
        if (change.kind === "accessKey") this.forget(change.id);
      },
      resync: () => this.cache.clear(),
    });
  }

  resolve(accessKeyId: string): SigningCredential | Promise<SigningCredential | undefined> {
    const cached = this.cache.get(accessKeyId);
    if (cached && Date.now() - cached.loadedAt < this.maxAgeMs) return cached.credential;
    return this.load(accessKeyId);
  }

  forget(accessKeyId: string): void {
    this.cache.delete(accessKeyId);
  }

  close(): void {
    this.unwatch();
  }

  private async load(accessKeyId: string): Promise<SigningCredential | undefined> {
    const loadedAt = Date.now();
    const key = await this.store.transaction((tx) => tx.accounts.findAccessKey(accessKeyId), { readOnly: true });
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
    this.cache.set(accessKeyId, { credential, loadedAt });
    return credential;
  }
}
