/**
 * Server-side AWS Signature Version 4 verification.
 *
 * Protocol-agnostic: failures throw an AuthFailure of a kind (protocol/auth-failures.ts), which the protocol layer
 * renders as the awsJson or awsQuery error.
 *
 * Checks run in AWS's order: missing → incomplete/malformed → key known and active → session token →
 * temporary credential expiry → scope (and `host` signed) → clock skew / presigned expiry → signature.
 *
 * Hot path: derived signing keys are cached per (key id + secret, date, region, service); canonical encoders return
 * their input untouched when it is already canonical; no regular expressions run per character.
 * Secrets never appear in messages, and nothing here logs.
 */
import * as crypto from "node:crypto";
import { createHash, createHmac, createSecretKey, timingSafeEqual, type KeyObject } from "node:crypto";
import { AUTH_MESSAGES, authFailure } from "../protocol/auth-failures.js";
import { BoundedMap } from "../bounded-map.js";
import { KnownAuthorizations } from "./known-authorizations.js";
import type { CredentialResolver, SigningCredential } from "./principal.js";

// ---------------------------------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------------------------------

export interface SignedRequest {
  method: string;
  /** Raw path as received, without the query string. */
  path: string;
  /** Raw query string without '?', '' if none. */
  query: string;
  /** Node's IncomingMessage.headers (lower-case names). */
  headers: Record<string, string | string[] | undefined>;
  /**
   * Node's IncomingMessage.rawHeaders. Optional; when given, a signed header that node joined with ", " (repeated
   * header) is rebuilt from the individual values in order and joined with "," as SigV4 does.
   */
  rawHeaders?: readonly string[];
  body: Buffer;
}

export interface VerifyOptions {
  now: Date;
  /** Allowed |now − X-Amz-Date| in minutes; 15 when omitted. */
  maxSkewMinutes?: number;
  /** Signing name(s) this endpoint accepts in the credential scope, e.g. "servicediscovery". */
  expectedService: string | readonly string[];
  /** The regions served: a scope naming any other is refused. */
  regions: ReadonlySet<string>;
}

export interface Verified {
  credential: SigningCredential;
  accessKeyId: string;
  /** Region from the credential scope. */
  region: string;
  /** Service from the credential scope. */
  service: string;
  /** X-Amz-Date (or Date) of the request. */
  signedAt: Date;
  /** True for the query-string (presigned URL) form. */
  presigned: boolean;
}

/**
 * Verifies the SigV4 signature of a request (header or presigned-query form) and returns the signing credential.
 * Throws an AuthFailure on any failure.
 */
