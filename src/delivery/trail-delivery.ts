import type { SecretBox } from "../auth/secret-box.js";
import type { ServerConfig } from "../config.js";
import { makePrivateDir } from "../private-files.js";
import type { Store } from "../store/store.js";
import { FolderSink } from "./folder-sink.js";
import { S3Sink } from "./s3-sink.js";
import { DeliveryScheduler } from "./scheduler.js";
import type { BucketSink } from "./sink.js";
import { DeliveryWorker, type DeliveryObserver } from "./worker.js";

export interface TrailDelivery {
  sink: BucketSink;
  scheduler: DeliveryScheduler;
  /** Stops the schedule, flushes pending deliveries and releases the sink. */
  stop(): Promise<void>;
}

/** The sink `--s3-endpoint` / `--buckets-dir` name: an S3-compatible server, else folder buckets. */
export function sinkFor(config: Pick<ServerConfig, "s3Endpoint" | "bucketsDir">): BucketSink & { close?(): void } {
  if (config.s3Endpoint) return new S3Sink(config.s3Endpoint);
  makePrivateDir(config.bucketsDir);
  return new FolderSink(config.bucketsDir);
}

/**
 * Trail delivery for a server: the sink, the worker and its schedule (not started: the caller starts it once
 * the server accepts requests). `mayRun` lets a leader lease gate it; `observer` receives delivery metrics.
 */
export function createTrailDelivery(
  store: Store,
  box: SecretBox,
  config: ServerConfig,
  log: (message: string, error?: unknown) => void,
  hooks: { mayRun?: () => boolean | Promise<boolean>; observer?: DeliveryObserver } = {},
): TrailDelivery {
  const sink = sinkFor(config);
  const digestIntervalMs = config.digestIntervalSeconds * 1000;
  const worker = new DeliveryWorker({ store, sink, box, digestIntervalMs, observer: hooks.observer, log });
  const scheduler = new DeliveryScheduler(worker, {
    deliveryIntervalMs: config.deliveryIntervalSeconds * 1000,
    digestIntervalMs,
    mayRun: hooks.mayRun,
    log,
  });
  return {
    sink,
    scheduler,
    async stop() {
      await scheduler.stop();
      sink.close?.();
    },
  };
}
