import type { IncomingHttpHeaders } from "node:http";
import type { ApiDef } from "../services/operation.js";
import type { ProtocolCodec } from "../protocol/codec.js";
import { awsJsonCodec } from "../protocol/aws-json.js";
import { parseQueryForm } from "../protocol/aws-query.js";
import { queryJsonCodec } from "../protocol/query-json.js";
import { ServiceError, type ErrorSpec } from "../protocol/errors.js";
import { commonErrors } from "../protocol/common-errors.js";

export interface Route {
  api: ApiDef;
  operation: string;
  codec: ProtocolCodec;
  /** awsQuery fields sent in the query string (`GET /?Action=…`, presigned URLs) rather than the body. */
  form?: Buffer;
}

/** A request no operation answers, with the protocol its error is rendered in. */
export class RouteError extends ServiceError {
  constructor(
    readonly codec: ProtocolCodec,
    spec: ErrorSpec,
    message: string,
  ) {
    super(spec, message);
  }
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Whether an awsQuery caller asks for JSON (`Accept: application/json`), as AWS's query APIs honour. */
function acceptsJson(headers: IncomingHttpHeaders): boolean {
  return /(?:^|,)\s*application\/json\s*(?:;|,|$)/i.test(header(headers, "accept") ?? "");
}

/** The service named by a SigV4 credential scope (`Credential=AKID/date/region/service/aws4_request`). */
function scopeService(headers: IncomingHttpHeaders, query: string): string | undefined {
  const auth = header(headers, "authorization");
  const credential = auth ? /Credential=([^,\s]+)/.exec(auth)?.[1] : new URLSearchParams(query).get("X-Amz-Credential");
  return credential?.split("/")[3];
}

/**
 * Finds the API and operation a request names: `X-Amz-Target` for awsJson APIs; for awsQuery APIs (form
 * bodies), the SigV4 scope's service picks the API and the `Action` field the operation.
 */
export class Router {
  private readonly byTargetPrefix = new Map<string, ApiDef>();
  private readonly bySigningName = new Map<string, ApiDef>();
  /** The JSON variant of each awsQuery API's codec, for `Accept: application/json`. */
  private readonly jsonCodecs = new Map<ApiDef, ProtocolCodec>();

  constructor(apis: ApiDef[]) {
    for (const api of apis) {
      const prefix = api.model.metadata.targetPrefix;
      if (api.model.metadata.protocol === "json" && prefix) {
        this.byTargetPrefix.set(prefix, api);
        // Smithy-built SDKs (JS v3) send only the service shape's name: `CloudTrail_20131101.LookupEvents`.
        this.byTargetPrefix.set(prefix.slice(prefix.lastIndexOf(".") + 1), api);
      }
      if (api.model.metadata.protocol === "query" && api.codec) {
        this.bySigningName.set(api.signingName, api);
        this.jsonCodecs.set(api, queryJsonCodec(api.codec));
      }
    }
  }

  route(headers: IncomingHttpHeaders, body: Buffer, query = ""): Route {
    const target = header(headers, "x-amz-target");
    const contentType = header(headers, "content-type") ?? "";
    const mediaType = contentType.split(";")[0]!.trim().toLowerCase();
    if (!target && mediaType === "application/x-www-form-urlencoded") return this.routeQuery(headers, body, query);
    if (!target && /(?:^|&)Action=/.test(query)) {
      const form = Buffer.from(query);
      return { ...this.routeQuery(headers, form, query), form };
    }
    if (!target) {
      throw commonErrors.UnknownOperationException("The request does not name an operation (missing X-Amz-Target).");
    }
    const dot = target.lastIndexOf(".");
    const api = dot > 0 ? this.byTargetPrefix.get(target.slice(0, dot)) : undefined;
    const operation = target.slice(dot + 1);
    // Own properties only: `constructor` or `__proto__` name no operation.
    if (!api || !Object.hasOwn(api.operations, operation) || !Object.hasOwn(api.model.operations, operation)) {
      throw commonErrors.UnknownOperationException(`Unknown operation ${target}`);
    }
    if (mediaType !== "application/x-amz-json-1.1" && mediaType !== "application/x-amz-json-1.0") {
      throw commonErrors.UnsupportedMediaTypeException(`Unsupported content type: ${contentType || "(none)"}; expected application/x-amz-json-1.1`);
    }
    return { api, operation, codec: awsJsonCodec };
  }

  private routeQuery(headers: IncomingHttpHeaders, form: Buffer, query: string): Route {
    const service = scopeService(headers, query);
    // Unsigned form requests still get an awsQuery answer; SigV4 then refuses them.
    const api = (service && this.bySigningName.get(service)) || this.bySigningName.get("sts");
    if (!api?.codec) throw commonErrors.UnknownOperationException("No API answers form-encoded requests.");
    const codec = acceptsJson(headers) ? this.jsonCodecs.get(api)! : api.codec;
    const action = parseQueryForm(form).get("Action") ?? "";
    if (!Object.hasOwn(api.operations, action) || !Object.hasOwn(api.model.operations, action)) {
      throw new RouteError(codec, commonErrors.InvalidAction.spec, `Could not find operation ${action} for version ${api.model.metadata.apiVersion}`);
    }
    return { api, operation: action, codec };
  }
}
