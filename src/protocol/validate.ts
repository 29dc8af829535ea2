/**
 * Generic input validation against the structural model, with AWS (Coral) paths and wording:
 * `1 validation error detected: Value 'a b' at 'name' failed to satisfy constraint: Member must satisfy
 * regular expression pattern: ^[!-~]{1,1024}$`.
 *
 * Checks required members, string/blob length, patterns, enums, no NUL character in strings, numeric ranges, list and map sizes, and
 * recurses into structures, list members and map entries. Type mismatches are not reported here (the
 * protocol decoder rejects them first); a value of the wrong JSON type is simply skipped. Unknown members
 * are ignored. Checkers are built lazily per (model, shape) and cached.
 */
import type { ApiModel, MemberModel, ShapeModel, StringShape } from "./model-types.js";

export interface Violation {
  /** Coral-style path: `dnsConfig.dnsRecords.1.member.type`. Empty for the top-level value. */
  path: string;
  /** Coral wording, e.g. `Member must not be null`. */
  message: string;
  /** The offending value (`null` when missing). */
  value: unknown;
  /** Render as `Value at '<path>'` without echoing the value (sensitive members, map entry summaries). */
  hideValue?: boolean;
}

type Checker = (value: unknown, path: string, out: Violation[]) => void;

const NOT_NULL = "Member must not be null";
const NOOP: Checker = () => {};

const checkerCache = new WeakMap<ApiModel, Map<string, Checker>>();

/** Every constraint violation in `value` (an instance of `shapeName`), in model member order. */
export function validateShape(model: ApiModel, shapeName: string, value: unknown): Violation[] {
  const out: Violation[] = [];
  if (value === undefined || value === null) {
    // An absent top-level input is an empty structure: its required members are still missing.
    if (model.shapes[shapeName]?.type === "structure") value = {};
    else return out;
  }
  getChecker(model, shapeName)(value, "", out);
  return out;
}

/** AWS's combined message for a non-empty list of violations (empty string for none). */
export function formatViolations(v: Violation[]): string {
  if (v.length === 0) return "";
  const head = v.length === 1 ? "1 validation error detected: " : `${v.length} validation errors detected: `;
  return head + v.map(formatOne).join("; ");
}

function formatOne(v: Violation): string {
  let subject: string;
  if (v.hideValue) subject = "Value";
  else if (v.value === null || v.value === undefined) subject = "Value null";
  else subject = `Value '${renderValue(v.value)}'`;
  return `${subject} at '${v.path}' failed to satisfy constraint: ${v.message}`;
}

/** Roughly Java's `toString` of the value Coral held: lists `[a, b]`, maps `{k=v}`. */
function renderValue(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
  if (value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
  if (Array.isArray(value)) return `[${value.map(renderValue).join(", ")}]`;
  if (typeof value === "object") {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}=${renderValue(v)}`)
      .join(", ")}}`;
  }
  return String(value);
}

function join(path: string, segment: string): string {
  return path === "" ? segment : `${path}.${segment}`;
}

/** Coral lower-cases the first letter of a member name: `DnsConfig` → `dnsConfig`, `TTL` → `tTL`. */
function lowerFirst(name: string): string {
  return name.length === 0 ? name : name[0]!.toLowerCase() + name.slice(1);
}

function getChecker(model: ApiModel, shapeName: string): Checker {
  let perModel = checkerCache.get(model);
  if (!perModel) {
    perModel = new Map();
    checkerCache.set(model, perModel);
  }
  const cached = perModel.get(shapeName);
  if (cached) return cached;
  // A stub breaks recursion (shapes that contain themselves); it is replaced once the real checker exists.
  let real: Checker | undefined;
  perModel.set(shapeName, (v, p, o) => real!(v, p, o));
  real = buildChecker(model, shapeName);
  perModel.set(shapeName, real);
  return real;
}

function buildChecker(model: ApiModel, shapeName: string): Checker {
  const shape = model.shapes[shapeName];
  if (!shape) throw new Error(`validateShape: unknown shape ${shapeName}`);
  switch (shape.type) {
    case "structure":
      return structureChecker(model, shape.members, shape.required);
    case "list":
      return listChecker(model, shape.member, shape.min, shape.max);
    case "map":
      return mapChecker(model, shape.key, shape.value, shape.min, shape.max);
    case "string":
      return stringChecker(shape);
    case "blob":
      return blobChecker(shape.min, shape.max, shape.sensitive === true);
    case "integer":
    case "long":
    case "double":
    case "float":
      return numberChecker(shape.min, shape.max);
    default:
      return NOOP;
  }
}

function structureChecker(model: ApiModel, members: Record<string, MemberModel>, requiredList: string[] | undefined): Checker {
  const required = new Set(requiredList ?? []);
  const entries = Object.entries(members).map(([name, m]) => ({
    name,
    segment: lowerFirst(name),
    required: required.has(name),
    shape: m.shape,
  }));
  // Member checkers are resolved on first use so that building one shape does not build the whole model.
  let resolved: { name: string; segment: string; required: boolean; check: Checker }[] | undefined;
  return (value, path, out) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return;
    resolved ??= entries.map((e) => ({ name: e.name, segment: e.segment, required: e.required, check: getChecker(model, e.shape) }));
    const obj = value as Record<string, unknown>;
    for (const m of resolved) {
      const v = obj[m.name];
      if (v === undefined || v === null) {
        if (m.required) out.push({ path: join(path, m.segment), message: NOT_NULL, value: null });
        continue;
      }
      if (m.check !== NOOP) m.check(v, join(path, m.segment), out);
    }
  };
}

