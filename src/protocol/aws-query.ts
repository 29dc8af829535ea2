import type { ProtocolCodec, WireResponse } from "./codec.js";
import { commonErrors } from "./common-errors.js";
import type { ApiModel, MemberModel, ShapeModel } from "./model-types.js";
import { isoSeconds } from "./timestamps.js";

/** The form fields of an awsQuery request body (or query string), by name. */
export function parseQueryForm(body: Buffer | string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const [k, v] of new URLSearchParams(typeof body === "string" ? body : body.toString("utf8"))) fields.set(k, v);
  return fields;
}

const validationError = commonErrors.ValidationError;

/** Reads the value of `shapeName` serialised under `prefix`, following awsQuery's flattening rules. */
function decodeValue(model: ApiModel, shapeName: string, prefix: string, fields: Map<string, string>, flattened = false): unknown {
  const shape: ShapeModel | undefined = model.shapes[shapeName];
  if (!shape) return undefined;
  switch (shape.type) {
    case "structure": {
      const out: Record<string, unknown> = {};
      for (const [name, member] of Object.entries(shape.members)) {
        const key = prefix === "" ? memberName(name, member) : `${prefix}.${memberName(name, member)}`;
        const value = decodeValue(model, member.shape, key, fields, member.flattened);
        if (value !== undefined) out[name] = value;
      }
      return prefix !== "" && Object.keys(out).length === 0 ? undefined : out;
    }
    case "list": {
      // `Name=` (empty) is an explicitly empty list.
      if (fields.get(prefix) === "") return [];
      const base = flattened || shape.flattened ? prefix : `${prefix}.${shape.member.locationName ?? "member"}`;
      const out: unknown[] = [];
      for (let i = 1; ; i++) {
        const item = decodeValue(model, shape.member.shape, `${base}.${i}`, fields);
        if (item === undefined) break;
        out.push(item);
      }
      return out.length === 0 ? undefined : out;
    }
    case "map": {
      const base = flattened || shape.flattened ? prefix : `${prefix}.entry`;
      const out: Record<string, unknown> = {};
      for (let i = 1; ; i++) {
        const key = fields.get(`${base}.${i}.${shape.key.locationName ?? "key"}`);
        if (key === undefined) break;
        out[key] = decodeValue(model, shape.value.shape, `${base}.${i}.${shape.value.locationName ?? "value"}`, fields);
      }
      return Object.keys(out).length === 0 ? undefined : out;
    }
    default: {
      const raw = fields.get(prefix);
      if (raw === undefined) return undefined;
      return decodeScalar(shape, raw, prefix);
    }
  }
}

function memberName(name: string, member: MemberModel): string {
  return member.locationName ?? name;
}

function decodeScalar(shape: ShapeModel, raw: string, name: string): unknown {
  switch (shape.type) {
    case "integer":
    case "long":
    case "double":
    case "float": {
      const n = Number(raw);
      if (raw.trim() === "" || !Number.isFinite(n)) throw validationError(`Invalid value '${raw}' for parameter ${name}: not a number.`);
      return n;
    }
    case "boolean":
      if (raw !== "true" && raw !== "false") throw validationError(`Invalid value '${raw}' for parameter ${name}: not a boolean.`);
      return raw === "true";
    case "timestamp": {
      const d = new Date(raw);
      if (Number.isNaN(d.getTime())) throw validationError(`Invalid value '${raw}' for parameter ${name}: not a timestamp.`);
      return d;
    }
    case "blob":
      return Buffer.from(raw, "base64");
    default:
      return raw;
  }
}

const XML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

/**
 * The five markup characters, and what XML 1.0 cannot carry at all, not even as a character reference (C0 controls
 * but tab, LF and CR; lone surrogates; U+FFFE, U+FFFF): those become U+FFFD, so an answer echoing them stays XML.
 */
