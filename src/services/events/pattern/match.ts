/**
 * Matches a compiled pattern against an event (parsed JSON). The walk follows the pattern down the event: a field's
 * values are its leaves (strings, numbers, booleans, null; arrays are looked through, objects are not leaves); an
 * object pattern meeting an array must be met by one element as a whole, so conditions on an array's objects are
 * never satisfied half by one element and half by another. Each (pattern node, event node) pair is visited at most
 * once and leaf tests never backtrack, so a match costs O(event size × pattern size). Nested arrays are walked with
 * an explicit stack, so a deeply nested event cannot exhaust the call stack.
 */
import type { EventPattern, Leaf, LeafPattern, ObjectPattern } from "./model.js";

type JsonObject = Record<string, unknown>;

const EMPTY: JsonObject = Object.freeze(Object.create(null) as JsonObject);

const isObject = (value: unknown): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Whether `event` (JSON data, as JSON.parse makes it) matches. What is learnt about an event object is cached against
 * it, so an event must not be changed once matched.
 */
export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  return matchesObject(pattern.root, event, hasDottedKeys(event));
}

/** `dotted`: the event has a key with a dot somewhere, so objects are looked at through `withDottedKeysNested`. */
function matchesObject(pattern: ObjectPattern, node: unknown, dotted: boolean): boolean {
  if (!Array.isArray(node)) return matchesFields(pattern, isObject(node) ? node : EMPTY, dotted);
  let sawObject = false;
  const found = forEachInArray(node, (element) => {
    if (!isObject(element)) return false;
    sawObject = true;
    return matchesFields(pattern, element, dotted);
  });
  // An array without objects holds no fields at all: only absence conditions can hold.
  return found || (!sawObject && matchesFields(pattern, EMPTY, dotted));
}

function matchesFields(pattern: ObjectPattern, node: JsonObject, dotted: boolean): boolean {
  const object = dotted ? withDottedKeysNested(node) : node;
  for (const field of pattern.fields.values()) {
    const value = Object.hasOwn(object, field.name) ? object[field.name] : undefined;
    if (field.leaf && !matchesLeaves(field.leaf, value)) return false;
    if (field.object && !matchesObject(field.object, value, dotted)) return false;
  }
  for (const branches of pattern.ors) {
    if (!branches.some((branch) => matchesFields(branch, object, dotted))) return false;
  }
  return true;
}

function matchesLeaves(pattern: LeafPattern, value: unknown): boolean {
  if (!Array.isArray(value)) {
    if (value === undefined || isObject(value)) return pattern.absent;
    return pattern.present || matchesLeaf(pattern, value as Leaf);
  }
  let sawLeaf = false;
  const found = forEachInArray(value, (element) => {
    if (isObject(element)) return false;
    sawLeaf = true;
    return pattern.present || matchesLeaf(pattern, element as Leaf);
  });
  return found || (!sawLeaf && pattern.absent);
}

function matchesLeaf(pattern: LeafPattern, leaf: Leaf): boolean {
  if (pattern.exact.has(leaf)) return true;
  for (const test of pattern.tests) if (test(leaf)) return true;
  return false;
}

/** Visits the non-array elements of an array and of the arrays inside it, until `visit` says true. */
function forEachInArray(array: unknown[], visit: (element: unknown) => boolean): boolean {
  const stack: Array<{ array: unknown[]; index: number }> = [{ array, index: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.index >= top.array.length) {
      stack.pop();
      continue;
    }
    const element = top.array[top.index++];
    if (Array.isArray(element)) stack.push({ array: element, index: 0 });
    else if (visit(element)) return true;
  }
  return false;
}

/**
 * event-ruler names a field by its path joined with dots, so an event key `"a.b"` is the field `b` under `a`. Events
 * rarely have such keys: whether one does is found once per event (many rules see the same event), and only then are
 * its objects matched through copies with those keys nested (merged with what is already there), once per object.
 */
const dottedEvents = new WeakMap<object, boolean>();
const nested = new WeakMap<JsonObject, JsonObject>();

function hasDottedKeys(event: unknown): boolean {
  if (typeof event !== "object" || event === null) return false;
  let known = dottedEvents.get(event);
  if (known === undefined) {
    known = false;
    const stack: unknown[] = [event];
    while (stack.length > 0 && !known) {
      const node = stack.pop();
      if (Array.isArray(node)) for (const item of node) stack.push(item);
      else if (isObject(node)) {
        for (const key of Object.keys(node)) {
          if (key.includes(".")) known = true;
          stack.push(node[key]);
        }
      }
    }
    dottedEvents.set(event, known);
  }
  return known;
}

function withDottedKeysNested(object: JsonObject): JsonObject {
  let view = nested.get(object);
  if (!view) {
    view = Object.keys(object).some((key) => key.includes(".")) ? nestDottedKeys(object) : object;
    if (object !== EMPTY) nested.set(object, view);
  }
  return view;
}

function nestDottedKeys(object: JsonObject): JsonObject {
  const out: JsonObject = Object.create(null);
  for (const key of Object.keys(object)) {
    const segments = key.split(".");
    let value = object[key];
    for (let i = segments.length - 1; i >= 1; i--) {
      const wrapper: JsonObject = Object.create(null);
      wrapper[segments[i]!] = value;
      value = wrapper;
    }
    const head = segments[0]!;
    out[head] = head in out ? combine(out[head], value) : value;
  }
  return out;
}

/** Two values at one path: objects merge field by field; anything else becomes the list of both. */
function combine(a: unknown, b: unknown): unknown {
  if (isObject(a) && isObject(b)) {
    const merged: JsonObject = Object.create(null);
    for (const key of Object.keys(a)) merged[key] = a[key];
    for (const key of Object.keys(b)) merged[key] = key in merged ? combine(merged[key], b[key]) : b[key];
    return merged;
  }
  return [...(Array.isArray(a) ? a : [a]), ...(Array.isArray(b) ? b : [b])];
}
