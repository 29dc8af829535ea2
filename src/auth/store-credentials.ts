import type { Store, StoreTx } from "../store/store.js";
import { policyOwnerOf, type CredentialResolver, type Principal, type SigningCredential } from "./principal.js";
import type { SecretBox } from "./secret-box.js";

/**
 * How long a cached key may be used without reading it again. A changed key, user or role is normally forgotten at
 * once, through the store's change stream (another node's change too, on PostgreSQL); this bounds how long a change
 * can go unseen when a notification cannot carry it (the notification connection down).
 */
export const CREDENTIAL_CACHE_MS = 5_000;

/**
 * Resolves access keys from the store: the root key, IAM users' keys, keys bound to an AWS service principal,
 * and STS temporary credentials. SigV4 runs on every request and must not cost a query each time, so what it
 * found is kept in memory, and forgotten when the store's change stream names the key or the user or role it
 * belongs to (a rename changes the principal; a deletion ends its keys and sessions).
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
        if (change.kind === "accessKey") this.cache.delete(change.id);
        else if (change.kind === "principal") this.forgetOwner(change.id);
      },
      resync: () => this.cache.clear(),
    });
  }

  resolve(accessKeyId: string): SigningCredential | Promise<SigningCredential | undefined> {
    const cached = this.cache.get(accessKeyId);
    if (cached && Date.now() - cached.loadedAt < this.maxAgeMs) return cached.credential;
    return this.load(accessKeyId);
  }

  /** Drops every cached credential owned by a user or role (by unique id) that changed or is gone. */
  private forgetOwner(uniqueId: string): void {
    for (const [accessKeyId, { credential }] of this.cache) {
      if (policyOwnerOf(credential.principal)?.id === uniqueId) this.cache.delete(accessKeyId);
    }
  }

  close(): void {
    this.unwatch();
  }

  private async load(accessKeyId: string): Promise<SigningCredential | undefined> {
    const loadedAt = Date.now();
    const credential = await this.store.transaction(
      (tx) => (accessKeyId.startsWith("ASIA") ? this.session(tx, accessKeyId) : this.longTerm(tx, accessKeyId)),
      { readOnly: true },
    );
    if (credential) this.cache.set(accessKeyId, { credential, loadedAt });
    else this.cache.delete(accessKeyId);
    return credential;
  }

  private async longTerm(tx: StoreTx, accessKeyId: string): Promise<SigningCredential | undefined> {
    const key = await tx.accounts.findAccessKey(accessKeyId);
    if (!key) return undefined;
    let principal: Principal;
    if (key.userName !== undefined) {
      const user = await tx.iam.getUser(key.accountId, key.userName);
      if (!user) return undefined;
      principal = { type: "IAMUser", accountId: key.accountId, arn: user.arn, principalId: user.userId, accessKeyId, userName: user.userName };
    } else if (key.servicePrincipal !== undefined) {
      principal = { type: "AWSService", accountId: key.accountId, arn: key.servicePrincipal, principalId: key.servicePrincipal, accessKeyId, service: key.servicePrincipal };
    } else {
      principal = { type: "Root", accountId: key.accountId, arn: `arn:aws:iam::${key.accountId}:root`, principalId: key.accountId, accessKeyId };
    }
    return { accessKeyId, secretAccessKey: this.box.unseal(key.secretAccessKey), active: key.status === "Active", principal };
  }

  private async session(tx: StoreTx, accessKeyId: string): Promise<SigningCredential | undefined> {
    const session = await tx.iam.findSession(accessKeyId);
    if (!session) return undefined;
    const principal = JSON.parse(session.principal) as Principal;
    // A session outlives nothing: once the user or role it was issued to is deleted, it is not recognised.
    const owner = policyOwnerOf(principal);
    if (owner && !(owner.kind === "user" ? await tx.iam.getUserById(principal.accountId, owner.id) : await tx.iam.getRoleById(principal.accountId, owner.id))) {
      return undefined;
    }
    return {
      accessKeyId,
      secretAccessKey: this.box.unseal(session.secretAccessKey),
      sessionToken: this.box.unseal(session.sessionToken),
      expiration: session.expiration,
      active: true,
      principal: { ...principal, accessKeyId },
    };
  }
}
