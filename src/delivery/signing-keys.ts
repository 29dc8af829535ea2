import { createHash, createPrivateKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import type { SecretBox } from "../auth/secret-box.js";
import type { StoreTx } from "../store/store.js";
import type { SigningKeyRecord } from "../store/trail-records.js";

const DAY_MS = 86_400_000;
/** Each key is valid 30 days (as AWS's observed windows); a new one takes over after 25, so windows overlap. */
export const KEY_VALIDITY_MS = 30 * DAY_MS;
export const KEY_ROTATION_MS = 25 * DAY_MS;

/** Spec cloudtrail.md §6.6: the fingerprint is the lower-case hex MD5 of the PKCS#1 DER public key. */
export function fingerprintOf(publicKeyDer: Buffer): string {
  return createHash("md5").update(publicKeyDer).digest("hex");
}

export function newSigningKey(region: string, now: number, box: SecretBox): SigningKeyRecord {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const publicKeyDer = publicKey.export({ type: "pkcs1", format: "der" });
  return {
    region,
    fingerprint: fingerprintOf(publicKeyDer),
    sealedPrivateKey: box.seal(privateKey.export({ type: "pkcs8", format: "pem" }).toString()),
    publicKeyDer,
    validFrom: now,
    validTo: now + KEY_VALIDITY_MS,
  };
}

/**
 * The region's key to sign with at `now`: the newest one, replaced by a fresh pair once it is older than the
 * rotation age. Old keys are kept forever: validating old digests needs them.
 */
export async function currentSigningKey(tx: StoreTx, region: string, now: number, box: SecretBox): Promise<SigningKeyRecord> {
  const keys = await tx.signingKeys.list(region);
  const newest = keys[keys.length - 1];
  if (newest && now >= newest.validFrom && now - newest.validFrom < KEY_ROTATION_MS) return newest;
  const fresh = newSigningKey(region, now, box);
  await tx.signingKeys.insert(fresh);
  return fresh;
}

export function privateKeyOf(key: SigningKeyRecord, box: SecretBox): KeyObject {
  return createPrivateKey(box.unseal(key.sealedPrivateKey));
}
