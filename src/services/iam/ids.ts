import { randomInt } from "node:crypto";

const ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** IAM unique ids: `AIDA` (user), `AROA` (role), `ANPA` (managed policy), `AGPA` (group) + 17 characters of [A-Z0-9]. */
export function uniqueId(prefix: "AIDA" | "AROA" | "ANPA" | "AGPA"): string {
  let id = prefix;
  for (let i = 0; i < 17; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}

export const userArn = (accountId: string, path: string, name: string): string => `arn:aws:iam::${accountId}:user${path}${name}`;
export const groupArn = (accountId: string, path: string, name: string): string => `arn:aws:iam::${accountId}:group${path}${name}`;
export const roleArn = (accountId: string, path: string, name: string): string => `arn:aws:iam::${accountId}:role${path}${name}`;
export const policyArn = (accountId: string, path: string, name: string): string => `arn:aws:iam::${accountId}:policy${path}${name}`;
