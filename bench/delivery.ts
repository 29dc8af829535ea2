/**
 * Trail delivery throughput: how fast the delivery worker turns stored events into log files.
 *
 *   node dist/bench/delivery.js [--events 200000] [--batch 10000]
 *
 * Loads events into a fresh SQLite store (real records from buildEvent: RegisterInstance calls), adds one logging
 * trail with log file validation, then times the worker's deliverOnce (read by seq, select, build, gzip, write,
 * advance the cursor) and one digest pass, on a folder bucket.
 */
import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { buildEvent } from "../src/audit/record.js";
import { SecretBox } from "../src/auth/secret-box.js";
import { FolderSink } from "../src/delivery/folder-sink.js";
import { DeliveryWorker } from "../src/delivery/worker.js";
import { servicediscoveryApi } from "../src/services/servicediscovery/index.js";
import { openSqliteStore } from "../src/store/sqlite/open.js";
import { benchDataDir, benchFlags } from "./support.js";

const flags = benchFlags({ events: "200000", batch: "10000" });
const TOTAL = Number(flags.events);
const BATCH = Number(flags.batch);
const accountId = "111122223333";
const dataDir = benchDataDir("delivery");
const store = await openSqliteStore(path.join(dataDir, "cairn.db"));
const box = SecretBox.open(dataDir);
const principal = { type: "Root" as const, accountId, arn: `arn:aws:iam::${accountId}:root`, principalId: accountId, accessKeyId: "AKIABENCHDELIVERY001" };

const t0 = performance.now();
for (let i = 0; i < TOTAL; i += 10_000) {
  await store.transaction(async (tx) => {
    for (let j = i; j < Math.min(TOTAL, i + 10_000); j++) {
      const input = { ServiceId: `srv-${j % 5000}`, InstanceId: `i-${j}`, CreatorRequestId: randomUUID(), Attributes: { AWS_INSTANCE_IPV4: "10.0.0.12", AWS_INSTANCE_PORT: "8080" } };
      await tx.events.append(
        buildEvent(
          { requestId: randomUUID(), sourceIp: "10.1.2.3", userAgent: "aws-sdk-js/3.1137.0 ua/2.1 os/linux lang/js md/nodejs#20.20.2 api/servicediscovery#3.1137.0" },
          { api: servicediscoveryApi, operation: "RegisterInstance", principal, region: "us-east-1", input, output: { OperationId: randomUUID() }, resources: [], eventTime: new Date() },
        ),
      );
    }
  });
}
const loadSeconds = (performance.now() - t0) / 1000;

const buckets = path.join(dataDir, "buckets");
fs.mkdirSync(path.join(buckets, "audit"), { recursive: true });
await store.transaction((tx) =>
  tx.trails.insert({
    id: randomUUID(),
    arn: `arn:aws:cloudtrail:us-east-1:${accountId}:trail/bench`,
    accountId,
    homeRegion: "us-east-1",
    name: "bench",
    config: { S3BucketName: "audit", IncludeGlobalServiceEvents: true, IsMultiRegionTrail: false, LogFileValidationEnabled: true, IsOrganizationTrail: false },
    selectors: { basic: [{ ReadWriteType: "All", IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }] },
    hasCustomSelectors: false,
    isLogging: true,
    startLoggingTime: Date.now(),
    windows: [{ after: 0 }],
    deleted: false,
    status: {},
    cursorSeq: 0,
    createdAt: Date.now(),
  }),
);

let files = 0;
let compressed = 0;
const worker = new DeliveryWorker({
  store,
  sink: new FolderSink(buckets),
  box,
  digestIntervalMs: 1,
  batchSize: BATCH,
  log: (m, e) => console.error(m, e),
  observer: {
    logFilesDelivered(e) {
      files += e.files;
      compressed += e.bytes;
    },
  },
});
const t1 = performance.now();
await worker.deliverOnce();
const deliverSeconds = (performance.now() - t1) / 1000;
const t2 = performance.now();
await worker.digestOnce();
const digestMs = performance.now() - t2;

const uncompressed = (await store.transaction((tx) => tx.events.after(0, TOTAL))).reduce((n, e) => n + Buffer.byteLength(e.record) + 1, 0);
console.log(`events: ${TOTAL} (loaded in ${loadSeconds.toFixed(1)} s), batch ${BATCH}`);
console.log(`delivered in ${deliverSeconds.toFixed(2)} s: ${Math.round(TOTAL / deliverSeconds)} events/s, ${files} files`);
console.log(`file size: avg ${(compressed / files / 1024).toFixed(1)} KiB gzip (${(uncompressed / files / 1024).toFixed(1)} KiB JSON), ${(compressed / TOTAL).toFixed(0)} B/event gzip, ${(uncompressed / TOTAL).toFixed(0)} B/event JSON`);
console.log(`digest pass (${files} files listed, signed): ${digestMs.toFixed(0)} ms`);
await store.close();
fs.rmSync(dataDir, { recursive: true, force: true });
