import type { IncomingMessage } from "node:http";
import { performance } from "node:perf_hooks";
import type { CallOrigin } from "../audit/record.js";
import type { WireResponse } from "../protocol/codec.js";
import type { Logger } from "./logger.js";
import type { Metrics } from "./metrics.js";
import type { RequestFacts } from "./request-facts.js";

/** Called once per answered request, with when it started (performance.now()). */
export type RequestObserver = (req: IncomingMessage, origin: CallOrigin, facts: RequestFacts, response: WireResponse, startedAt: number) => void;

/**
 * One log line and one metrics sample per request. The line holds facts only (ids, names, status, timing),
 * never a header, a body, a signature, a key or a token. Cairn's own `/_cairn/*` requests log at debug,
 * so that health probes do not drown the API's lines.
 */
export function requestObserver(logger: Logger, metrics: Metrics): RequestObserver {
  return (req, origin, facts, response, startedAt) => {
    const seconds = (performance.now() - startedAt) / 1000;
    const errorCode = response.headers["x-amzn-errortype"];
    if (facts.api === undefined) {
      const path = (req.url ?? "").split("?", 1)[0] ?? "";
      if (path.startsWith("/_cairn/")) {
        logger.debug("request", { requestId: origin.requestId, method: req.method, path, status: response.status, durationMs: round(seconds * 1000) });
        return;
      }
    }
    metrics.request(facts.api ?? "unknown", facts.operation ?? "unknown", response.status, errorCode, seconds);
    const fields = {
      requestId: origin.requestId,
      api: facts.api,
      operation: facts.operation,
      principal: facts.principalArn,
      region: facts.region,
      sourceIp: origin.sourceIp,
      status: response.status,
      errorCode,
      durationMs: round(seconds * 1000),
    };
    if (response.status >= 500) logger.warn("request", fields);
    else logger.info("request", fields);
  };
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
