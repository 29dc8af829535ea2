/**
 * awsJson value codec: turns a parsed JSON request body into model-typed values (timestamps → Date,
 * blobs → Uint8Array) and model-typed results back into JSON-ready values (Date → epoch seconds,
 * Uint8Array → base64). Both walk the value by shape with closures built once per (model, shape).
 */
import type { ServiceError } from "./errors.js";
import { commonErrors } from "./common-errors.js";
import type { ApiModel, ShapeModel } from "./model-types.js";

type Codec = (value: unknown) => unknown;

const IDENTITY: Codec = (v) => v;

const decoderCache = new WeakMap<ApiModel, Map<string, Codec>>();
const encoderCache = new WeakMap<ApiModel, Map<string, Codec>>();

/**
 * Decode a parsed JSON input as an instance of `shapeName`. Returns a fresh value (the input is not
 * mutated): unknown members dropped, `null` members removed, timestamps as `Date`, blobs as `Uint8Array`.
 * Throws `SerializationException` when a JSON type does not fit the shape. An absent top-level body
 * (`undefined`/`null`) decodes as an empty structure.
 */
export function decodeJsonInput(model: ApiModel, shapeName: string, value: unknown): unknown {
  if (value === undefined || value === null) value = {};
  return getCodec(decoderCache, model, shapeName, buildDecoder)(value);
}

/**
 * Encode a handler's result as the JSON value of `shapeName`: only declared members, `undefined`/`null`
 * members dropped, `Date` as epoch seconds with millisecond precision, `Uint8Array` as base64.
 */
export function encodeJsonOutput(model: ApiModel, shapeName: string, value: unknown): unknown {
  if (value === undefined || value === null) value = {};
  return getCodec(encoderCache, model, shapeName, buildEncoder)(value);
}

type Builder = (model: ApiModel, shape: ShapeModel) => Codec;

function getCodec(
  cache: WeakMap<ApiModel, Map<string, Codec>>,
  model: ApiModel,
  shapeName: string,
  build: Builder,
): Codec {
  let perModel = cache.get(model);
  if (!perModel) {
    perModel = new Map();
    cache.set(model, perModel);
  }
  const cached = perModel.get(shapeName);
  if (cached) return cached;
  const shape = model.shapes[shapeName];
  if (!shape) throw new Error(`json-values: unknown shape ${shapeName}`);
  // The stub breaks recursion for self-referencing shapes; replaced by the real codec once built.
  let real: Codec | undefined;
  perModel.set(shapeName, (v) => real!(v));
  real = build(model, shape);
  perModel.set(shapeName, real);
  return real;
}

// ---------------------------------------------------------------------------------------------------
// Decoding
// ---------------------------------------------------------------------------------------------------

/** How Coral's JSON reader names the token it found, in its `... can not be converted to ...` errors. */
function tokenName(value: unknown): string {
  switch (typeof value) {
    case "string":
      return "STRING_VALUE";
    case "number":
      return "NUMBER_VALUE";
    case "boolean":
      return value ? "TRUE_VALUE" : "FALSE_VALUE";
    default:
      return "VALUE";
  }
}

