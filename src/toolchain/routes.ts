import type { IncomingMessage } from "node:http";
import type { WireResponse } from "../protocol/codec.js";
import { handleReset } from "./reset.js";
import { answering, type VerifyCairnCall } from "./signed-call.js";

export interface ToolchainDeps {
  verify: VerifyCairnCall;
  /** Set with `--allow-reset`; otherwise `/_cairn/reset` does not exist. */
  reset?: () => Promise<void>;
}

/** The `/_cairn/` endpoints for test suites and tools; undefined (synchronously) for every other request. */
export function toolchainRoutes(deps: ToolchainDeps): (req: IncomingMessage) => Promise<WireResponse> | undefined {
  return (req) => {
    const path = (req.url ?? "").split("?", 1)[0];
    const { reset } = deps;
    if (path === "/_cairn/reset" && req.method === "POST" && reset) return answering(() => handleReset(req, deps.verify, reset));
    return undefined;
  };
}
