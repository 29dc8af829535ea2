import { randomUUID } from "node:crypto";
import type { Principal } from "../auth/principal.js";
import { ServiceError, errorSpec } from "../protocol/errors.js";
import type { ApiDef } from "../services/operation.js";
import type { Pipeline } from "../server/pipeline.js";
import type { Router } from "../server/router.js";
import { bodyText, type WireResponse } from "../protocol/codec.js";

/** Calls an operation and returns its output (as the JSON wire shows it), or throws its AWS error. */
export type CallApi = (signingName: string, operation: string, input: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** awsQuery's form encoding of an input: `Tags.member.1.Key=…` for lists, `A.B=…` for structures. */
function formEncode(input: Record<string, unknown>): string {
  const form = new URLSearchParams();
  const put = (prefix: string, value: unknown): void => {
    if (value === undefined || value === null) return;
    if (Array.isArray(value)) value.forEach((v, i) => put(`${prefix}.member.${i + 1}`, v));
    else if (typeof value === "object") for (const [k, v] of Object.entries(value)) put(`${prefix}.${k}`, v);
    else form.append(prefix, String(value));
  };
  for (const [key, value] of Object.entries(input)) put(key, value);
  return form.toString();
}

/** Who an internal call is made as, and what its CloudTrail record says about where it came from. */
export interface InternalCaller {
  principal: Principal;
  region: string;
  userAgent?: string;
  sourceIp: string;
}

/** What calling through the pipeline needs: the API table, its router, and the pipeline. */
export interface PipelineAccess {
  apis: readonly ApiDef[];
  router: Router;
  pipeline: Pipeline;
}

/**
 * Calls an operation from inside the server as `who`, through the pipeline HTTP requests take after SigV4:
 * routing, decoding, validation, authorisation, the handler and the CloudTrail record are the same. The answer
 * is JSON (awsQuery APIs through their JSON variant), errors included.
 */
export function callThroughPipeline(access: PipelineAccess, who: InternalCaller, signingName: string, operation: string, input: Record<string, unknown>): Promise<WireResponse> {
  const api = access.apis.find((a) => a.signingName === signingName);
  if (!api) throw new Error(`no API is signed as ${signingName}`);
  const query = api.model.metadata.protocol === "query";
  const body = Buffer.from(query ? formEncode({ Action: operation, Version: api.model.metadata.apiVersion, ...input }) : JSON.stringify(input));
  const headers = query
    ? {
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json",
        // The router picks an awsQuery API by the signing name of the credential scope.
        authorization: `AWS4-HMAC-SHA256 Credential=internal/20000101/${who.region}/${signingName}/aws4_request`,
      }
    : { "content-type": "application/x-amz-json-1.1", "x-amz-target": `${api.model.metadata.targetPrefix}.${operation}` };
  const route = access.router.route(headers, body);
  const origin = { requestId: randomUUID(), sourceIp: who.sourceIp, userAgent: who.userAgent };
  return access.pipeline.invoke(route, body, origin, who.principal, who.region);
}

/** Calls as `who`, returning the output or throwing the AWS error. */
export function internalCaller(access: PipelineAccess, who: InternalCaller): CallApi {
  return async (signingName, operation, input) => {
    const response = await callThroughPipeline(access, who, signingName, operation, input);
    const text = bodyText(response.body);
    const payload = JSON.parse(text.length > 0 ? text : "{}") as Record<string, unknown>;
    if (response.status >= 400) {
      const error = (payload.Error as Record<string, unknown> | undefined) ?? payload;
      const code = String(error.Code ?? error.__type ?? "InternalFailure").replace(/^.*#/, "");
      throw new ServiceError(errorSpec(code, response.status), String(error.Message ?? error.message ?? ""));
    }
    return unwrapQueryJson(payload, operation);
  };
}

/** awsQuery's JSON answers wrap the output: `{"CreateUserResponse": {"CreateUserResult": {...}}}`. */
function unwrapQueryJson(payload: Record<string, unknown>, operation: string): Record<string, unknown> {
  const response = payload[`${operation}Response`] as Record<string, unknown> | undefined;
  return (response?.[`${operation}Result`] as Record<string, unknown> | undefined) ?? payload;
}
