import { randomBytes, randomInt } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { makePrivateDir, PRIVATE_FILE_MODE } from "../private-files.js";
import type { Store } from "../store/store.js";
import type { SecretBox } from "./secret-box.js";

export interface RootCredentials {
  accountId: string;
  accessKeyId: string;
  secretAccessKey: string;
}

const KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

export function newAccountId(): string {
  // AWS account IDs never start with 0 in practice; keep them 12 digits.
  return String(randomInt(1, 10)) + Array.from({ length: 11 }, () => randomInt(0, 10)).join("");
}

export function newAccessKeyId(prefix: "AKIA" | "ASIA"): string {
  const bytes = randomBytes(16);
  let id = prefix;
  for (const b of bytes) id += KEY_ALPHABET[b & 31];
  return id;
}

export function newSecretAccessKey(): string {
  // 30 random bytes are exactly 40 base64 characters; keep AWS's [A-Za-z0-9/+] alphabet.
  return randomBytes(30).toString("base64");
}

export const ROOT_CREDENTIALS_FILE = "root-credentials.json";

/**
 * On the first start of an empty store, creates the account and its root access key: chosen through
 * the environment, or generated and written once to `<data-dir>/root-credentials.json` (0600).
 * Returns the credentials when it generated them, so the caller can print them once.
 */
export async function bootstrapAccount(
  store: Store,
  box: SecretBox,
  dataDir: string,
  chosen: Partial<RootCredentials>,
): Promise<{ accountId: string; generated?: RootCredentials }> {
  return store.transaction(async (tx) => {
    const existing = await tx.accounts.anyAccount();
    if (existing) return { accountId: existing };
    const creds: RootCredentials = {
      accountId: chosen.accountId ?? newAccountId(),
      accessKeyId: chosen.accessKeyId ?? newAccessKeyId("AKIA"),
      secretAccessKey: chosen.secretAccessKey ?? newSecretAccessKey(),
    };
    const now = new Date();
    await tx.accounts.createAccount(creds.accountId, now);
    await tx.accounts.createAccessKey({
      accessKeyId: creds.accessKeyId,
      accountId: creds.accountId,
      secretAccessKey: box.seal(creds.secretAccessKey),
      status: "Active",
      createdAt: now,
    });
    const operatorChoseAll = chosen.accessKeyId !== undefined && chosen.secretAccessKey !== undefined;
    if (operatorChoseAll) return { accountId: creds.accountId };
    makePrivateDir(dataDir);
    fs.writeFileSync(path.join(dataDir, ROOT_CREDENTIALS_FILE), JSON.stringify(creds, null, 2) + "\n", { mode: PRIVATE_FILE_MODE });
    return { accountId: creds.accountId, generated: creds };
  });
}
