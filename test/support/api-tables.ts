import { SecretBox } from "../../src/auth/secret-box.js";
import { DEFAULT_LIMITS } from "../../src/config.js";
import { FolderSink } from "../../src/delivery/folder-sink.js";
import { serverApis } from "../../src/server/apis.js";
import type { ApiDef } from "../../src/services/operation.js";
import { tempDataDir } from "./cairn-process.js";

/** The operation tables a server routes on, for tests that read them; nothing runs through them here. */
export function apiTables(): ApiDef[] {
  const dir = tempDataDir();
  return serverApis(
    { eventRetentionDays: 90, limits: DEFAULT_LIMITS },
    { sink: new FolderSink(dir), box: SecretBox.open(dir), forgetKey: () => undefined, forgetPolicies: () => undefined, forgetOwner: () => undefined },
  );
}
