import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import type { LogEvent } from "../store/trail-records.js";
import { isoSeconds } from "../protocol/timestamps.js";
import { logFileKey, uniqueSuffix } from "./keys.js";

/** AWS caps a log file at 50 MB compressed; capping the uncompressed JSON at that keeps every file under it. */
export const MAX_LOG_FILE_BYTES = 50 * 1024 * 1024;

export interface LogFile {
  key: string;
  /** gzip of `json`. */
  body: Buffer;
  /** Lower-case hex SHA-256 of the uncompressed JSON (what a digest lists). */
  hashValue: string;
  oldestEventTime: string;
  newestEventTime: string;
  events: number;
  uncompressedBytes: number;
}

export interface LogFileBatch {
  prefix?: string;
  accountId: string;
  region: string;
  /** Delivery time: the key's date folders and minute. */
  deliveredAt: number;
  /** What makes the names of this batch unique and repeatable (the trail and the delivery's last seq). */
  seed: string;
}

/**
 * One region's events of one delivery as `{"Records":[…]}` gzip files, each record the
 * stored CloudTrail record verbatim, split so that no file's JSON exceeds `maxBytes`.
 */
export function buildLogFiles(batch: LogFileBatch, events: LogEvent[], maxBytes = MAX_LOG_FILE_BYTES): LogFile[] {
  const groups: LogEvent[][] = [];
  let current: LogEvent[] = [];
  let size = 0;
  const frame = '{"Records":[]}'.length;
  for (const e of events) {
    const bytes = Buffer.byteLength(e.record) + 1;
    if (current.length > 0 && frame + size + bytes > maxBytes) {
      groups.push(current);
      current = [];
      size = 0;
    }
    current.push(e);
    size += bytes;
  }
  if (current.length > 0) groups.push(current);

  return groups.map((group, part) => {
    const json = Buffer.from(`{"Records":[${group.map((e) => e.record).join(",")}]}`, "utf8");
    const times = group.map((e) => e.eventTime.getTime());
    return {
      key: logFileKey({ ...batch, unique: uniqueSuffix(`${batch.seed}/${batch.region}/${part}`) }),
      body: gzipSync(json),
      hashValue: createHash("sha256").update(json).digest("hex"),
      oldestEventTime: isoSeconds(Math.min(...times)),
      newestEventTime: isoSeconds(Math.max(...times)),
      events: group.length,
      uncompressedBytes: json.length,
    };
  });
}
