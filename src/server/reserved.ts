import type { IncomingMessage } from "node:http";
import type { WireResponse } from "../protocol/codec.js";

function json(status: number, payload: unknown): WireResponse {
  const body = Buffer.from(JSON.stringify(payload));
  return { status, headers: { "content-type": "application/json", "content-length": String(body.length) }, body };
}

/** Cairn's own endpoints under `/_cairn/`, outside every AWS API. */
export function reservedRoutes(info: { version: string; startedAt: Date }) {
  return (req: IncomingMessage): WireResponse | undefined => {
    const path = (req.url ?? "").split("?", 1)[0];
    if (!path?.startsWith("/_cairn/")) return undefined;
    if (path === "/_cairn/health" && (req.method === "GET" || req.method === "HEAD")) {
      return json(200, { status: "ok", version: info.version, startedAt: info.startedAt.toISOString() });
    }
    return json(404, { message: `No such Cairn endpoint: ${path}` });
  };
}
