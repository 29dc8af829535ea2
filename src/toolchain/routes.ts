import type { IncomingMessage } from "node:http";
import type { WireResponse } from "../protocol/codec.js";
import type { PipelineAccess } from "../init/internal-call.js";
import { handleServiceDiscovery, handleTokenRequest, type PrometheusDeps } from "./prometheus-sd.js";
import { handleReset } from "./reset.js";
import type { ViewChanges } from "./view-changes.js";
import { handleWatch } from "./watch.js";
import { answering, type VerifyCairnCall } from "./signed-call.js";

export interface ToolchainDeps {
  verify: VerifyCairnCall;
  /** Set with `--allow-reset`; otherwise `/_cairn/reset` does not exist. */
  reset?: () => Promise<void>;
  /** The long-poll on discovery: DiscoverInstances through the pipeline, woken by view changes. */
  watch: { access: PipelineAccess; changes: ViewChanges };
  prometheus: PrometheusDeps;
}

/** The `/_cairn/` endpoints for test suites and tools; undefined (synchronously) for every other request. */
export function toolchainRoutes(deps: ToolchainDeps): (req: IncomingMessage) => Promise<WireResponse> | undefined {
  return (req) => {
    const path = (req.url ?? "").split("?", 1)[0];
    const { reset } = deps;
    if (path === "/_cairn/reset" && req.method === "POST" && reset) return answering(() => handleReset(req, deps.verify, reset));
    if (path === "/_cairn/watch" && req.method === "GET") return answering(() => handleWatch(req, deps.verify, deps.watch.access, deps.watch.changes));
    if (path === "/_cairn/prometheus/sd" && req.method === "GET") return answering(() => handleServiceDiscovery(req, deps.prometheus));
    if (path === "/_cairn/prometheus/token" && req.method === "POST") return answering(() => handleTokenRequest(req, deps.prometheus));
    return undefined;
  };
}