export async function verifySigV4(req: SignedRequest, resolver: CredentialResolver, opts: VerifyOptions): Promise<Verified> {
  const nowMs = opts.now.getTime();
  const parsed = parseAuth(req);

  // 3. Key known and active; session token bound to it.
  const pending = resolver.resolve(parsed.accessKeyId);
  const credential = isPromiseLike(pending) ? await pending : pending;
  if (credential === undefined || !credential.active) throw authFailure("unrecognized", AUTH_MESSAGES.invalidToken);
  if (credential.sessionToken) {
    if (parsed.sessionToken === undefined || !constantTimeEqualStrings(parsed.sessionToken, credential.sessionToken)) {
      throw authFailure("unrecognized", AUTH_MESSAGES.invalidToken);
    }
  } else if (parsed.sessionToken) {
    // A token sent with a long-term key is refused, as AWS does.
    throw authFailure("unrecognized", AUTH_MESSAGES.invalidToken);
  }

  // 4. Temporary credentials past their expiration.
  if (credential.expiration !== undefined && credential.expiration.getTime() <= nowMs) {
    throw authFailure("expiredToken", AUTH_MESSAGES.expiredToken);
  }

  // 5. Scope, and `host` among the signed headers.
  const signedNames = parsed.signedHeaders.split(";");
  if (!includesHost(signedNames)) {
    throw authFailure("signature", "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  checkScope(parsed, opts);

  // 6. Clock skew, then presigned expiry.
  const skewMin = opts.maxSkewMinutes ?? 15;
  const skewMs = skewMin * 60_000;
  if (nowMs - parsed.signedAtMs > skewMs) {
    throw authFailure(
      "expiredSignature",
      `Signature expired: ${parsed.amzDate} is now earlier than ${formatAmzDate(nowMs - skewMs)} (${formatAmzDate(nowMs)} - ${skewMin} min.)`,
    );
  }
  if (parsed.signedAtMs - nowMs > skewMs) {
    throw authFailure(
      "expiredSignature",
      `Signature not yet current: ${parsed.amzDate} is still later than ${formatAmzDate(nowMs + skewMs)} (${formatAmzDate(nowMs)} + ${skewMin} min.)`,
    );
  }
  if (parsed.expires >= 0 && nowMs > parsed.signedAtMs + parsed.expires * 1000) {
    throw authFailure(
      "expiredSignature",
      `Signature expired: ${parsed.amzDate} is now earlier than ${formatAmzDate(nowMs - parsed.expires * 1000)} (${formatAmzDate(nowMs)} - ${parsed.expires} sec.)`,
    );
  }

  // 7. Recompute and compare.
  // JSON and query APIs sign their body: the hash is always the body's own, whatever x-amz-content-sha256 claims
  // (UNSIGNED-PAYLOAD is S3's alone), so a signed request's body cannot be swapped.
  const payloadHash = hashBody(req.body);

  const canonicalRequest =
    req.method +
    "\n" +
    canonicalUri(req.path) +
    "\n" +
    canonicalQuery(parsed.pairs, parsed.presigned) +
    "\n" +
    canonicalHeaders(signedNames, req) +
    "\n" +
    parsed.signedHeaders +
    "\n" +
    payloadHash;
  const scope = parsed.scopeDate + "/" + parsed.region + "/" + parsed.service + "/" + parsed.terminator;
  const stringToSign =
    "AWS4-HMAC-SHA256\n" + parsed.amzDate + "\n" + scope + "\n" + sha256Hex(canonicalRequest);
  const key = signingKey(parsed.accessKeyId, credential.secretAccessKey, parsed.scopeDate, parsed.region, parsed.service);
  const expected = createHmac("sha256", key).update(stringToSign, "utf8").digest("hex");
  if (!constantTimeEqualHex(expected, parsed.signature)) {
    throw authFailure("signature", AUTH_MESSAGES.signatureMismatch);
  }
  parsed.remember?.();

  return {
    credential,
    accessKeyId: parsed.accessKeyId,
    region: parsed.region,
    service: parsed.service,
    signedAt: parsed.signedAt,
    presigned: parsed.presigned,
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// Parsing (steps 1 and 2)
// ---------------------------------------------------------------------------------------------------------------------

const ALGORITHM = "AWS4-HMAC-SHA256";

interface QueryPair {
  /** Raw (as received) name and value. */
  name: string;
  value: string;
}

interface ParsedAuth {
  presigned: boolean;
  accessKeyId: string;
  scopeDate: string;
  region: string;
  service: string;
  terminator: string;
  signedHeaders: string;
  signature: string;
  /** YYYYMMDDTHHMMSSZ as used in the string to sign. */
  amzDate: string;
  signedAt: Date;
  signedAtMs: number;
  sessionToken: string | undefined;
  /** X-Amz-Expires in seconds; -1 when absent (header form). */
  expires: number;
  pairs: QueryPair[];
  /** Keeps what this header's parse found, to be called once the request verified (known-authorizations.ts). */
  remember?: () => void;
}

function parseAuth(req: SignedRequest): ParsedAuth {
  const authorization = firstHeader(req.headers.authorization);
  const pairs = splitQuery(req.query);
  const hasAlgorithmParam = findParam(pairs, "X-Amz-Algorithm") !== undefined;

  // 1. Missing.
  if (authorization === undefined) {
    if (!hasAlgorithmParam) throw authFailure("missing", AUTH_MESSAGES.missing);
    return parseQueryAuth(pairs);
  }
  if (hasAlgorithmParam) {
    throw authFailure("signature", "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.");
  }
  return parseHeaderAuth(authorization, req.headers, pairs);
}

/** What an Authorization header says besides its signature, once parsed and checked (known-authorizations.ts). */
interface HeaderParts {
  signedHeaders: string;
  scope: ScopeParts;
}

const knownHeaders = new KnownAuthorizations<HeaderParts>();

function parseHeaderAuth(authorization: string, headers: SignedRequest["headers"], pairs: QueryPair[]): ParsedAuth {
  const xAmzDate = firstHeader(headers["x-amz-date"]);
  const httpDate = xAmzDate === undefined ? firstHeader(headers.date) : undefined;
  const known = knownHeaders.lookup(authorization);
  let parts: HeaderParts;
  let signature: string;
  let date: ParsedDate | undefined;
  let remember: string | undefined;
  if (known !== undefined) {
    // Parsed and checked before: only the date header's presence is left to see, as the full parse would.
    if (xAmzDate === undefined && httpDate === undefined) throw authFailure("incomplete", MISSING_DATE + "Authorization=" + authorization);
    parts = known.parts;
    signature = known.signature;
  } else {
    const split = splitAuthorization(authorization);
    let missing = "";
    if (!split.credential) missing += "Authorization header requires 'Credential' parameter. ";
    if (!split.signature) missing += "Authorization header requires 'Signature' parameter. ";
    if (!split.signedHeaders) missing += "Authorization header requires 'SignedHeaders' parameter. ";
    if (xAmzDate === undefined && httpDate === undefined) missing += MISSING_DATE;
    if (missing !== "") throw authFailure("incomplete", missing + "Authorization=" + authorization);
    checkAlgorithm(split.algorithm);
    // The date's format is checked before the credential's.
    date = parseDateHeader(xAmzDate, httpDate);
    signature = split.signature as string;
    parts = { signedHeaders: split.signedHeaders as string, scope: parseCredential(split.credential as string) };
    remember = knownHeaders.prefixOf(authorization, signature);
  }
  date ??= parseDateHeader(xAmzDate, httpDate);
  const token = firstHeader(headers["x-amz-security-token"]);

  return {
    presigned: false,
    ...parts.scope,
    signedHeaders: parts.signedHeaders,
    signature,
    amzDate: date.amzDate,
    signedAt: date.at,
    signedAtMs: date.ms,
    sessionToken: token,
    expires: -1,
    pairs,
    remember: remember === undefined ? undefined : () => knownHeaders.remember(remember, parts),
  };
}

const MISSING_DATE = "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";

function parseDateHeader(xAmzDate: string | undefined, httpDate: string | undefined): ParsedDate {
  return xAmzDate !== undefined ? parseAmzDateOrThrow(xAmzDate) : parseHttpDateOrThrow(httpDate as string);
}

/** The algorithm and the first Credential, SignedHeaders and Signature of an Authorization header. */
function splitAuthorization(authorization: string): { algorithm: string; credential?: string; signedHeaders?: string; signature?: string } {
  const n = authorization.length;
  let i = 0;
  while (i < n && isSpace(authorization.charCodeAt(i))) i++;
  // Anything that is not an AWS4 scheme (SigV2, Bearer, …) counts as no AWS credentials at all, as AWS answers.
  if (!authorization.startsWith("AWS4-", i)) throw authFailure("missing", AUTH_MESSAGES.missing);
  let j = i;
  while (j < n && !isSpace(authorization.charCodeAt(j)) && authorization.charCodeAt(j) !== 44) j++;
  const algorithm = authorization.slice(i, j);

  let credential: string | undefined;
  let signedHeaders: string | undefined;
  let signature: string | undefined;
  i = j;
  while (i < n) {
    const c = authorization.charCodeAt(i);
    if (c === 44 /* , */ || isSpace(c)) {
      i++;
      continue;
    }
    j = i;
    while (j < n) {
      const d = authorization.charCodeAt(j);
      if (d === 44 || isSpace(d)) break;
      j++;
    }
    const part = authorization.slice(i, j);
    i = j;
    const eq = part.indexOf("=");
    if (eq === -1) {
      throw authFailure(
        "incomplete",
        `'${part}' not a valid key=value pair (missing equal-sign) in Authorization header: '${authorization}'.`,
      );
    }
    const name = part.slice(0, eq);
    if (name === "Credential") credential ??= part.slice(eq + 1);
    else if (name === "SignedHeaders") signedHeaders ??= part.slice(eq + 1);
    else if (name === "Signature") signature ??= part.slice(eq + 1);
  }
  return { algorithm, credential, signedHeaders, signature };
}

const QUERY_AUTH_PARAMS = ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-SignedHeaders", "X-Amz-Date"] as const;

function parseQueryAuth(pairs: QueryPair[]): ParsedAuth {
  const values: string[] = [];
  let missing = "";
  for (const name of QUERY_AUTH_PARAMS) {
    const raw = findParam(pairs, name);
    const value = raw === undefined ? "" : decodeQueryComponent(raw);
    if (value === "") missing += `AWS query-string parameters must include '${name}'. `;
    values.push(value);
  }
  if (missing !== "") throw authFailure("incomplete", missing + "Re-examine the query-string parameters.");
  const [algorithm, credential, signature, signedHeaders, amzDate] = values as [string, string, string, string, string];

  checkAlgorithm(algorithm);
  const date = parseAmzDateOrThrow(amzDate);
  const scope = parseCredential(credential);

  let expires = -1;
  const rawExpires = findParam(pairs, "X-Amz-Expires");
  if (rawExpires !== undefined) {
    const text = decodeQueryComponent(rawExpires);
    if (!isDigits(text)) throw authFailure("incomplete", "X-Amz-Expires should be a number");
    expires = Number(text);
    if (expires > 604800) throw authFailure("incomplete", "X-Amz-Expires must be less than a week (in seconds) that is; 604800");
    if (expires < 1) throw authFailure("incomplete", "X-Amz-Expires must be a positive number of seconds");
  }
  const rawToken = findParam(pairs, "X-Amz-Security-Token");

  return {
    presigned: true,
    ...scope,
    signedHeaders,
    signature,
    amzDate: date.amzDate,
    signedAt: date.at,
    signedAtMs: date.ms,
    sessionToken: rawToken === undefined ? undefined : decodeQueryComponent(rawToken),
    expires,
    pairs,
  };
}

function checkAlgorithm(algorithm: string): void {
  // Also rejects SigV4a (AWS4-ECDSA-P256-SHA256): regional endpoints only take AWS4-HMAC-SHA256.
  if (algorithm !== ALGORITHM) {
    throw authFailure("incomplete", `Unsupported AWS 'algorithm': '${algorithm}' (only AWS4-HMAC-SHA256 for now).`);
  }
}

interface ScopeParts {
  accessKeyId: string;
  scopeDate: string;
  region: string;
  service: string;
  terminator: string;
}

function parseCredential(credential: string): ScopeParts {
  let end = credential.length;
  while (end > 0 && credential.charCodeAt(end - 1) === 47 /* / */) end--; // trailing slashes are ignored
  const parts = credential.slice(0, end).split("/");
  if (parts.length !== 5) {
    throw authFailure(
      "incomplete",
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
    );
  }
  const [accessKeyId, scopeDate, region, service, terminator] = parts as [string, string, string, string, string];
  return { accessKeyId, scopeDate, region, service, terminator };
}

function checkScope(p: ParsedAuth, opts: VerifyOptions): void {
  let msg = "";
  if (!opts.regions.has(p.region)) msg += `Credential should be scoped to a valid region, not '${p.region}'. `;
  const expected = opts.expectedService;
  if (typeof expected === "string" ? p.service !== expected : !expected.includes(p.service)) {
    msg += `Credential should be scoped to correct service: '${typeof expected === "string" ? expected : (expected[0] ?? "")}'. `;
  }
  if (p.terminator !== "aws4_request") {
    msg += `Credential should be scoped with a valid terminator: 'aws4_request', not '${p.terminator}'. `;
  }
  if (!p.amzDate.startsWith(p.scopeDate) || p.scopeDate.length !== 8) {
    msg += `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${p.scopeDate}' != '${p.amzDate.slice(0, 8)}', from '${p.amzDate}'.`;
  }
  // AWS's texts end in ". " (the space included).
  if (msg !== "") throw authFailure("signature", msg);
}

function includesHost(names: readonly string[]): boolean {
  for (const name of names) {
    if (name === "host" || (name.length === 4 && name.toLowerCase() === "host")) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------------------------------

interface ParsedDate {
  amzDate: string;
  ms: number;
  at: Date;
}

function digitsAt(s: string, start: number, count: number): number {
  let v = 0;
  for (let k = start; k < start + count; k++) {
    const d = s.charCodeAt(k) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** Parses `YYYYMMDDTHHMMSSZ` (ISO 8601 basic format). */
function parseAmzDateOrThrow(text: string): ParsedDate {
  if (text.length === 16 && text.charCodeAt(8) === 84 /* T */ && text.charCodeAt(15) === 90 /* Z */) {
    const y = digitsAt(text, 0, 4);
    const mo = digitsAt(text, 4, 2);
    const d = digitsAt(text, 6, 2);
    const h = digitsAt(text, 9, 2);
    const mi = digitsAt(text, 11, 2);
    const se = digitsAt(text, 13, 2);
    if (y >= 0 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && se >= 0 && se <= 59) {
      const ms = Date.UTC(y, mo - 1, d, h, mi, se);
      const at = new Date(ms);
      if (at.getUTCDate() === d) return { amzDate: text, ms, at };
    }
  }
  throw authFailure("incomplete", `Date must be in ISO-8601 'basic format'. Got '${text}'. See http://en.wikipedia.org/wiki/ISO_8601`);
}

/** A `Date` header (RFC 1123) standing in for X-Amz-Date; the string to sign uses its ISO 8601 basic form. */
function parseHttpDateOrThrow(text: string): ParsedDate {
  const parsed = Date.parse(text);
  if (Number.isNaN(parsed)) {
    throw authFailure("incomplete", `Date must be in ISO-8601 'basic format'. Got '${text}'. See http://en.wikipedia.org/wiki/ISO_8601`);
  }
  const ms = parsed - (((parsed % 1000) + 1000) % 1000);
  return { amzDate: formatAmzDate(ms), ms, at: new Date(ms) };
}

/** `YYYYMMDDTHHMMSSZ`. */
export function formatAmzDate(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2025-03-04T05:06:07.000Z
  return iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10) + "T" + iso.slice(11, 13) + iso.slice(14, 16) + iso.slice(17, 19) + "Z";
}

// ---------------------------------------------------------------------------------------------------------------------
// Canonical request pieces
// ---------------------------------------------------------------------------------------------------------------------

/** 1 for RFC 3986 unreserved ASCII: A-Z a-z 0-9 - . _ ~ */
const UNRESERVED = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  UNRESERVED[c] =
    (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 46 || c === 95 || c === 126 ? 1 : 0;
}
const PCT: string[] = [];
for (let b = 0; b < 256; b++) PCT.push("%" + (b < 16 ? "0" : "") + b.toString(16).toUpperCase());

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** Index just past a run of non-ASCII code units starting at i. */
function nonAsciiRunEnd(s: string, i: number): number {
  let j = i;
  while (j < s.length && s.charCodeAt(j) >= 128) j++;
  return j;
}

function pctUtf8(text: string): string {
  const bytes = Buffer.from(text, "utf8");
  let out = "";
  for (let k = 0; k < bytes.length; k++) out += PCT[bytes[k] as number];
  return out;
}

/** RFC 3986 encoding of every byte except unreserved ones (a raw '%' becomes %25). */
function uriEncode(s: string): string {
  const n = s.length;
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c >= 128 || UNRESERVED[c] === 0) break;
    i++;
  }
  if (i === n) return s;
  let out = s.slice(0, i);
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c < 128) {
      out += UNRESERVED[c] === 1 ? s[i] : PCT[c];
      i++;
    } else {
      const j = nonAsciiRunEnd(s, i);
      out += pctUtf8(s.slice(i, j));
      i = j;
    }
  }
  return out;
}

/**
 * Canonical URI for every service but S3: the raw (once-encoded) path, dot segments and empty segments removed,
 * each segment URI-encoded again.
 */
function canonicalUri(path: string): string {
  if (path === "/" || path === "") return "/";
  const segments = path.split("/");
  const kept: string[] = [];
  for (const segment of segments) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      kept.pop();
      continue;
    }
    kept.push(uriEncode(segment));
  }
  if (kept.length === 0) return "/";
  let out = (path.charCodeAt(0) === 47 ? "/" : "") + kept.join("/");
  if (path.charCodeAt(path.length - 1) === 47) out += "/";
  return out;
}

/**
 * Re-encodes a raw query component in SigV4's canonical form without a full decode: percent escapes are kept (hex
 * upper-cased) or unescaped when they denote an unreserved character, '+' is a space (%20), anything else that is
 * not unreserved is percent-encoded as UTF-8. Already-canonical input is returned as is.
 */
function canonicalQueryComponent(s: string): string {
  const n = s.length;
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c < 128 && UNRESERVED[c] === 1) {
      i++;
      continue;
    }
    if (c === 37 /* % */ && i + 2 < n && isCanonicalEscape(s.charCodeAt(i + 1), s.charCodeAt(i + 2))) {
      i += 3;
      continue;
    }
    break;
  }
  if (i === n) return s;
  let out = s.slice(0, i);
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c < 128) {
      if (UNRESERVED[c] === 1) {
        out += s[i];
      } else if (c === 37) {
        const hi = i + 2 < n ? hexValue(s.charCodeAt(i + 1)) : -1;
        const lo = hi >= 0 ? hexValue(s.charCodeAt(i + 2)) : -1;
        if (lo >= 0) {
          const b = (hi << 4) | lo;
          out += b < 128 && UNRESERVED[b] === 1 ? String.fromCharCode(b) : PCT[b];
          i += 3;
          continue;
        }
        out += "%25";
      } else if (c === 43 /* + */) {
        out += "%20";
      } else {
        out += PCT[c];
      }
      i++;
    } else {
      const j = nonAsciiRunEnd(s, i);
      out += pctUtf8(s.slice(i, j));
      i = j;
    }
  }
  return out;
}

function isUpperHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70);
}

/** %XX with upper-case hex that does not denote an unreserved character. */
function isCanonicalEscape(h: number, l: number): boolean {
  if (!isUpperHex(h) || !isUpperHex(l)) return false;
  const b = (hexValue(h) << 4) | hexValue(l);
  return b >= 128 || UNRESERVED[b] === 0;
}

function splitQuery(query: string): QueryPair[] {
  const pairs: QueryPair[] = [];
  const n = query.length;
  let start = 0;
  while (start < n) {
    let amp = query.indexOf("&", start);
    if (amp === -1) amp = n;
    if (amp > start) {
      const eq = query.indexOf("=", start);
      if (eq !== -1 && eq < amp) pairs.push({ name: query.slice(start, eq), value: query.slice(eq + 1, amp) });
      else pairs.push({ name: query.slice(start, amp), value: "" });
    }
    start = amp + 1;
  }
  return pairs;
}

function findParam(pairs: readonly QueryPair[], name: string): string | undefined {
  for (const p of pairs) if (p.name === name) return p.value;
  return undefined;
}

function decodeQueryComponent(raw: string): string {
  if (raw.indexOf("%") === -1 && raw.indexOf("+") === -1) return raw;
  try {
    return decodeURIComponent(raw.replaceAll("+", " "));
  } catch {
    throw authFailure("incomplete", "Illegal hex character in escape % pattern in query-string parameters.");
  }
}

