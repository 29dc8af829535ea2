import type { Server } from "node:http";
import { bootstrapAccount, type RootCredentials } from "../auth/bootstrap.js";
import { SecretBox } from "../auth/secret-box.js";
import { StoreCredentialResolver } from "../auth/store-credentials.js";
import type { ServerConfig } from "../config.js";
import { servicediscoveryApi } from "../services/servicediscovery/index.js";
import { cloudtrailApi } from "../services/cloudtrail/index.js";
import { startEventRetention } from "../audit/retention.js";
import { openStore } from "../store/open.js";
import type { Store } from "../store/store.js";
import { DiscoveryView } from "../view/discovery-view.js";
import { followStore } from "../view/follow-store.js";
import { consoleRoutes, loadConsoleFiles } from "./console.js";
import { createHttpServer, listen } from "./http-server.js";
import { Pipeline } from "./pipeline.js";
import { reservedRoutes } from "./reserved.js";
import { Router } from "./router.js";
import { trustedProxies } from "./trusted-proxies.js";
import { VERSION } from "../version.js";
import { startDnsServer, type DnsServer } from "../dns/server.js";
import type { DnsObserver } from "../dns/observer.js";
import { HealthProber } from "../health/prober.js";
import type { HealthObserver } from "../health/observer.js";

export interface RunningServer {
  url: string;
  port: number;
  accountId: string;
  /** The DNS listener (UDP and TCP on one port); absent when the DNS port is 0. */
  dns?: { host: string; port: number };
  /** Set when this start created the account and generated its root key. */
  generatedCredentials?: RootCredentials;
  /** Stops accepting, lets requests in flight finish, then closes the store. */
  close(): Promise<void>;
}

export type Logger = (message: string, error?: unknown) => void;

/** Optional call sites for whoever embeds the server: metrics. */
export interface ServerHooks {
  dnsObserver?: DnsObserver;
  healthObserver?: HealthObserver;
}

const stderrLogger: Logger = (message, error) => {
  process.stderr.write(`${new Date().toISOString()} ${message}${error ? `: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}` : ""}\n`);
};

export async function startServer(config: ServerConfig, log: Logger = stderrLogger, hooks: ServerHooks = {}): Promise<RunningServer> {
  const store: Store = await openStore(config.store, log);
  let dns: DnsServer | undefined;
  try {
    const box = SecretBox.open(config.dataDir);
    const { accountId, generated } = await bootstrapAccount(store, box, config.dataDir, config.bootstrap);
    const discovery = await DiscoveryView.load(store);
    // Other nodes' changes (PostgreSQL) reach this node's view through the store's notifications.
    const unfollow = followStore(store, discovery, log);
    const credentials = new StoreCredentialResolver(store, box);
    const pipeline = new Pipeline({
      router: new Router([servicediscoveryApi, cloudtrailApi({ eventRetentionDays: config.eventRetentionDays })]),
      store,
      credentials,
      limits: config.limits,
      maxSkewMinutes: config.maxSkewMinutes,
      discovery,
      recording: config.recordEvents,
      log,
    });
    const webConsole = consoleRoutes(loadConsoleFiles());
    const cairnRoutes = reservedRoutes({ version: VERSION, startedAt: new Date() });
    const server: Server = createHttpServer({
      pipeline,
      maxBodyBytes: config.maxBodyBytes,
      reserved: (req) => webConsole(req) ?? cairnRoutes(req),
      trustedProxies: trustedProxies(config.trustedProxies),
      log,
    });
    if (config.dnsPort !== 0) dns = await startDnsServer(discovery, config.host, config.dnsPort, hooks.dnsObserver);
    const address = await listen(server, config.port, config.host);
    const healthLease = store.lease("health-checks");
    const prober = new HealthProber({
      view: discovery,
      store,
      intervalMs: config.healthIntervalSeconds * 1000,
      log,
      observer: hooks.healthObserver,
      // One node of a cluster probes; its results reach the others through the store.
      isActive: () => healthLease.held,
    });
    prober.start();
    const retention = startEventRetention(store, { retentionDays: config.eventRetentionDays, log });
    const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
    return {
      url: `http://${host}:${address.port}`,
      port: address.port,
      dns: dns && { host: dns.host, port: dns.port },
      accountId,
      generatedCredentials: generated,
      async close() {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await prober.stop();
        await healthLease.release();
        await dns?.close();
        await retention.stop();
        unfollow();
        credentials.close();
        await store.close();
      },
    };
  } catch (error) {
    await dns?.close();
    await store.close();
    throw error;
  }
}
