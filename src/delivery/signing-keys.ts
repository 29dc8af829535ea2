import { createHash, createPrivateKey, generateKeyPair, type KeyObject } from "node:crypto";
import { promisify } from "node:util";
import type { SecretBox } from "../auth/secret-box.js";
import type { Store } from "../store/store.js";
import type { SigningKeyRecord } from "../store/trail-records.js";

const generateRsa = promisify(generateKeyPair);

const DAY_MS = 86_400_000;
/**
 * Each key is valid 30 days (the windows AWS's ListPublicKeys shows); a new one takes over after 25, so windows
 * overlap and a digest is always signed with a key valid at its end time.
 */
export const KEY_VALIDITY_MS = 30 * DAY_MS;
export const KEY_ROTATION_MS = 25 * DAY_MS;

/** As CloudTrail's ListPublicKeys: the fingerprint is the lower-case hex MD5 of the PKCS#1 DER public key. */
export function fingerprintOf(publicKeyDer: Buffer): string {
  return createHash("md5").update(publicKeyDer).digest("hex");
}

/** A fresh 2048-bit pair, generated on libuv's thread pool: the event loop keeps serving meanwhile. */
export async function newSigningKey(region: string, validFrom: number, box: SecretBox): Promise<SigningKeyRecord> {
  const { publicKey, privateKey } = await generateRsa("rsa", { modulusLength: 2048 });
  const publicKeyDer = publicKey.export({ type: "pkcs1", format: "der" });
  return {
    region,
    fingerprint: fingerprintOf(publicKeyDer),
    sealedPrivateKey: box.seal(privateKey.export({ type: "pkcs8", format: "pem" }).toString()),
    publicKeyDer,
    validFrom,
    validTo: validFrom + KEY_VALIDITY_MS,
  };
}

/** The key that signs at `at`: the newest one made at or before `at` and younger than the rotation age. */
export function signingKeyAt(keys: readonly SigningKeyRecord[], at: number): SigningKeyRecord | undefined {
  let found: SigningKeyRecord | undefined;
  for (const k of keys) if (k.validFrom <= at && at - k.validFrom < KEY_ROTATION_MS && (!found || k.validFrom > found.validFrom)) found = k;
  return found;
}

/**
 * Makes sure the region has a key to sign at `at`: the first digest of a region, and each rotation, creates one,
 * valid from `now` (or `at`, when earlier), so that ListPublicKeys lists it as soon as it signs. The pair is
 * generated outside any transaction (it takes a few hundred milliseconds) and stored only if no other signer
 * stored one meanwhile. Old keys are kept forever: validating old digests needs them.
 */
export async function ensureSigningKey(store: Store, region: string, at: number, box: SecretBox, now = Date.now()): Promise<void> {
  if (signingKeyAt(await store.transaction((tx) => tx.signingKeys.list(region)), at)) return;
  const fresh = await newSigningKey(region, Math.min(now, at), box);
  await store.transaction(async (tx) => {
    if (!signingKeyAt(await tx.signingKeys.list(region), at)) await tx.signingKeys.insert(fresh);
  });
}

export function privateKeyOf(key: SigningKeyRecord, box: SecretBox): KeyObject {
  return createPrivateKey(box.unseal(key.sealedPrivateKey));
}