function compareEncodedPairs(a: [string, string], b: [string, string]): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  return 0;
}

/** Sorted by encoded name then value; `X-Amz-Signature` left out for presigned requests. */
function canonicalQuery(pairs: readonly QueryPair[], presigned: boolean): string {
  if (pairs.length === 0) return "";
  const encoded: [string, string][] = [];
  for (const p of pairs) {
    if (presigned && p.name === "X-Amz-Signature") continue;
    encoded.push([canonicalQueryComponent(p.name), canonicalQueryComponent(p.value)]);
  }
  if (encoded.length > 1) encoded.sort(compareEncodedPairs);
  let out = "";
  for (let k = 0; k < encoded.length; k++) {
    const e = encoded[k] as [string, string];
    if (k > 0) out += "&";
    out += e[0] + "=" + e[1];
  }
  return out;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9;
}

/** Trim and collapse internal whitespace runs to one space; the input is returned when already clean. */
function trimAll(v: string): string {
  const n = v.length;
  let clean = true;
  for (let k = 0; k < n; k++) {
    const c = v.charCodeAt(k);
    if (c === 32) {
      if (k === 0 || k === n - 1 || v.charCodeAt(k + 1) === 32) {
        clean = false;
        break;
      }
    } else if (c < 32 || c === 160) {
      clean = false;
      break;
    }
  }
  return clean ? v : v.trim().replace(/\s+/g, " ");
}

