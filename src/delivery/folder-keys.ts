/**
 * How an S3 key becomes a path inside a folder bucket, one-to-one, so that every key (even `../x`, `/abs`,
 * `a//b`) stays inside its bucket's folder and delivery goes on. The key is split at `/`; each segment becomes
 * one folder or file name:
 * - `%` → `%25` and NUL → `%00` (so `%` marks escapes only);
 * - an empty segment → `%`; `.` → `%2E`; `..` → `%2E%2E`;
 * - a leading `.tmp-` → `%2Etmp-` and a trailing `.metadata.json` → `%2Emetadata.json` (those names are the
 *   sink's temporary files and metadata sidecars);
 * - a name longer than 200 bytes is cut into pieces of at most 200 bytes, each but the last ending in `%`.
 * Every other character is kept, so ordinary keys (all of CloudTrail's own) map to themselves.
 */

const MAX_NAME_BYTES = 200;
const TMP = ".tmp-";
const SIDECAR = ".metadata.json";

function escapeSegment(segment: string): string {
  if (segment === "") return "%";
  if (segment === ".") return "%2E";
  if (segment === "..") return "%2E%2E";
  let s = segment.replace(/%/g, "%25").replace(/\0/g, "%00");
  if (s.startsWith(TMP)) s = `%2E${s.slice(1)}`;
  if (s.endsWith(SIDECAR)) s = `${s.slice(0, -SIDECAR.length)}%2E${SIDECAR.slice(1)}`;
  return s;
}

/** Cuts a long escaped name into pieces of at most MAX_NAME_BYTES, never inside a character or an escape. */
function cut(name: string): string[] {
  if (Buffer.byteLength(name) <= MAX_NAME_BYTES) return [name];
  const pieces: string[] = [];
  let piece = "";
  let bytes = 0;
  for (const unit of name.match(/%[0-9A-F]{2}|[^]/gu)!) {
    const size = Buffer.byteLength(unit);
    if (bytes + size > MAX_NAME_BYTES - 1) {
      pieces.push(`${piece}%`);
      piece = "";
      bytes = 0;
    }
    piece += unit;
    bytes += size;
  }
  pieces.push(piece);
  return pieces;
}

/** The names, folder by folder, under which `key` is stored in its bucket's folder. */
export function keyToNames(key: string): string[] {
  return key.split("/").flatMap((segment) => cut(escapeSegment(segment)));
}

/** The key stored under these names (the inverse of keyToNames). */
export function namesToKey(names: readonly string[]): string {
  const segments: string[] = [];
  let pending = "";
  for (const name of names) {
    if (name.length > 1 && name.endsWith("%")) {
      pending += name.slice(0, -1);
      continue;
    }
    const whole = pending + name;
    pending = "";
    segments.push(whole === "%" ? "" : whole.replace(/%([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))));
  }
  return segments.join("/");
}
