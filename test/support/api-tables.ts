import { SecretBox } from "../../src/auth/secret-box.js";
import { FolderSink } from "../../src/delivery/folder-sink.js";
import { serverApis } from "../../src/server/apis.js";
import type { ApiDef } from "../../src/services/operation.js";
import { tempDataDir } from "./cairn-process.js";

/** The operation tables a server routes on, for tests that read them; their trail dependencies are real but idle. */
export function apiTables(): ApiDef[] {
  const dir = tempDataDir();
  return serverApis({ eventRetentionDays: 90 }, { sink: new FolderSink(dir), box: SecretBox.open(dir) });
}
