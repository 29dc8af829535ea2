import fs from "node:fs";
import type { Server } from "node:http";
import { bootstrapAccount, type RootCredentials } from "../auth/bootstrap.js";
import { SecretBox } from "../auth/secret-box.js";
import { StoreCredentialResolver } from "../auth/store-credentials.js";
import type { ServerConfig } from "../config.js";
import { startEventRetention } from "../audit/retention.js";
import { instrumentStore } from "../observability/instrumented-store.js";
import type { Logger } from "../observability/logger.js";
import { Metrics } from "../observability/metrics.js";
import { requestObserver } from "../observability/request-log.js";
import { openStore } from "../store/open.js";
import type { Store } from "../store/store.js";
import { DiscoveryView } from "../view/discovery-view.js";
import { serverApis } from "./apis.js";
import { createHttpServer, listen } from "./http-server.js";
import { Pipeline } from "./pipeline.js";
import { reservedRoutes } from "./reserved.js";
import { Router } from "./router.js";
import { Throttle } from "./throttle.js";
import { trustedProxies } from "./trusted-proxies.js";
import { VERSION } from "../version.js";

export interface RunningServer {
  url: string;
  port: number;
  accountId: string;
  /** Set when this start created the account and generated its root key. */
  generatedCredentials?: RootCredentials;
  /** What `/_cairn/metrics` shows; background jobs feed it too. */
  metrics: Metrics;
  /** Stops accepting, lets requests in flight finish, then closes the store. */
  close(): Promise<void>;
}

export async function startServer(config: ServerConfig, logger: Logger, metrics = new Metrics()): Promise<RunningServer> {
  // Read before anything opens, so that a wrong path fails the start with a plain message.
  const tls = config.tls && { cert: fs.readFileSync(config.tls.certFile), key: fs.readFileSync(config.tls.keyFile) };
  const store: Store = instrumentStore(await openStore(config.store), metrics);
  try {
    const box = SecretBox.open(config.dataDir);
    const { accountId, generated } = await bootstrapAccount(store, box, config.dataDir, config.bootstrap);
    const pipeline = new Pipeline({
      router: new Router(serverApis(config)),
      store,
      credentials: new StoreCredentialResolver(store, box),
      limits: config.limits,
      maxSkewMinutes: config.maxSkewMinutes,
      discovery: await DiscoveryView.load(store),
      recording: config.recordEvents,
      logger,
      throttle: new Throttle(config.throttleScale, config.limits),
    });
    const server: Server = createHttpServer({
      pipeline,
      limits: config,
      tls,
      reserved: reservedRoutes({ version: VERSION, startedAt: new Date(), metrics }),
      trustedProxies: trustedProxies(config.trustedProxies),
      logger,
      observe: requestObserver(logger, metrics),
    });
    const address = await listen(server, config.port, config.host);
    const retention = startEventRetention(store, { retentionDays: config.eventRetentionDays, logger: logger.child({ job: "retention" }) });
    const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
    return {
      url: `${tls ? "https" : "http"}://${host}:${address.port}`,
      port: address.port,
      accountId,
      generatedCredentials: generated,
      metrics,
      async close() {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await retention.stop();
        await store.close();
        logger.flush();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
