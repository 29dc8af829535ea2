import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash, createPublicKey } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { SecretBox } from "../../src/auth/secret-box.js";
import { ensureSigningKey, KEY_ROTATION_MS, KEY_VALIDITY_MS, newSigningKey, privateKeyOf, signingKeyAt } from "../../src/delivery/signing-keys.js";
import { openSqliteStore } from "../../src/store/sqlite/open.js";
import type { SigningKeyRecord } from "../../src/store/trail-records.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cairn-keys-"));
const box = SecretBox.open(dir);
const T0 = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;

describe("digest signing keys", () => {
  test("a new key is a 2048-bit PKCS#1 RSA key whose fingerprint is the MD5 of its DER, valid 30 days", async () => {
    const key = await newSigningKey("us-east-1", T0, box);
    assert.ok(key.publicKeyDer.toString("base64").startsWith("MIIBCgKCAQEA"), "a 2048-bit PKCS#1 RSAPublicKey");
    assert.equal(createPublicKey({ key: key.publicKeyDer, format: "der", type: "pkcs1" }).asymmetricKeyDetails!.modulusLength, 2048);
    assert.equal(key.fingerprint, createHash("md5").update(key.publicKeyDer).digest("hex"));
    assert.deepEqual([key.validFrom, key.validTo], [T0, T0 + KEY_VALIDITY_MS]);
    assert.equal(privateKeyOf(key, box).asymmetricKeyType, "rsa");
  });

  test("generation runs off the event loop: the call returns at once and timers keep firing", async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const started = performance.now();
    const pending = newSigningKey("us-east-1", T0, box);
    const returnedAfter = performance.now() - started;
    await pending;
    clearInterval(timer);
    assert.ok(returnedAfter < 20, `the call blocked ${returnedAfter.toFixed(1)} ms`);
    assert.ok(ticks > 0, "timers ran while the key was generated");
  });

  test("the key that signs at a time is the newest made before it and younger than the rotation age", () => {
    const key = (validFrom: number): SigningKeyRecord => ({ region: "r", fingerprint: String(validFrom), sealedPrivateKey: "", publicKeyDer: Buffer.alloc(0), validFrom, validTo: validFrom + KEY_VALIDITY_MS });
    const keys = [key(T0), key(T0 + 25 * DAY)];
    assert.equal(signingKeyAt([], T0), undefined);
    assert.equal(signingKeyAt(keys, T0 - 1), undefined, "no key before the first");
    assert.equal(signingKeyAt(keys, T0 + DAY)!.validFrom, T0);
    assert.equal(signingKeyAt(keys, T0 + 25 * DAY)!.validFrom, T0 + 25 * DAY, "the newer key takes over");
    assert.equal(signingKeyAt(keys, T0 + 25 * DAY + KEY_ROTATION_MS), undefined, "too old: a rotation is due");
  });

  test("ensureSigningKey makes a region's first key, then reuses it until rotation is due", async () => {
    const store = await openSqliteStore(path.join(dir, "keys.db"));
    try {
      const list = (region: string) => store.transaction((tx) => tx.signingKeys.list(region));
      // A digest ends on the next whole second: the key is valid from when it was made, so it is listed at once.
      await ensureSigningKey(store, "eu-west-3", T0 + 900, box, T0);
      assert.deepEqual((await list("eu-west-3")).map((k) => k.validFrom), [T0]);
      await ensureSigningKey(store, "eu-west-3", T0 + DAY, box, T0 + DAY);
      assert.equal((await list("eu-west-3")).length, 1);
      assert.equal((await list("us-east-1")).length, 0, "one key family per region");
      await ensureSigningKey(store, "eu-west-3", T0 + KEY_ROTATION_MS, box, T0 + KEY_ROTATION_MS);
      const keys = await list("eu-west-3");
      assert.deepEqual(keys.map((k) => k.validFrom), [T0, T0 + KEY_ROTATION_MS], "rotated; the old key is kept");
    } finally {
      await store.close();
    }
  });
});
