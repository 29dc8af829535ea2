import fs from "node:fs";
import type { Server } from "node:http";
import { bootstrapAccount, type RootCredentials } from "../auth/bootstrap.js";
import { SecretBox } from "../auth/secret-box.js";
import { StoreCredentialResolver } from "../auth/store-credentials.js";
import { Authorizer } from "../auth/authorizer.js";
import type { ServerConfig } from "../config.js";
import { startEventRetention } from "../audit/retention.js";
import { instrumentStore } from "../observability/instrumented-store.js";
import type { Logger } from "../observability/logger.js";
import { Metrics } from "../observability/metrics.js";
import { requestObserver } from "../observability/request-log.js";
import { createTrailDelivery } from "../delivery/trail-delivery.js";
import { createEventBus } from "../event-delivery/event-bus.js";
import { openStore } from "../store/open.js";
import type { Store } from "../store/store.js";
import { DiscoveryView } from "../view/discovery-view.js";
import { followStore } from "../view/follow-store.js";
import { serverApis } from "./apis.js";
import { consoleRoutes, loadConsoleFiles } from "./console.js";
import { createHttpServer, listen } from "./http-server.js";
import { Pipeline } from "./pipeline.js";
import { isReservedPath, reservedRoutes } from "./reserved.js";
import { Router } from "./router.js";
import { Throttle } from "./throttle.js";
import { trustedProxies } from "./trusted-proxies.js";
import { servedRegions } from "./served-regions.js";
import { VERSION } from "../version.js";
import { startDnsServer, type DnsServer } from "../dns/server.js";
import { deliveryObserver, dnsMetrics, healthMetrics } from "../observability/job-observers.js";
import { HealthProber } from "../health/prober.js";
import { HealthCheckTargets } from "../health/target-rule.js";
import { runInitFile } from "../init/run-init.js";
import { toolchainRoutes } from "../toolchain/routes.js";
import { storeReset } from "../toolchain/reset.js";
import { cairnCallVerifier } from "../toolchain/signed-call.js";
import { ViewChanges } from "../toolchain/view-changes.js";

export interface RunningServer {
  url: string;
  port: number;
  accountId: string;
  /** The DNS listener (UDP and TCP on one port); absent when the DNS port is 0. */
  dns?: { host: string; port: number };
  /** Set when this start created the account and generated its root key. */
  generatedCredentials?: RootCredentials;
  /** What `/_cairn/metrics` shows; background jobs feed it too. */
  metrics: Metrics;
  /** Stops accepting, lets requests in flight finish, then closes the store. */
  close(): Promise<void>;
}

/** Where a background job's problems (a lost PostgreSQL connection, a failed delivery) are reported. */
function problemsOf(logger: Logger, job: string): (message: string, error?: unknown) => void {
  const log = logger.child({ job });
  return (message, error) => log.warn(message, {}, error);
}

