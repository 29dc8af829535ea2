/**
 * Runs a Cairn server in a worker thread for the benchmarks, so that the load generator on the main thread
 * does not share the server's event loop. Started with the ServerConfig overrides in `workerData`.
 */
import { parentPort, workerData } from "node:worker_threads";
import { defaultConfig, type ServerConfig } from "../src/config.js";
import { silentLogger } from "../src/observability/logger.js";
import { startServer } from "../src/server/cairn-server.js";

const overrides = workerData as Partial<ServerConfig>;
const server = await startServer(defaultConfig({ port: 0, dnsPort: 0, ...overrides }), silentLogger);
parentPort!.postMessage({ url: server.url });
parentPort!.on("message", (message: unknown) => {
  if (message === "close") void server.close().then(() => parentPort!.postMessage({ closed: true }));
});