function rawHeaderValues(rawHeaders: readonly string[], name: string): string | undefined {
  let out: string | undefined;
  for (let k = 0; k + 1 < rawHeaders.length; k += 2) {
    const raw = rawHeaders[k] as string;
    if (raw.length === name.length && raw.toLowerCase() === name) {
      const v = trimAll(rawHeaders[k + 1] as string);
      out = out === undefined ? v : out + "," + v;
    }
  }
  return out;
}

/** `name:value\n` for each signed header, values as received (trimmed, whitespace runs collapsed). */
function canonicalHeaders(names: readonly string[], req: SignedRequest): string {
  let out = "";
  for (const name of names) {
    let value = req.headers[name];
    if (value === undefined && name !== name.toLowerCase()) value = req.headers[name.toLowerCase()];
    let text: string;
    if (typeof value === "string") {
      // Node joins repeated headers with ", "; rebuild them from rawHeaders as SigV4 joins them (",").
      const fromRaw = req.rawHeaders !== undefined && value.indexOf(",") !== -1 ? rawHeaderValues(req.rawHeaders, name.toLowerCase()) : undefined;
      text = fromRaw ?? trimAll(value);
    } else if (Array.isArray(value)) {
      text = value.map(trimAll).join(",");
    } else {
      text = "";
    }
    out += name + ":" + text + "\n";
  }
  return out;
}

