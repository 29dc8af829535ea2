/**
 * IAM condition operators (spec cloudtrail.md §7.6). Keys are looked up case-insensitively; a key absent from
 * the request fails positive operators and satisfies negated ones, `…IfExists`, `ForAllValues:` and `Null: true`.
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

/** `ip` is plain (IPv4-mapped IPv6 already shown as IPv4: server/origin.ts). */
function ipIn(ip: string, cidr: string): boolean {
  const family = isIP(ip);
  if (family === 0) return false;
  const [address = "", bits] = cidr.split("/");
  const blockFamily = isIP(address);
  if (blockFamily !== family) return false;
  const list = new BlockList();
  const type = family === 4 ? "ipv4" : "ipv6";
  const prefix = bits === undefined ? (family === 4 ? 32 : 128) : Number(bits);
  if (!Number.isInteger(prefix)) return false;
  list.addSubnet(address, prefix, type);
  return list.check(ip, type);
}

/** Base operators: how a request value is compared with a policy value, and whether the operator is negated. */
const OPERATORS: Record<string, { compare: Compare; negated: boolean }> = {
  StringEquals: { compare: (r, p) => r === p, negated: false },
  StringNotEquals: { compare: (r, p) => r === p, negated: true },
  StringEqualsIgnoreCase: { compare: (r, p) => r.toLowerCase() === p.toLowerCase(), negated: false },
  StringNotEqualsIgnoreCase: { compare: (r, p) => r.toLowerCase() === p.toLowerCase(), negated: true },
  StringLike: { compare: (r, p) => globMatch(p, r, false), negated: false },
  StringNotLike: { compare: (r, p) => globMatch(p, r, false), negated: true },
  NumericEquals: { compare: (r, p) => num(r) === num(p), negated: false },
  NumericNotEquals: { compare: (r, p) => num(r) === num(p), negated: true },
  NumericLessThan: { compare: (r, p) => num(r) < num(p), negated: false },
  NumericLessThanEquals: { compare: (r, p) => num(r) <= num(p), negated: false },
  NumericGreaterThan: { compare: (r, p) => num(r) > num(p), negated: false },
  NumericGreaterThanEquals: { compare: (r, p) => num(r) >= num(p), negated: false },
  DateEquals: { compare: (r, p) => date(r) === date(p), negated: false },
  DateNotEquals: { compare: (r, p) => date(r) === date(p), negated: true },
  DateLessThan: { compare: (r, p) => date(r) < date(p), negated: false },
  DateLessThanEquals: { compare: (r, p) => date(r) <= date(p), negated: false },
  DateGreaterThan: { compare: (r, p) => date(r) > date(p), negated: false },
  DateGreaterThanEquals: { compare: (r, p) => date(r) >= date(p), negated: false },
  Bool: { compare: (r, p) => r.toLowerCase() === p.toLowerCase(), negated: false },
  IpAddress: { compare: (r, p) => ipIn(r, p), negated: false },
  NotIpAddress: { compare: (r, p) => ipIn(r, p), negated: true },
  ArnEquals: { compare: (r, p) => globMatch(p, r, false), negated: false },
  ArnLike: { compare: (r, p) => globMatch(p, r, false), negated: false },
  ArnNotEquals: { compare: (r, p) => globMatch(p, r, false), negated: true },
  ArnNotLike: { compare: (r, p) => globMatch(p, r, false), negated: true },
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

/** Whether one condition (operator, key, policy values) holds for the request. */
export function conditionHolds(operator: string, key: string, policyValues: string[], keys: ConditionKeys): boolean {
  const op = parseOperator(operator);
  if (!op) return false;
  const requestValues = keys.get(key.toLowerCase());
  if (op.base === "Null") {
    const absent = requestValues === undefined || requestValues.length === 0;
    return policyValues.some((p) => (p.toLowerCase() === "true") === absent);
  }
  const { compare, negated } = OPERATORS[op.base]!;
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
