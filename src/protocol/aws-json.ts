import type { ProtocolCodec, WireResponse } from "./codec.js";
import { EncodedJson } from "./encoded-json.js";
import { commonErrors } from "./common-errors.js";
import { decodeJsonInput, encodeJsonOutput } from "./json-values.js";

const CONTENT_TYPE = "application/x-amz-json-1.1";

function respond(status: number, requestId: string, payload: unknown, extra: Record<string, string> = {}): WireResponse {
  const encoded = payload instanceof EncodedJson ? payload : new EncodedJson(Buffer.from(JSON.stringify(payload)));
  // One piece is written as a plain buffer.
  const body = encoded.chunks.length === 1 ? encoded.chunks[0]! : encoded.chunks;
  return {
    status,
    headers: {
      "content-type": CONTENT_TYPE,
      "content-length": String(encoded.length),
      "x-amzn-requestid": requestId,
      ...extra,
    },
    body,
  };
}

/** awsJson 1.1, as Cloud Map and CloudTrail speak it. */
export const awsJsonCodec: ProtocolCodec = {
  protocol: "json",

  decodeInput(model, operation, body) {
    const op = model.operations[operation];
    let parsed: unknown = {};
    if (body.length > 0) {
      try {
        parsed = JSON.parse(body.toString("utf8"));
      } catch {
        throw commonErrors.SerializationException("Start of structure or map found where not expected.");
      }
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      throw commonErrors.SerializationException("Request body must be a JSON object.");
    }
    if (!op?.input) return {};
    return decodeJsonInput(model, op.input, parsed) as Record<string, unknown>;
  },

  encodeOutput(model, operation, output, requestId) {
    if (output instanceof EncodedJson) return respond(200, requestId, output);
    const shape = model.operations[operation]?.output;
    const payload = shape && output !== undefined ? encodeJsonOutput(model, shape, output) : {};
    return respond(200, requestId, payload ?? {});
  },

  encodeError(error, requestId) {
    // `Message` is what botocore maps onto modeled errors; SDKs accept either casing.
    const payload = { __type: error.code, Message: error.message, ...error.fields };
    return respond(error.httpStatus, requestId, payload, { "x-amzn-errortype": error.code });
  },
};
