/**
 * The tests a pattern applies to one leaf value of the event. String operators look at strings only; `numeric` at
 * numbers only; `anything-but` matches every leaf its values do not name, null and other types included (a missing
 * field has no leaf, so it never matches).
 */
import { PatternError } from "./json-reader.js";
import { inRange, ipBytes, sameIp, type IpRange } from "./ip.js";
import type { Leaf } from "./model.js";
import { wildcardMatcher } from "./wildcard.js";

export type LeafTest = (leaf: Leaf) => boolean;

/** event-ruler compares numbers in [-5e9, 5e9] (six decimals); pattern numbers outside it are refused. */
const NUMBER_LIMIT = 5e9;

export function comparableNumber(text: string): number {
  const value = Number(text);
  if (!(value >= -NUMBER_LIMIT && value <= NUMBER_LIMIT)) throw new PatternError("Value must be between -5.0E9 and 5.0E9, inclusive");
  return value;
}

const isComparable = (leaf: Leaf): leaf is number => typeof leaf === "number" && leaf >= -NUMBER_LIMIT && leaf <= NUMBER_LIMIT;

/** A plain string of the pattern that is an IP address matches the same address however the event writes it. */
export function sameAddress(text: string): LeafTest | undefined {
  const bytes = ipBytes(text);
  if (!bytes) return undefined;
  return (leaf) => {
    if (typeof leaf !== "string") return false;
    const other = ipBytes(leaf);
    return other !== undefined && sameIp(bytes, other);
  };
}

export function inCidr(range: IpRange): LeafTest {
  return (leaf) => {
    if (typeof leaf !== "string") return false;
    const bytes = ipBytes(leaf);
    return bytes !== undefined && inRange(range, bytes);
  };
}

export const prefix = (text: string): LeafTest => (leaf) => typeof leaf === "string" && leaf.startsWith(text);
export const suffix = (text: string): LeafTest => (leaf) => typeof leaf === "string" && leaf.endsWith(text);

export function prefixIgnoringCase(text: string): LeafTest {
  const lower = text.toLowerCase();
  return (leaf) => typeof leaf === "string" && leaf.toLowerCase().startsWith(lower);
}

export function suffixIgnoringCase(text: string): LeafTest {
  const lower = text.toLowerCase();
  return (leaf) => typeof leaf === "string" && leaf.toLowerCase().endsWith(lower);
}

export function equalsIgnoringCase(text: string): LeafTest {
  const lower = text.toLowerCase();
  return (leaf) => typeof leaf === "string" && leaf.toLowerCase() === lower;
}

export function wildcard(text: string): LeafTest {
  const matches = wildcardMatcher(text);
  return (leaf) => typeof leaf === "string" && matches(leaf);
}

/** `anything-but`: every leaf that `excluded` does not match. */
export const anythingBut =
  (excluded: LeafTest): LeafTest =>
  (leaf) =>
    !excluded(leaf);

export function oneOfStrings(values: Iterable<string>): LeafTest {
  const set = new Set(values);
  return (leaf) => typeof leaf === "string" && set.has(leaf);
}

export function oneOfNumbers(values: Iterable<number>): LeafTest {
  const set = new Set(values);
  return (leaf) => isComparable(leaf) && set.has(leaf);
}

export function oneOfStringsIgnoringCase(values: Iterable<string>): LeafTest {
  const set = new Set(Array.from(values, (v) => v.toLowerCase()));
  return (leaf) => typeof leaf === "string" && set.has(leaf.toLowerCase());
}

export const any =
  (tests: LeafTest[]): LeafTest =>
  (leaf) =>
    tests.some((test) => test(leaf));

export interface NumericRange {
  low?: number;
  lowOpen?: boolean;
  high?: number;
  highOpen?: boolean;
}

export function numeric({ low, lowOpen, high, highOpen }: NumericRange): LeafTest {
  return (leaf) =>
    isComparable(leaf) &&
    (low === undefined || (lowOpen ? leaf > low : leaf >= low)) &&
    (high === undefined || (highOpen ? leaf < high : leaf <= high));
}
