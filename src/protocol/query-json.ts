import type { ProtocolCodec, WireResponse } from "./codec.js";
import { encodeJsonOutput } from "./json-values.js";

function respond(status: number, requestId: string, payload: unknown): WireResponse {
  const body = Buffer.from(JSON.stringify(payload));
  return { status, headers: { "content-type": "application/json", "content-length": String(body.length), "x-amzn-requestid": requestId }, body };
}

/**
 * An awsQuery API answering in JSON, as STS does for `Accept: application/json` (EKS token verifiers such as
 * aws-iam-authenticator read a presigned GetCallerIdentity this way): the XML document's structure as JSON,
 * `{"<Op>Response": {"<Op>Result": {…}, "ResponseMetadata": {"RequestId": …}}}`, and errors as
 * `{"Error": {"Code", "Message", "Type"}, "RequestId"}`. Requests are read as awsQuery forms still.
 */
export function queryJsonCodec(query: ProtocolCodec): ProtocolCodec {
  return {
    protocol: query.protocol,
    decodeInput: (model, operation, body) => query.decodeInput(model, operation, body),
    encodeOutput(model, operation, output, requestId) {
      const shape = model.operations[operation]?.output;
      const result = shape && output !== undefined ? (encodeJsonOutput(model, shape, output) ?? {}) : {};
      return respond(200, requestId, { [`${operation}Response`]: { [`${operation}Result`]: result, ResponseMetadata: { RequestId: requestId } } });
    },
    encodeError(error, requestId) {
      return respond(error.httpStatus, requestId, { Error: { Code: error.code, Message: error.message, Type: error.fault }, RequestId: requestId });
    },
  };
}