function lengthViolations(len: number, min: number | undefined, max: number | undefined): string | undefined {
  if (max !== undefined && len > max) return `Member must have length less than or equal to ${max}`;
  if (min !== undefined && len < min) return `Member must have length greater than or equal to ${min}`;
  return undefined;
}

function listChecker(model: ApiModel, member: MemberModel, min: number | undefined, max: number | undefined): Checker {
  let item: Checker | undefined;
  return (value, path, out) => {
    if (!Array.isArray(value)) return;
    const msg = lengthViolations(value.length, min, max);
    if (msg) out.push({ path, message: msg, value });
    item ??= getChecker(model, member.shape);
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (v === null || v === undefined) {
        out.push({ path: `${join(path, String(i + 1))}.member`, message: NOT_NULL, value: null });
      } else if (item !== NOOP) {
        item(v, `${join(path, String(i + 1))}.member`, out);
      }
    }
  };
}

/** The constraints of a scalar shape as Coral lists them in `Map keys/value must satisfy constraint: [...]`. */
function describeConstraints(shape: ShapeModel): string[] {
  const d: string[] = [];
  switch (shape.type) {
    case "string":
      if (shape.max !== undefined) d.push(`Member must have length less than or equal to ${shape.max}`);
      if (shape.min !== undefined) d.push(`Member must have length greater than or equal to ${shape.min}`);
      if (shape.pattern !== undefined && compiledPattern(shape)) d.push(`Member must satisfy regular expression pattern: ${shape.pattern}`);
      if (shape.enum) d.push(enumMessage(shape.enum));
      // AWS's own list where the model has one; else the one rule such a string can break.
      if (d.length === 0) d.push(NUL_MSG);
      break;
    case "blob":
      if (shape.max !== undefined) d.push(`Member must have length less than or equal to ${shape.max}`);
      if (shape.min !== undefined) d.push(`Member must have length greater than or equal to ${shape.min}`);
      break;
    case "integer":
    case "long":
    case "double":
    case "float":
      if (shape.max !== undefined) d.push(`Member must have value less than or equal to ${shape.max}`);
      if (shape.min !== undefined) d.push(`Member must have value greater than or equal to ${shape.min}`);
      break;
    default:
      break;
  }
  return d;
}

function isScalar(shape: ShapeModel): boolean {
  return shape.type !== "structure" && shape.type !== "list" && shape.type !== "map";
}

function mapChecker(
  model: ApiModel,
  keyMember: MemberModel,
  valueMember: MemberModel,
  min: number | undefined,
  max: number | undefined,
): Checker {
  let state:
    | { key: Checker; value: Checker; keyMsg: string; valueMsg: string; valueScalar: boolean }
    | undefined;
  const init = () => {
    const keyShape = model.shapes[keyMember.shape];
    const valueShape = model.shapes[valueMember.shape];
    if (!keyShape || !valueShape) throw new Error(`validateShape: unknown map key/value shape`);
    const keyDesc = describeConstraints(keyShape);
    const valueDesc = describeConstraints(valueShape);
    return {
      key: getChecker(model, keyMember.shape),
      value: getChecker(model, valueMember.shape),
      keyMsg: `Map keys must satisfy constraint: [${keyDesc.join(", ")}]`,
      valueMsg: `Map value must satisfy constraint: [${valueDesc.join(", ")}]`,
      valueScalar: isScalar(valueShape),
    };
  };
  return (value, path, out) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return;
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    const msg = lengthViolations(keys.length, min, max);
    if (msg) out.push({ path, message: msg, value });
    state ??= init();
    let badKey = false;
    let badValue = false;
    let nullValue = false;
    const scratch: Violation[] = [];
    for (const k of keys) {
      if (!badKey && state.key !== NOOP) {
        state.key(k, path, scratch);
        if (scratch.length) {
          badKey = true;
          scratch.length = 0;
        }
      }
      const v = obj[k];
      if (v === null || v === undefined) {
        nullValue = true;
        continue;
      }
      if (state.value === NOOP) continue;
      if (state.valueScalar) {
        if (!badValue) {
          state.value(v, path, scratch);
          if (scratch.length) {
            badValue = true;
            scratch.length = 0;
          }
        }
      } else {
        // Structured map values: report inside the value, keyed by the map key.
        state.value(v, join(path, k), out);
      }
    }
    // Coral summarises map entries in one violation per side, naming the constraints, not the entry.
    if (badKey) out.push({ path, message: state.keyMsg, value, hideValue: true });
    if (nullValue) out.push({ path, message: `Map value must satisfy constraint: [${NOT_NULL}]`, value, hideValue: true });
    if (badValue) out.push({ path, message: state.valueMsg, value, hideValue: true });
  };
}

