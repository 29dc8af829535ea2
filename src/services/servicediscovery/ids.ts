import { randomFillSync } from "node:crypto";

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

/** Random bytes drawn 4 KiB at a time, each used once: a draw per ID cost more than the rest of minting it. */
const pool = Buffer.alloc(4096);
let used = pool.length;

function randomBytes(length: number): Buffer {
  if (used + length > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  used += length;
  return pool.subarray(used - length, used);
}

function base32(length: number): string {
  const bytes = randomBytes(length);
  let out = "";
  for (let i = 0; i < length; i++) out += BASE32[bytes[i]! & 31];
  return out;
}

/** `ns-` + 16 lower-case base32 characters, as AWS mints them. */
export const newNamespaceId = (): string => `ns-${base32(16)}`;
export const newServiceId = (): string => `srv-${base32(16)}`;

/** 32 base32 characters, `-`, and the creation time in base36 milliseconds (AWS's operation ID layout). */
export function newOperationId(at: Date): string {
  return `${base32(32)}-${at.getTime().toString(36).padStart(8, "0")}`;
}

/** Route 53 hosted-zone IDs: `Z` + upper-case alphanumerics, 21 characters in all. */
export function newHostedZoneId(): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  const bytes = randomBytes(20);
  let out = "Z";
  for (let i = 0; i < 20; i++) out += alphabet[bytes[i]! % alphabet.length];
  return out;
}

/** The suffix that keeps a reused namespace name's HttpName unique. */
export const httpNameSuffix = (): string => base32(8);