function typeError(value: unknown, target: string): ServiceError {
  if (Array.isArray(value)) return commonErrors.SerializationException("Start of list found where not expected");
  if (typeof value === "object" && value !== null) {
    return commonErrors.SerializationException("Start of structure or map found where not expected.");
  }
  return commonErrors.SerializationException(`${tokenName(value)} can not be converted to ${target}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const decodeDecoder = (model: ApiModel, shapeName: string): Codec => getCodec(decoderCache, model, shapeName, buildDecoder);

function buildDecoder(model: ApiModel, shape: ShapeModel): Codec {
  switch (shape.type) {
    case "structure": {
      const memberShapes = Object.entries(shape.members).map(([name, m]) => [name, m.shape] as const);
      let table: Record<string, Codec> | undefined;
      return (value) => {
        if (!isObject(value)) throw typeError(value, "a Structure");
        if (!table) {
          const t: Record<string, Codec> = Object.create(null) as Record<string, Codec>;
          for (const [name, s] of memberShapes) t[name] = decodeDecoder(model, s);
          table = t;
        }
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(value)) {
          const decode = table[key];
          if (decode === undefined) continue; // unknown member
          const v = value[key];
          if (v === null || v === undefined) continue;
          out[key] = decode(v);
        }
        return out;
      };
    }
    case "list": {
      const memberShape = shape.member.shape;
      let item: Codec | undefined;
      return (value) => {
        if (!Array.isArray(value)) throw typeError(value, "a List");
        item ??= decodeDecoder(model, memberShape);
        const out = new Array<unknown>(value.length);
        // Null items are kept so that validation can report them (`Member must not be null`).
        for (let i = 0; i < value.length; i++) {
          const v: unknown = value[i];
          out[i] = v === null || v === undefined ? null : item(v);
        }
        return out;
      };
    }
    case "map": {
      const valueShape = shape.value.shape;
      let item: Codec | undefined;
      return (value) => {
        if (!isObject(value)) throw typeError(value, "a Map");
        item ??= decodeDecoder(model, valueShape);
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(value)) {
          const v = value[key];
          // `__proto__` must become an own key, not a prototype change.
          const decoded = v === null || v === undefined ? null : item(v);
          if (key === "__proto__") Object.defineProperty(out, key, { value: decoded, enumerable: true, writable: true, configurable: true });
          else out[key] = decoded;
        }
        return out;
      };
    }
    case "string":
      return (value) => {
        if (typeof value !== "string") throw typeError(value, "a String");
        return value;
      };
    case "boolean":
      return (value) => {
        if (typeof value !== "boolean") throw typeError(value, "a Boolean");
        return value;
      };
    case "integer":
    case "long": {
      const target = shape.type === "integer" ? "an Integer" : "a Long";
      return (value) => {
        if (typeof value !== "number" || !Number.isInteger(value)) throw typeError(value, target);
        return value;
      };
    }
    case "double":
    case "float": {
      const target = shape.type === "double" ? "a Double" : "a Float";
      return (value) => {
        if (typeof value === "number") return value;
        // awsJson sends non-finite floating point numbers as strings.
        if (value === "NaN") return Number.NaN;
        if (value === "Infinity") return Number.POSITIVE_INFINITY;
        if (value === "-Infinity") return Number.NEGATIVE_INFINITY;
        throw typeError(value, target);
      };
    }
    case "timestamp":
      return decodeTimestamp;
    case "blob":
      return decodeBlob;
    default:
      return IDENTITY;
  }
}

const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function epochSecondsToDate(seconds: number): Date {
  return new Date(Math.round(seconds * 1000));
}

function decodeTimestamp(value: unknown): Date {
  if (typeof value === "number") {
    if (Number.isFinite(value)) return epochSecondsToDate(value);
  } else if (typeof value === "string") {
    const s = value.trim();
    if (NUMERIC.test(s)) return epochSecondsToDate(Number(s));
    const ms = Date.parse(s);
    if (!Number.isNaN(ms)) return new Date(ms);
    throw commonErrors.SerializationException(`Unable to parse timestamp '${value}'`);
  }
  throw typeError(value, "a Date");
}

const BASE64 = /^[A-Za-z0-9+/\-_\s]*={0,2}\s*$/;

function decodeBlob(value: unknown): Uint8Array {
  if (typeof value !== "string") throw typeError(value, "a ByteBuffer");
  if (!BASE64.test(value)) throw commonErrors.SerializationException("Invalid base64 value for a blob member");
  return new Uint8Array(Buffer.from(value, "base64"));
}

// ---------------------------------------------------------------------------------------------------
// Encoding (lenient: a result of an unexpected type is passed through rather than failing the call)
// ---------------------------------------------------------------------------------------------------

const encodeEncoder = (model: ApiModel, shapeName: string): Codec => getCodec(encoderCache, model, shapeName, buildEncoder);

function buildEncoder(model: ApiModel, shape: ShapeModel): Codec {
  switch (shape.type) {
    case "structure": {
      const memberShapes = Object.entries(shape.members).map(([name, m]) => [name, m.shape] as const);
      let members: (readonly [string, Codec])[] | undefined;
      return (value) => {
        if (!isObject(value)) return value;
        members ??= memberShapes.map(([name, s]) => [name, encodeEncoder(model, s)] as const);
        const out: Record<string, unknown> = {};
        for (const [name, encode] of members) {
          const v = value[name];
          if (v === undefined || v === null) continue;
          out[name] = encode === IDENTITY ? v : encode(v);
        }
        return out;
      };
    }
    case "list": {
      const memberShape = shape.member.shape;
      let item: Codec | undefined;
      return (value) => {
        if (!Array.isArray(value)) return value;
        item ??= encodeEncoder(model, memberShape);
        const encode = item;
        return encode === IDENTITY ? value.slice() : value.map((v: unknown) => (v === undefined || v === null ? null : encode(v)));
      };
    }
    case "map": {
      const valueShape = shape.value.shape;
      let item: Codec | undefined;
      return (value) => {
        if (!isObject(value)) return value;
        item ??= encodeEncoder(model, valueShape);
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(value)) {
          const v = value[key];
          if (v === undefined || v === null) continue;
          const encoded = item(v);
          if (key === "__proto__") Object.defineProperty(out, key, { value: encoded, enumerable: true, writable: true, configurable: true });
          else out[key] = encoded;
        }
        return out;
      };
    }
    case "double":
    case "float":
      return (value) => {
        if (typeof value !== "number" || Number.isFinite(value)) return value;
        return Number.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
      };
    case "timestamp": {
      const format = shape.timestampFormat ?? "unixTimestamp";
      return (value) => encodeTimestamp(value, format);
    }
    case "blob":
      return (value) => (value instanceof Uint8Array ? Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64") : value);
    default:
      return IDENTITY;
  }
}

function encodeTimestamp(value: unknown, format: string): unknown {
  let ms: number;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === "number") {
    if (format === "unixTimestamp") return value;
    ms = value * 1000;
  } else if (typeof value === "string") {
    ms = NUMERIC.test(value) ? Number(value) * 1000 : Date.parse(value);
  } else return value;
  if (Number.isNaN(ms)) return value;
  switch (format) {
    case "iso8601":
      return new Date(ms).toISOString();
    case "rfc822":
      return new Date(ms).toUTCString();
    default:
      // Epoch seconds with millisecond precision: 1587055860121 → 1587055860.121.
      return Math.round(ms) / 1000;
  }
}
