import { createHash } from "node:crypto";


function parts(ms: number) {
  const iso = new Date(ms).toISOString();
  return { y: iso.slice(0, 4), m: iso.slice(5, 7), d: iso.slice(8, 10), hh: iso.slice(11, 13), mm: iso.slice(14, 16), ss: iso.slice(17, 19) };
}

function withPrefix(prefix: string | undefined, key: string): string {
  return prefix ? `${prefix}/${key}` : key;
}

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/**
 * The 16 characters after the time in a log file name. AWS's are random; ours are derived from what the file
 * holds, so a delivery retried after a crash writes the very same key (no second copy, no gap).
 */
export function uniqueSuffix(seed: string): string {
  const digest = createHash("sha256").update(seed).digest();
  let out = "";
  for (let i = 0; i < 16; i++) out += ALPHANUMERIC[digest[i]! % ALPHANUMERIC.length];
  return out;
}

/** CloudTrail's log file key: `[prefix/]AWSLogs/{acct}/CloudTrail/{region}/{Y}/{M}/{D}/{acct}_CloudTrail_{region}_{YYYYMMDDTHHmmZ}_{unique}.json.gz`. */
export function logFileKey(p: { prefix?: string; accountId: string; region: string; deliveredAt: number; unique: string }): string {
  const t = parts(p.deliveredAt);
  const name = `${p.accountId}_CloudTrail_${p.region}_${t.y}${t.m}${t.d}T${t.hh}${t.mm}Z_${p.unique}.json.gz`;
  return withPrefix(p.prefix, `AWSLogs/${p.accountId}/CloudTrail/${p.region}/${t.y}/${t.m}/${t.d}/${name}`);
}

/** The folder a region's digests live under (what a validator lists). */
export function digestFolder(prefix: string | undefined, accountId: string, region: string): string {
  return withPrefix(prefix, `AWSLogs/${accountId}/CloudTrail-Digest/${region}`);
}

/** CloudTrail's digest file key: the date folders and the 16-character `YYYYMMDDTHHMMSSZ` are the digest's end time. */
export function digestKey(p: { prefix?: string; accountId: string; region: string; trailName: string; homeRegion: string; endTime: number }): string {
  const t = parts(p.endTime);
  const name = `${p.accountId}_CloudTrail-Digest_${p.region}_${p.trailName}_${p.homeRegion}_${t.y}${t.m}${t.d}T${t.hh}${t.mm}${t.ss}Z.json.gz`;
  return `${digestFolder(p.prefix, p.accountId, p.region)}/${t.y}/${t.m}/${t.d}/${name}`;
}
