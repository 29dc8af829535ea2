import type { ApiDef } from "../../../src/services/operation.js";
import type { Random } from "./random.js";
import { RAW_MARK, hostile, plausible, stringifyWithRaw, type Corpus } from "./values.js";

/** How a fuzz request is sent: signed correctly, or broken at the HTTP/SigV4 level. */
export type Delivery = "signed" | "unsigned" | "garbage-signature" | "tampered-after-signing" | "raw-socket";

export interface FuzzRequest {
  /** What the generator did, for failure messages (with the seed, enough to replay). */
  label: string;
  api: ApiDef;
  operation: string;
  /** X-Amz-Target, possibly wrong. */
  target: string | undefined;
  contentType: string | undefined;
  region: string;
  body: Buffer;
  delivery: Delivery;
  /** For raw-socket requests: the exact bytes to write. */
  rawHttp?: (host: string) => Buffer;
}

type Path = (string | number)[];

/** Every path to a value inside `value`, the root included. */
function paths(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  return out;
}

function setAt(root: Record<string, unknown>, path: Path, value: unknown): void {
  let node: unknown = root;
  for (const key of path.slice(0, -1)) node = (node as Record<string | number, unknown>)[key];
  (node as Record<string | number, unknown>)[path[path.length - 1]!] = value;
}

function deleteAt(root: Record<string, unknown>, path: Path): void {
  let node: unknown = root;
  for (const key of path.slice(0, -1)) node = (node as Record<string | number, unknown>)[key];
  if (Array.isArray(node)) node.splice(Number(path[path.length - 1]), 1);
  else delete (node as Record<string, unknown>)[String(path[path.length - 1])];
}

/** Breaks a well-formed input in one of the ways clients get inputs wrong. */
function mutateInput(input: Record<string, unknown>, rnd: Random): string {
  const all = paths(input).filter((p) => p.length > 0);
  const kind = all.length === 0 ? "unknown-member" : rnd.pick(["wrong-value", "wrong-value", "drop", "unknown-member", "none-but-null"]);
  switch (kind) {
    case "wrong-value": {
      const p = rnd.pick(all);
      setAt(input, p, hostile(rnd));
      return `wrong-value@${p.join(".")}`;
    }
    case "drop": {
      const p = rnd.pick(all);
      deleteAt(input, p);
      return `drop@${p.join(".")}`;
    }
    case "none-but-null": {
      const p = rnd.pick(all);
      setAt(input, p, null);
      return `null@${p.join(".")}`;
    }
    default:
      input[rnd.pick(["Bogus", "__proto__", "constructor", "namespaceId", "MaxResults "])] = hostile(rnd);
      return "unknown-member";
  }
}

/** Whole bodies that are not a JSON object of the input, or not JSON at all. */
function brokenBody(json: string, rnd: Random): { label: string; body: Buffer } {
  const kind = rnd.pick(["truncated", "truncated", "invalid-utf8", "deep-nesting", "not-an-object", "garbage", "empty", "duplicate-keys", "huge"]);
  switch (kind) {
    case "truncated":
      return { label: kind, body: Buffer.from(json.slice(0, rnd.int(0, Math.max(0, json.length - 1)))) };
    case "invalid-utf8": {
      const bytes = Buffer.from(json);
      const at = rnd.int(0, bytes.length);
      return { label: kind, body: Buffer.concat([bytes.subarray(0, at), Buffer.from(rnd.pick([[0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xf0, 0x28, 0x8c]])), bytes.subarray(at)]) };
    }
    case "deep-nesting": {
      const depth = rnd.pick([100, 5000, 100_000]);
      const open = rnd.pick(['{"a":', "["]);
      const close = open === "[" ? "]" : "}";
      return { label: `${kind}-${depth}`, body: Buffer.from(`{"Filters":${open.repeat(depth)}1${close.repeat(depth)}}`) };
    }
    case "not-an-object":
      return { label: kind, body: Buffer.from(rnd.pick(["null", "[]", '"text"', "42", "true", "[{}]"])) };
    case "garbage":
      return { label: kind, body: Buffer.from(Array.from({ length: rnd.int(1, 200) }, () => rnd.int(0, 255))) };
    case "empty":
      return { label: kind, body: Buffer.alloc(0) };
    case "duplicate-keys":
      return { label: kind, body: Buffer.from(json.replace(/^\{/, '{"MaxResults":1,"MaxResults":"x",')) };
    default:
      // Over the 1 MiB limit: refused with 413 before it is read.
      return { label: kind, body: Buffer.alloc(1024 * 1024 + rnd.int(1, 1000), 0x20) };
  }
}

/** HTTP that Node's parser refuses, or that never completes correctly. */
function rawHttp(target: string | undefined, rnd: Random): { label: string; build: (host: string) => Buffer } {
  const kind = rnd.pick(["bad-chunked", "huge-header", "bad-content-length", "bad-request-line", "header-without-colon"]);
  const head = (host: string, extra: string) =>
    `POST / HTTP/1.1\r\nHost: ${host}\r\nX-Amz-Target: ${target ?? ""}\r\nContent-Type: application/x-amz-json-1.1\r\n${extra}`;
  switch (kind) {
    case "bad-chunked":
      return { label: kind, build: (h) => Buffer.from(`${head(h, "Transfer-Encoding: chunked\r\n\r\n")}zz\r\n{}\r\n0\r\n\r\n`) };
    case "huge-header":
      return { label: kind, build: (h) => Buffer.from(`${head(h, `X-Padding: ${"a".repeat(20_000)}\r\nContent-Length: 2\r\n\r\n`)}{}`) };
    case "bad-content-length":
      return { label: kind, build: (h) => Buffer.from(`${head(h, "Content-Length: -5\r\n\r\n")}{}`) };
    case "bad-request-line":
      return { label: kind, build: () => Buffer.from("POST /\x00 HTTP/9.9\r\n\r\n") };
    default:
      return { label: kind, build: (h) => Buffer.from(`${head(h, "Broken header line\r\nContent-Length: 2\r\n\r\n")}{}`) };
  }
}

/** awsQuery's form encoding (STS, IAM): `Action`, `Version`, then members flattened as `A.B.member.1`. */
function queryBody(api: ApiDef, operation: string, input: Record<string, unknown>): string {
  const pairs: [string, string][] = [["Action", operation], ["Version", api.model.metadata.apiVersion]];
  const flatten = (value: unknown, prefix: string): void => {
    if (Array.isArray(value)) value.forEach((v, i) => flatten(v, `${prefix}.member.${i + 1}`));
    else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k);
    else pairs.push([prefix, value === null ? "" : String(value).replace(RAW_MARK, "")]);
  };
  flatten(input, "");
  return new URLSearchParams(pairs).toString();
}

