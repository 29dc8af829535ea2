import type { IncomingMessage } from "node:http";
import type { Metrics } from "../observability/metrics.js";
import type { WireResponse } from "../protocol/codec.js";
import { CONSOLE_PREFIX } from "./console.js";

function respond(status: number, contentType: string, text: string): WireResponse {
  const body = Buffer.from(text);
  return { status, headers: { "content-type": contentType, "content-length": String(body.length) }, body };
}

const json = (status: number, payload: unknown): WireResponse => respond(status, "application/json", JSON.stringify(payload));

/** Whether a request target may name a reserved path (the console's or one under `/_cairn/`); API calls go to `/`. */
export function isReservedPath(url: string): boolean {
  return url.startsWith("/_cairn/") || url.startsWith(CONSOLE_PREFIX);
}

/** Cairn's own endpoints under `/_cairn/`, outside every AWS API: health, Prometheus metrics, the served regions. */
export function reservedRoutes(info: { version: string; startedAt: Date; metrics: Metrics; regions: readonly string[] }) {
  const answer = async (req: IncomingMessage, path: string): Promise<WireResponse> => {
    const read = req.method === "GET" || req.method === "HEAD";
    if (path === "/_cairn/health" && read) {
      return json(200, { status: "ok", version: info.version, startedAt: info.startedAt.toISOString() });
    }
    // Unsigned, like health: the console's region pickers read it before anyone signs in.
    if (path === "/_cairn/regions" && read) return json(200, info.regions);
    if (path === "/_cairn/metrics" && read) {
      const { contentType, body } = await info.metrics.exposition();
      return respond(200, contentType, body);
    }
    // Shaped like every other error Cairn answers.
    return json(404, { __type: "UnknownOperationException", Message: `No such Cairn endpoint: ${req.method ?? "?"} ${path}` });
  };
  // Synchronous for every other path: API calls go on without waiting a tick.
  return (req: IncomingMessage): Promise<WireResponse> | undefined => {
    const path = (req.url ?? "").split("?", 1)[0];
    return path?.startsWith("/_cairn/") ? answer(req, path) : undefined;
  };
}
