import { DEFAULT_LIMITS } from "../../src/config.js";
import { serverApis } from "../../src/server/apis.js";
import type { ApiDef } from "../../src/services/operation.js";

/** The operation tables a server routes on, for tests that read them; nothing runs through them here. */
export function apiTables(): ApiDef[] {
  return serverApis(DEFAULT_LIMITS);
}
