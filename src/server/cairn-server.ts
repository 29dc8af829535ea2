import type { Server } from "node:http";
import { bootstrapAccount, type RootCredentials } from "../auth/bootstrap.js";
import { SecretBox } from "../auth/secret-box.js";
import { StoreCredentialResolver } from "../auth/store-credentials.js";
import { Authorizer } from "../auth/authorizer.js";
import type { ServerConfig } from "../config.js";
import { servicediscoveryApi } from "../services/servicediscovery/index.js";
import { cloudtrailApi } from "../services/cloudtrail/index.js";
import { iamApi } from "../services/iam/index.js";
import { stsApi } from "../services/sts/index.js";
import { startEventRetention } from "../audit/retention.js";
import { openStore } from "../store/open.js";
import type { Store } from "../store/store.js";
import { DiscoveryView } from "../view/discovery-view.js";
import { createHttpServer, listen } from "./http-server.js";
import { Pipeline } from "./pipeline.js";
import { reservedRoutes } from "./reserved.js";
import { Router } from "./router.js";
import { trustedProxies } from "./trusted-proxies.js";
import { VERSION } from "../version.js";

export interface RunningServer {
  url: string;
  port: number;
  accountId: string;
  /** Set when this start created the account and generated its root key. */
  generatedCredentials?: RootCredentials;
  /** Stops accepting, lets requests in flight finish, then closes the store. */
  close(): Promise<void>;
}

export type Logger = (message: string, error?: unknown) => void;

const stderrLogger: Logger = (message, error) => {
  process.stderr.write(`${new Date().toISOString()} ${message}${error ? `: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}` : ""}\n`);
};

export async function startServer(config: ServerConfig, log: Logger = stderrLogger): Promise<RunningServer> {
  const store: Store = await openStore(config.store);
  try {
    const box = SecretBox.open(config.dataDir);
    const { accountId, generated } = await bootstrapAccount(store, box, config.dataDir, config.bootstrap);
    const credentials = new StoreCredentialResolver(store, box);
    const authorizer = new Authorizer(store);
    const pipeline = new Pipeline({
      router: new Router([
        servicediscoveryApi,
        cloudtrailApi({ eventRetentionDays: config.eventRetentionDays }),
        iamApi({ box, forgetKey: (id) => credentials.forget(id), forgetPolicies: () => authorizer.forgetPolicies() }),
        stsApi({ box, minDurationSeconds: config.limits.stsMinDurationSeconds }),
      ]),
      store,
      credentials,
      authorizer,
      limits: config.limits,
      maxSkewMinutes: config.maxSkewMinutes,
      discovery: await DiscoveryView.load(store),
      recording: config.recordEvents,
      log,
    });
    const server: Server = createHttpServer({
      pipeline,
      maxBodyBytes: config.maxBodyBytes,
      reserved: reservedRoutes({ version: VERSION, startedAt: new Date() }),
      trustedProxies: trustedProxies(config.trustedProxies),
      log,
    });
    const address = await listen(server, config.port, config.host);
    const retention = startEventRetention(store, { retentionDays: config.eventRetentionDays, log });
    const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
    return {
      url: `http://${host}:${address.port}`,
      port: address.port,
      accountId,
      generatedCredentials: generated,
      async close() {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await retention.stop();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