const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** One-shot `crypto.hash` (Node 20.12+) skips building a Hash object per call: twice as fast for small inputs. */
const oneShotHash = (crypto as { hash?: (algorithm: string, data: string | Buffer, encoding: "hex") => string }).hash;

function sha256Hex(data: string | Buffer): string {
  return oneShotHash ? oneShotHash("sha256", data, "hex") : createHash("sha256").update(data).digest("hex");
}

/** Hashes of small bodies by their bytes (latin1, one character a byte): callers send the same body many times a second. */
const bodyHashes = new BoundedMap<string, string>(1000);
const MEMO_BODY_BYTES = 1024;

function hashBody(body: Buffer): string {
  if (body.length === 0) return EMPTY_SHA256;
  if (body.length > MEMO_BODY_BYTES) return sha256Hex(body);
  const bytes = body.toString("latin1");
  let hash = bodyHashes.get(bytes);
  if (hash === undefined) {
    hash = sha256Hex(body);
    bodyHashes.set(bytes, hash);
  }
  return hash;
}

// ---------------------------------------------------------------------------------------------------------------------
// Keys and comparisons
// ---------------------------------------------------------------------------------------------------------------------

const SIGNING_KEY_CACHE_MAX = 1000;
/**
 * key id/date/region/service → derived key, as a KeyObject (an HMAC over a KeyObject skips importing raw key bytes
 * on every call); the secret is kept to detect rotation under the same key id.
 */
