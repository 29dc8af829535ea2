/**
 * IAM condition operators. Keys are looked up case-insensitively; a key absent from
 * the request fails positive operators and satisfies negated ones, `…IfExists`, `ForAllValues:` and `Null: true`.
 * Policy values of the IP, numeric and date operators are checked when a policy is stored (conditionValueError);
 * one that still cannot be read at evaluation (stored before the check, or from a policy variable) makes
 * conditionHolds answer undefined, and the caller fails closed.
 */
import { BlockList, isIP } from "node:net";
import { globMatch } from "./glob.js";

/** The request's condition keys, lower-cased, each with its values. */
export type ConditionKeys = Map<string, string[]>;

type Compare = (requestValue: string, policyValue: string) => boolean;

function num(v: string): number {
  return v.trim() === "" ? NaN : Number(v);
}

function date(v: string): number {
  // Policy dates may be ISO-8601 or epoch seconds.
  return /^\d+$/.test(v) ? Number(v) * 1000 : Date.parse(v);
}

/** A decimal number, as AWS's numeric operators take it (no hex, no exponent, no spaces). */
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
/** Epoch seconds, or a W3C ISO-8601 date with optional time, fraction and zone. */
const DATE = /^(\d+|\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?)?)$/;

function validNumber(v: string): boolean {
  return NUMBER.test(v);
}

function validDate(v: string): boolean {
  return DATE.test(v) && Number.isFinite(date(v));
}

/** A parsed policy CIDR, ready to test addresses against. */
interface Block {
  list: BlockList;
  type: "ipv4" | "ipv6";
}

/** Parsed CIDRs by text (null: malformed): the same few policy values are tested on every call. */
const blocks = new Map<string, Block | null>();

/** `192.0.2.0/24`, `2001:db8::/32` or a single address; null when malformed (`/33`, `/-1`, a bare `/`). */
function parseBlock(cidr: string): Block | null {
  const slash = cidr.indexOf("/");
  const address = slash < 0 ? cidr : cidr.slice(0, slash);
  const family = address.includes("%") ? 0 : isIP(address);
  if (family === 0) return null;
  const max = family === 4 ? 32 : 128;
  const bits = slash < 0 ? String(max) : cidr.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > max) return null;
  const type = family === 4 ? "ipv4" : "ipv6";
  const list = new BlockList();
  list.addSubnet(address, Number(bits), type);
  return { list, type };
}

function block(cidr: string): Block | null {
  let parsed = blocks.get(cidr);
  if (parsed === undefined) {
    parsed = parseBlock(cidr);
    if (blocks.size > 10_000) blocks.clear();
    blocks.set(cidr, parsed);
  }
  return parsed;
}

function validBlock(v: string): boolean {
  return block(v) !== null;
}

/** `ip` is plain (IPv4-mapped IPv6 already shown as IPv4: server/origin.ts); `cidr` was checked with validBlock. */
function ipIn(ip: string, cidr: string): boolean {
  const b = block(cidr)!;
  return isIP(ip) === (b.type === "ipv4" ? 4 : 6) && b.list.check(ip, b.type);
}

/**
 * Base operators: how a request value is compared with a policy value, whether the operator is negated, and which
 * policy values it can read.
 */
/** An ARN's six colon-delimited components; the last (the resource) keeps any colons of its own. */
function arnComponents(arn: string): string[] | undefined {
  const parts = arn.split(":");
  return parts.length < 6 ? undefined : [...parts.slice(0, 5), parts.slice(5).join(":")];
}

/**
 * ArnEquals/ArnLike: "each of the six colon-delimited components of the ARN is checked separately" (IAM User Guide),
 * so a wildcard never reaches across a colon, and a value or pattern that is not an ARN matches nothing.
 */
function arnMatch(pattern: string, value: string): boolean {
  const p = arnComponents(pattern);
  const v = arnComponents(value);
  return p !== undefined && v !== undefined && p.every((component, i) => globMatch(component, v[i]!, false));
}