export async function startServer(config: ServerConfig, logger: Logger, metrics = new Metrics()): Promise<RunningServer> {
  // Read before anything opens, so that a wrong path fails the start with a plain message.
  const tls = config.tls && { cert: fs.readFileSync(config.tls.certFile), key: fs.readFileSync(config.tls.keyFile) };
  const store: Store = instrumentStore(await openStore(config.store, problemsOf(logger, "store")), metrics);
  let dns: DnsServer | undefined;
  try {
    const box = SecretBox.open(config.dataDir);
    const { accountId, generated } = await bootstrapAccount(store, box, config.dataDir, config.bootstrap);
    const discovery = await DiscoveryView.load(store);
    // Every committed change (this node's, and other nodes' on PostgreSQL) reaches the view through the store.
    const unfollow = followStore(store, discovery, problemsOf(logger, "store"));
    const credentials = new StoreCredentialResolver(store, box);
    const authorizer = new Authorizer(store);
    // One node of a cluster delivers trails; a node that loses the lease stops before its next cycle.
    const deliveryLease = store.lease("trail-delivery");
    const delivery = createTrailDelivery(store, box, config, problemsOf(logger, "delivery"), {
      mayRun: () => deliveryLease.held,
      observer: deliveryObserver(metrics, logger.child({ job: "delivery" })),
    });
    const regions = servedRegions(config.regions);
    // Filled once the listeners are up: health checks never probe Cairn's own ports.
    const ownPorts: number[] = [];
    const healthCheckTargets = new HealthCheckTargets({ allowed: config.healthCheckTargets, ownPorts: () => ownPorts });
    const eventBus = createEventBus(store, box, healthCheckTargets, metrics, logger);
    const apis = serverApis(config.limits);
    const router = new Router(apis);
    const pipeline = new Pipeline({
      router,
      store,
      credentials,
      authorizer,
      limits: config.limits,
      healthCheckTargets,
      maxSkewMinutes: config.maxSkewMinutes,
      regions: new Set(regions),
      discovery,
      appendRecord: (tx, event) => eventBus.feed.record(tx, event),
      recording: config.recordEvents,
      logger,
      throttle: new Throttle(config.throttleScale, config.limits),
      services: {
        box,
        sink: delivery.sink,
        eventRetentionDays: config.eventRetentionDays,
        eventFeed: eventBus.feed,
      },
    });
    if (config.initFile) {
      await runInitFile(config.initFile, { apis, router, pipeline, store, accountId, defaultRegion: config.region, regions, dataDir: config.dataDir });
    }
    const webConsole = consoleRoutes(loadConsoleFiles());
    const cairnRoutes = reservedRoutes({ version: VERSION, startedAt: new Date(), metrics, regions });
    const watches = new ViewChanges(discovery);
    const verify = cairnCallVerifier({ credentials, regions: new Set(regions), maxSkewMinutes: config.maxSkewMinutes, maxBodyBytes: config.maxBodyBytes });
    const access = { apis, router, pipeline };
    const toolchain = toolchainRoutes({
      verify,
      reset: config.allowReset ? storeReset(store) : undefined,
      watch: { access, changes: watches },
      prometheus: { verify, credentials, discovery, access, defaultRegion: config.region, regions: new Set(regions) },
    });
    const server: Server = createHttpServer({
      pipeline,
      limits: config,
      tls,
      // Every reserved path lies under /console or /_cairn/: API calls (`POST /`) skip the three routers.
      reserved: (req) => (isReservedPath(req.url ?? "") ? (webConsole(req) ?? toolchain(req) ?? cairnRoutes(req)) : undefined),
      trustedProxies: trustedProxies(config.trustedProxies),
      logger,
      observe: requestObserver(logger, metrics),
    });
    if (config.dnsPort !== 0) {
      const tcp = { idleMs: config.dnsTcpIdleTimeoutSeconds * 1000, maxConnections: config.dnsTcpConnections };
      dns = await startDnsServer(discovery, { host: config.host, port: config.dnsPort, tcp, rateLimit: config.dnsRateLimit }, dnsMetrics(metrics));
    }
    const address = await listen(server, config.port, config.host);
    ownPorts.push(address.port, ...(dns ? [dns.port] : []));
    const healthLease = store.lease("health-checks");
    const prober = new HealthProber({
      view: discovery,
      store,
      intervalMs: config.healthIntervalSeconds * 1000,
      targets: healthCheckTargets,
      logger: logger.child({ job: "health" }),
      observer: healthMetrics(metrics),
      // One node of a cluster probes; its results reach the others through the store.
      isActive: () => healthLease.held,
    });
    prober.start();
    const retention = startEventRetention(store, { retentionDays: config.eventRetentionDays, logger: logger.child({ job: "retention" }) });
    delivery.scheduler.start();
    eventBus.start();
    const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
    return {
      url: `${tls ? "https" : "http"}://${host}:${address.port}`,
      port: address.port,
      dns: dns && { host: dns.host, port: dns.port },
      accountId,
      generatedCredentials: generated,
      metrics,
      async close() {
        // Long-polls answer now rather than hold the drain for up to their wait.
        watches.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await prober.stop();
        await healthLease.release();
        await dns?.close();
        await retention.stop();
        // Pending trail deliveries go out before the store closes.
        await delivery.stop();
        await deliveryLease.release();
        await eventBus.stop();
        unfollow();
        credentials.close();
        authorizer.close();
        await store.close();
        if (config.ephemeral) fs.rmSync(config.dataDir, { recursive: true, force: true });
        logger.flush();
      },
    };
  } catch (error) {
    await dns?.close();
    await store.close();
    if (config.ephemeral) fs.rmSync(config.dataDir, { recursive: true, force: true });
    throw error;
  }
}