function enumMessage(values: string[]): string {
  return `Member must satisfy enum value set: [${values.join(", ")}]`;
}

function stringChecker(shape: StringShape): Checker {
  const { min, max, enum: enumValues } = shape;
  const regex = compiledPattern(shape);
  const enumSet = enumValues ? new Set(enumValues) : undefined;
  const patternMsg = `Member must satisfy regular expression pattern: ${shape.pattern}`;
  const enumMsg = enumValues ? enumMessage(enumValues) : "";
  const hide = shape.sensitive === true;
  return (value, path, out) => {
    if (typeof value !== "string") return;
    const msg = lengthViolations(value.length, min, max);
    if (msg) out.push(violation(path, msg, value, hide));
    if (regex && !regex.test(value)) out.push(violation(path, patternMsg, value, hide));
    if (enumSet && !enumSet.has(value)) out.push(violation(path, enumMsg, value, hide));
    if (value.includes("\0")) out.push(violation(path, NUL_MSG, value, hide));
  };
}

/**
 * Cairn's own constraint, beyond the model: no string holds U+0000, which PostgreSQL text cannot store. Checked on
 * every store, so a call gets the same answer on SQLite and on PostgreSQL.
 */
const NUL_MSG = "Member must not contain the NUL character (U+0000)";

function violation(path: string, message: string, value: unknown, hideValue: boolean): Violation {
  return hideValue ? { path, message, value, hideValue } : { path, message, value };
}

function blobChecker(min: number | undefined, max: number | undefined, hide: boolean): Checker {
  if (min === undefined && max === undefined) return NOOP;
  return (value, path, out) => {
    let len: number;
    if (value instanceof Uint8Array) len = value.byteLength;
    else if (typeof value === "string") len = value.length;
    else return;
    const msg = lengthViolations(len, min, max);
    // Blobs are never echoed (Coral would print a ByteBuffer's internals).
    if (msg) out.push(violation(path, msg, value, hide || value instanceof Uint8Array));
  };
}

function numberChecker(min: number | undefined, max: number | undefined): Checker {
  if (min === undefined && max === undefined) return NOOP;
  return (value, path, out) => {
    if (typeof value !== "number") return;
    if (max !== undefined && value > max) out.push({ path, message: `Member must have value less than or equal to ${max}`, value });
    else if (min !== undefined && value < min) out.push({ path, message: `Member must have value greater than or equal to ${min}`, value });
  };
}

// ---------------------------------------------------------------------------------------------------
// Patterns. The models carry Java regular expressions, which Coral applies as a full match
// (`Matcher.matches()`), so each is wrapped in `^(?:...)$`. They are compiled without the `u` flag by
// default: several use escapes that are invalid under `u` (`\:` in STS federatedIdType, `-` ranges such
// as `[a-zA-Z0-9-_]`), and non-`u` escapes like `\u10000` then mean exactly what Java makes of them.
// Exceptions:
//   - `\p{L}`-style property classes (IAM/STS tagKeyType/tagValueType) only work under `u`; without it
//     they would match the literal letters `p{L}`. Such patterns are compiled with `u` first.
//   - Surrogate-pair ranges (CloudTrail PartitionKeyName `\uD800\uDC00-\uDBFF\uDFFF`) fail without `u`
//     ("range out of order") and mean the astral range U+10000-U+10FFFF under `u`, as in Java: retried
//     with `u`.
//   - A leading Java inline flag group such as `(?s)` (CloudTrail QueryStatement `(?s).*`) is not JS
//     syntax (Node 20): it is turned into the equivalent RegExp flag. `i` and `s` are supported.
// A pattern that still does not compile is skipped (never enforced); none of the shipped models has one.
// ---------------------------------------------------------------------------------------------------

const patternCache = new WeakMap<StringShape, RegExp | null>();

function compiledPattern(shape: StringShape): RegExp | undefined {
  if (shape.pattern === undefined) return undefined;
  let re = patternCache.get(shape);
  if (re === undefined) {
    re = compileJavaPattern(shape.pattern);
    patternCache.set(shape, re);
  }
  return re ?? undefined;
}

/** A JS RegExp with Java full-match semantics for a model pattern, or null if it cannot be expressed. */
export function compileJavaPattern(pattern: string): RegExp | null {
  let source = pattern;
  let flags = "";
  const inline = /^\(\?([a-zA-Z]+)\)/.exec(source);
  if (inline) {
    for (const f of inline[1]!) {
      if (f === "s" || f === "i") {
        if (!flags.includes(f)) flags += f;
      } else {
        return null; // m, x, u, d... change semantics we do not reproduce
      }
    }
    source = source.slice(inline[0].length);
  }
  const wantsUnicode = /\\[pP]\{/.test(source);
  const attempts = wantsUnicode ? [flags + "u", flags] : [flags, flags + "u"];
  for (const f of attempts) {
    try {
      return new RegExp(`^(?:${source})$`, f);
    } catch {
      // try the next flag set
    }
  }
  return null;
}
