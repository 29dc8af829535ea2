import { Command } from "commander";
import { SecretBox } from "../auth/secret-box.js";
import { createServiceKey } from "../auth/service-keys.js";
import { openStore } from "../store/open.js";
import { serveConfig } from "./serve-options.js";

/** `cairn service-key --service ecs.amazonaws.com`: credentials for an AWS service's agent. */
export function serviceKeyCommand(): Command {
  return new Command("service-key")
    .description("create an access key that acts as an AWS service principal (e.g. ecs.amazonaws.com); prints it once as JSON")
    .requiredOption("--service <principal>", "the service principal, e.g. ecs.amazonaws.com")
    .option("--data-dir <dir>", "the server's data dir (env CAIRN_DATA_DIR; default ./cairn-data)")
    .option("--store <url>", "the server's store (env CAIRN_STORE; default sqlite:<data-dir>/cairn.db)")
    .action(async (flags: { service: string; dataDir?: string; store?: string }) => {
      const config = serveConfig({ dataDir: flags.dataDir, store: flags.store }, process.env);
      const store = await openStore(config.store);
      try {
        const key = await createServiceKey(store, SecretBox.open(config.dataDir), flags.service);
        process.stdout.write(JSON.stringify(key, null, 2) + "\n");
      } finally {
        await store.close();
      }
    });
}