/**
 * One fuzz request for a random operation of a random API: mostly properly signed (so it reaches decoding and
 * validation) with a mutated input or a broken body; some with broken routing headers, broken or missing
 * signatures, or broken HTTP.
 */
export function fuzzRequest(apis: ApiDef[], rnd: Random, corpus: Corpus): FuzzRequest {
  const api = rnd.pick(apis);
  const operation = rnd.pick(Object.keys(api.operations));
  const opModel = api.model.operations[operation]!;
  const { metadata } = api.model;
  const query = metadata.protocol === "query";
  const targetOf = (op: string) => `${metadata.targetPrefix}.${op}`;
  const encode = (value: Record<string, unknown>) => (query ? queryBody(api, operation, value) : stringifyWithRaw(value));
  const input = (opModel.input ? plausible(api.model, opModel.input, rnd, corpus) : {}) as Record<string, unknown>;
  const labels: string[] = [`${api.signingName}.${operation}`];
  let target: string | undefined = query ? undefined : targetOf(operation);
  let contentType: string | undefined = query ? "application/x-www-form-urlencoded; charset=utf-8" : `application/x-amz-json-${metadata.jsonVersion ?? "1.1"}`;
  let region = rnd.chance(0.9) ? "us-east-1" : rnd.pick(["us-west-2", "eu-west-1"]);
  let delivery: Delivery = "signed";
  let body: Buffer;

  const roll = rnd.next();
  if (roll < 0.6) {
    for (let i = rnd.int(1, 3); i > 0; i--) labels.push(mutateInput(input, rnd));
    body = Buffer.from(encode(input));
  } else if (roll < 0.8) {
    const broken = brokenBody(encode(input), rnd);
    labels.push(broken.label);
    body = broken.body;
  } else {
    body = Buffer.from(encode(input));
    const kind = rnd.pick(["unsigned", "garbage-signature", "tampered", "target", "content-type", "region", "raw"]);
    labels.push(kind);
    if (kind === "unsigned") delivery = "unsigned";
    else if (kind === "garbage-signature") delivery = "garbage-signature";
    else if (kind === "tampered") delivery = "tampered-after-signing";
    else if (kind === "target") target = rnd.pick([undefined, "", "Nope.Nothing", targetOf("Bogus"), `${targetOf(operation)}x`, operation, `.${operation}`, targetOf("__proto__"), targetOf("constructor")]);
    else if (kind === "content-type") contentType = rnd.pick([undefined, "", "application/json", "text/plain", "application/x-amz-json-1.1; charset=\u00ff"]);
    else if (kind === "region") region = rnd.pick(["us-east-1x", "US-EAST-1", "a".repeat(300), "moon-central-1"]);
    else {
      delivery = "raw-socket";
      const broken = rawHttp(target, rnd);
      labels.push(broken.label);
      return { label: labels.join(" "), api, operation, target, contentType, region, body, delivery, rawHttp: broken.build };
    }
  }
  return { label: labels.join(" "), api, operation, target, contentType, region, body, delivery };
}