const OPERATORS: Record<string, { compare: Compare; negated: boolean; valid?: (policyValue: string) => boolean }> = {
  StringEquals: { compare: (r, p) => r === p, negated: false },
  StringNotEquals: { compare: (r, p) => r === p, negated: true },
  StringEqualsIgnoreCase: { compare: (r, p) => r.toLowerCase() === p.toLowerCase(), negated: false },
  StringNotEqualsIgnoreCase: { compare: (r, p) => r.toLowerCase() === p.toLowerCase(), negated: true },
  StringLike: { compare: (r, p) => globMatch(p, r, false), negated: false },
  StringNotLike: { compare: (r, p) => globMatch(p, r, false), negated: true },
  NumericEquals: { compare: (r, p) => num(r) === num(p), negated: false, valid: validNumber },
  NumericNotEquals: { compare: (r, p) => num(r) === num(p), negated: true, valid: validNumber },
  NumericLessThan: { compare: (r, p) => num(r) < num(p), negated: false, valid: validNumber },
  NumericLessThanEquals: { compare: (r, p) => num(r) <= num(p), negated: false, valid: validNumber },
  NumericGreaterThan: { compare: (r, p) => num(r) > num(p), negated: false, valid: validNumber },
  NumericGreaterThanEquals: { compare: (r, p) => num(r) >= num(p), negated: false, valid: validNumber },
  DateEquals: { compare: (r, p) => date(r) === date(p), negated: false, valid: validDate },
  DateNotEquals: { compare: (r, p) => date(r) === date(p), negated: true, valid: validDate },
  DateLessThan: { compare: (r, p) => date(r) < date(p), negated: false, valid: validDate },
  DateLessThanEquals: { compare: (r, p) => date(r) <= date(p), negated: false, valid: validDate },
  DateGreaterThan: { compare: (r, p) => date(r) > date(p), negated: false, valid: validDate },
  DateGreaterThanEquals: { compare: (r, p) => date(r) >= date(p), negated: false, valid: validDate },
  Bool: { compare: (r, p) => r.toLowerCase() === p.toLowerCase(), negated: false },
  IpAddress: { compare: (r, p) => ipIn(r, p), negated: false, valid: validBlock },
  NotIpAddress: { compare: (r, p) => ipIn(r, p), negated: true, valid: validBlock },
  ArnEquals: { compare: (r, p) => arnMatch(p, r), negated: false },
  ArnLike: { compare: (r, p) => arnMatch(p, r), negated: false },
  ArnNotEquals: { compare: (r, p) => arnMatch(p, r), negated: true },
  ArnNotLike: { compare: (r, p) => arnMatch(p, r), negated: true },
};

interface ParsedOperator {
  base: string;
  set?: "ForAnyValue" | "ForAllValues";
  ifExists: boolean;
}

function parseOperator(operator: string): ParsedOperator | undefined {
  let rest = operator;
  let set: ParsedOperator["set"];
  for (const prefix of ["ForAnyValue", "ForAllValues"] as const) {
    if (rest.startsWith(`${prefix}:`)) {
      set = prefix;
      rest = rest.slice(prefix.length + 1);
    }
  }
  const ifExists = rest.endsWith("IfExists") && rest !== "IfExists";
  const base = ifExists ? rest.slice(0, -"IfExists".length) : rest;
  if (base !== "Null" && !OPERATORS[base]) return undefined;
  if (base === "Null" && (set || ifExists)) return undefined;
  return { base, set, ifExists };
}

export function isConditionOperator(operator: string): boolean {
  return parseOperator(operator) !== undefined;
}

/** Why a policy value cannot be used with this operator (MalformedPolicyDocument), or undefined when it can. */
export function conditionValueError(operator: string, value: string): string | undefined {
  const op = parseOperator(operator);
  const valid = op && OPERATORS[op.base]?.valid;
  return valid && !valid(value) ? `Invalid value ${JSON.stringify(value)} for condition operator ${operator}.` : undefined;
}

/**
 * Whether one condition (operator, key, policy values) holds for the request; undefined when an operator or a
 * policy value cannot be read, so that the caller fails closed.
 */
export function conditionHolds(operator: string, key: string, policyValues: string[], keys: ConditionKeys): boolean | undefined {
  const op = parseOperator(operator);
  if (!op) return undefined;
  const requestValues = keys.get(key.toLowerCase());
  if (op.base === "Null") {
    const absent = requestValues === undefined || requestValues.length === 0;
    return policyValues.some((p) => (p.toLowerCase() === "true") === absent);
  }
  const { compare, negated, valid } = OPERATORS[op.base]!;
  if (valid && !policyValues.every(valid)) return undefined;
  if (requestValues === undefined || requestValues.length === 0) {
    return op.ifExists || negated || op.set === "ForAllValues";
  }
  const matchesAny = (r: string): boolean => policyValues.some((p) => compare(r, p));
  const holdsFor = (r: string): boolean => (negated ? !matchesAny(r) : matchesAny(r));
  if (op.set === "ForAllValues") return requestValues.every(holdsFor);
  if (op.set === "ForAnyValue") return requestValues.some(holdsFor);
  // A single-valued key: negated operators hold when no request value matches any policy value.
  return negated ? requestValues.every(holdsFor) : requestValues.some(holdsFor);
}