const signingKeys = new BoundedMap<string, { secret: string; key: KeyObject }>(SIGNING_KEY_CACHE_MAX);

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data, "utf8").digest();
}

/** SigV4's signing key for a secret, a scope date (YYYYMMDD), a region and a service. */
export function deriveSigningKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac("AWS4" + secret, date), region), service), "aws4_request");
}

function signingKey(accessKeyId: string, secret: string, date: string, region: string, service: string): KeyObject {
  const id = accessKeyId + "/" + date + "/" + region + "/" + service;
  const hit = signingKeys.get(id);
  if (hit !== undefined && hit.secret === secret) return hit.key;
  const key = createSecretKey(deriveSigningKey(secret, date, region, service));
  // Keys roll over daily: the oldest go first.
  signingKeys.set(id, { secret, key });
  return key;
}

/**
 * Expected is 64 lower-case hex characters; a provided value of any other length simply fails. The comparison is
 * node's own timingSafeEqual: a signature check is no place for a hand-made constant-time loop.
 */
export function constantTimeEqualHex(expected: string, provided: string): boolean {
  if (provided.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(expected, "latin1"), Buffer.from(provided, "latin1"));
}

/** Constant time in the content; only the (non-secret) byte length can show through timing. */
function constantTimeEqualStrings(a: string, b: string): boolean {
  const ba = Buffer.from(a, "utf8");
  const bb = Buffer.from(b, "utf8");
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}

// ---------------------------------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------------------------------

function firstHeader(v: string | string[] | undefined): string | undefined {
  if (v === undefined || typeof v === "string") return v;
  return v[0];
}

function isDigits(s: string): boolean {
  if (s.length === 0 || s.length > 10) return false;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function isPromiseLike<T>(v: unknown): v is PromiseLike<T> {
  return typeof v === "object" && v !== null && typeof (v as { then?: unknown }).then === "function";
}
