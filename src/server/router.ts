import type { IncomingHttpHeaders } from "node:http";
import type { ApiDef } from "../services/operation.js";
import type { ProtocolCodec } from "../protocol/codec.js";
import { awsJsonCodec } from "../protocol/aws-json.js";
import { ServiceError } from "../protocol/errors.js";

export interface Route {
  api: ApiDef;
  operation: string;
  codec: ProtocolCodec;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Finds the API and operation a request names: `X-Amz-Target` for awsJson APIs. */
export class Router {
  private readonly byTargetPrefix = new Map<string, ApiDef>();

  constructor(apis: ApiDef[]) {
    for (const api of apis) {
      const prefix = api.model.metadata.targetPrefix;
      if (api.model.metadata.protocol === "json" && prefix) {
        this.byTargetPrefix.set(prefix, api);
        // Smithy-built SDKs (JS v3) send only the service shape's name: `CloudTrail_20131101.LookupEvents`.
        this.byTargetPrefix.set(prefix.slice(prefix.lastIndexOf(".") + 1), api);
      }
    }
  }

  route(headers: IncomingHttpHeaders): Route {
    const target = header(headers, "x-amz-target");
    if (!target) {
      throw new ServiceError("UnknownOperationException", "The request does not name an operation (missing X-Amz-Target).");
    }
    const dot = target.lastIndexOf(".");
    const api = dot > 0 ? this.byTargetPrefix.get(target.slice(0, dot)) : undefined;
    const operation = target.slice(dot + 1);
    // Own properties only: `constructor` or `__proto__` name no operation.
    if (!api || !Object.hasOwn(api.operations, operation) || !Object.hasOwn(api.model.operations, operation)) {
      throw new ServiceError("UnknownOperationException", `Unknown operation ${target}`);
    }
    const contentType = header(headers, "content-type") ?? "";
    const mediaType = contentType.split(";")[0]!.trim().toLowerCase();
    if (mediaType !== "application/x-amz-json-1.1" && mediaType !== "application/x-amz-json-1.0") {
      throw new ServiceError("UnsupportedMediaTypeException", `Unsupported content type: ${contentType || "(none)"}; expected application/x-amz-json-1.1`, {
        httpStatus: 415,
      });
    }
    return { api, operation, codec: awsJsonCodec };
  }
}