const XML_UNSAFE = /[&<>"']|[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/gu;

export function escapeXml(text: string): string {
  return text.replace(XML_UNSAFE, (c) => XML_ESCAPES[c] ?? "\uFFFD");
}


/** Writes the members of a value of `shapeName` as XML elements (the element around it is the caller's). */
function encodeValue(model: ApiModel, shapeName: string, value: unknown, out: string[]): void {
  const shape = model.shapes[shapeName];
  if (!shape || value === undefined || value === null) return;
  switch (shape.type) {
    case "structure":
      for (const [name, member] of Object.entries(shape.members)) {
        const v = (value as Record<string, unknown>)[name];
        if (v === undefined || v === null) continue;
        const tag = memberName(name, member);
        const inner = model.shapes[member.shape];
        if (inner && (inner.type === "list" || inner.type === "map") && (member.flattened || inner.flattened)) {
          encodeFlattened(model, member.shape, tag, v, out);
          continue;
        }
        out.push(`<${tag}>`);
        encodeValue(model, member.shape, v, out);
        out.push(`</${tag}>`);
      }
      return;
    case "list": {
      const tag = shape.member.locationName ?? "member";
      for (const item of value as unknown[]) {
        out.push(`<${tag}>`);
        encodeValue(model, shape.member.shape, item, out);
        out.push(`</${tag}>`);
      }
      return;
    }
    case "map":
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        out.push(`<entry><${shape.key.locationName ?? "key"}>${escapeXml(k)}</${shape.key.locationName ?? "key"}>`);
        out.push(`<${shape.value.locationName ?? "value"}>`);
        encodeValue(model, shape.value.shape, v, out);
        out.push(`</${shape.value.locationName ?? "value"}></entry>`);
      }
      return;
    case "timestamp":
      out.push(value instanceof Date ? isoSeconds(value) : escapeXml(String(value)));
      return;
    case "blob":
      out.push(Buffer.from(value as Uint8Array).toString("base64"));
      return;
    default:
      out.push(escapeXml(String(value)));
  }
}

function encodeFlattened(model: ApiModel, shapeName: string, tag: string, value: unknown, out: string[]): void {
  const shape = model.shapes[shapeName];
  if (shape?.type !== "list") return;
  for (const item of value as unknown[]) {
    out.push(`<${tag}>`);
    encodeValue(model, shape.member.shape, item, out);
    out.push(`</${tag}>`);
  }
}

function respond(status: number, requestId: string, xml: string): WireResponse {
  const body = Buffer.from(xml, "utf8");
  return {
    status,
    headers: { "content-type": "text/xml", "content-length": String(body.length), "x-amzn-requestid": requestId },
    body,
  };
}

/**
 * awsQuery, as STS and IAM speak it: form-encoded requests flattened as the model says, XML answers
 * `<OpResponse><OpResult>…</OpResult><ResponseMetadata>…` and `<ErrorResponse>` errors.
 */
export function awsQueryCodec(xmlNamespace: string): ProtocolCodec {
  return {
    protocol: "query",

    decodeInput(model, operation, body) {
      const input = model.operations[operation]?.input;
      if (!input) return {};
      return (decodeValue(model, input, "", parseQueryForm(body)) ?? {}) as Record<string, unknown>;
    },

    encodeOutput(model, operation, output, requestId) {
      const op = model.operations[operation]!;
      const parts: string[] = [`<${operation}Response xmlns="${xmlNamespace}">`];
      if (op.output) {
        const wrapper = op.resultWrapper ?? `${operation}Result`;
        parts.push(`<${wrapper}>`);
        encodeValue(model, op.output, output ?? {}, parts);
        parts.push(`</${wrapper}>`);
      }
      parts.push(`<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata></${operation}Response>`);
      return respond(200, requestId, parts.join(""));
    },

    encodeError(error, requestId) {
      const xml =
        `<ErrorResponse xmlns="${xmlNamespace}"><Error><Type>${error.fault}</Type><Code>${escapeXml(error.code)}</Code>` +
        `<Message>${escapeXml(error.message)}</Message></Error><RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`;
      return respond(error.httpStatus, requestId, xml);
    },
  };
}
