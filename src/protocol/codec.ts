import type { ApiModel } from "./model-types.js";
import type { ServiceError } from "./errors.js";

/** An encoded HTTP answer, ready for the listener to write. */
export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  /** One buffer, or pieces written one after another (see EncodedJson). */
  body: Buffer | readonly Buffer[];
}

/** A response's body as one string, for Cairn's own callers of the pipeline (init files, watch, Prometheus SD). */
export function bodyText(body: WireResponse["body"]): string {
  return (Buffer.isBuffer(body) ? body : Buffer.concat(body)).toString("utf8");
}

/** One wire protocol (awsJson 1.1, awsQuery): request bytes in, response bytes out. */
export interface ProtocolCodec {
  readonly protocol: "json" | "query";
  /** Parses the body into the operation's input, with timestamps as Dates; throws ServiceError on garbage. */
  decodeInput(model: ApiModel, operation: string, body: Buffer): Record<string, unknown>;
  encodeOutput(model: ApiModel, operation: string, output: unknown, requestId: string): WireResponse;
  encodeError(error: ServiceError, requestId: string): WireResponse;
}
