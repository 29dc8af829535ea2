import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { SecretBox } from "../../src/auth/secret-box.js";
import { FolderSink } from "../../src/delivery/folder-sink.js";
import { validateLogs } from "../../src/delivery/validate.js";
import { DeliveryWorker } from "../../src/delivery/worker.js";
import type { KyselyStore } from "../../src/store/kysely-store.js";
import type { TrailRecord } from "../../src/store/trail-records.js";
import { TEST_STORE } from "../support/postgres.js";
import { openTestStore, testStoreUrl } from "../support/stores.js";

/**
 * A delivery lease can lapse without its holder noticing (a silently dead connection): for a while the old holder
 * finishes its cycle while its successor already works. Two workers stand for the two nodes; the old one's writes
 * to the bucket are held back until the successor has moved on. On PostgreSQL each worker has a store of its own
 * on one database; on SQLite they share the one store.
 */

const ACCOUNT = "123456789012";
const T0 = Date.UTC(2026, 0, 5, 12, 0, 0, 200);

const opened: KyselyStore[] = [];
after(async () => {
  for (const store of new Set(opened)) await store.close();
});

/** A folder sink whose puts wait while it is held: the old holder, stalled mid-delivery. */
class StalledSink extends FolderSink {
  private gate: Promise<void> | undefined;
  private open: (() => void) | undefined;
  /** Resolves when a put is waiting at the gate. */
  entered!: Promise<void>;
  private enter: (() => void) | undefined;

  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
    this.entered = new Promise((resolve) => (this.enter = resolve));
  }

  release(): void {
    this.open?.();
  }

  override async put(bucket: string, key: string, body: Buffer, metadata?: Record<string, string>): Promise<void> {
    this.enter?.();
    await this.gate;
    return super.put(bucket, key, body, metadata);
  }
}

async function twoNodes(): Promise<{ old: KyselyStore; successor: KyselyStore; bucketsDir: string; box: SecretBox; trail: TrailRecord }> {
  const url = await testStoreUrl();
  const old = await openTestStore(url);
  const successor = TEST_STORE === "postgres" ? await openTestStore(url) : old;
  opened.push(old, successor);
  const bucketsDir = fs.mkdtempSync(path.join(os.tmpdir(), "cairn-takeover-"));
  fs.mkdirSync(path.join(bucketsDir, "audit"));
  const trail: TrailRecord = {
    id: randomUUID(),
    arn: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/shared`,
    accountId: ACCOUNT,
    homeRegion: "us-east-1",
    name: "shared",
    config: { S3BucketName: "audit", IncludeGlobalServiceEvents: true, IsMultiRegionTrail: false, LogFileValidationEnabled: true, IsOrganizationTrail: false },
    selectors: { basic: [{ ReadWriteType: "All", IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }] },
    hasCustomSelectors: false,
    isLogging: true,
    startLoggingTime: T0,
    windows: [{ after: 0 }],
    deleted: false,
    status: {},
    cursorSeq: 0,
    createdAt: T0,
  };
  await old.transaction((tx) => tx.trails.insert(trail));
  return { old, successor, bucketsDir, box: SecretBox.open(bucketsDir), trail };
}

async function append(store: KyselyStore, count: number, at: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const eventID = randomUUID();
    const eventTime = new Date(at);
    await store.transaction((tx) =>
      tx.events.append({
        eventId: eventID,
        accountId: ACCOUNT,
        region: "us-east-1",
        eventTime,
        eventName: "RegisterInstance",
        eventSource: "servicediscovery.amazonaws.com",
        readOnly: false,
        resources: [],
        record: JSON.stringify({ eventVersion: "1.11", eventTime: eventTime.toISOString(), eventName: "RegisterInstance", eventID }),
      }),
    );
  }
}

/** How many times each event ID is in the bucket's log files. */
function deliveredCounts(bucketsDir: string): Map<string, number> {
  const counts = new Map<string, number>();
  const files = fs.readdirSync(path.join(bucketsDir, "audit"), { recursive: true, encoding: "utf8" }).filter((f) => f.includes("/CloudTrail/") && f.endsWith(".json.gz"));
  for (const f of files) {
    const { Records } = JSON.parse(gunzipSync(fs.readFileSync(path.join(bucketsDir, "audit", f))).toString("utf8")) as { Records: { eventID: string }[] };
    for (const r of Records) counts.set(r.eventID, (counts.get(r.eventID) ?? 0) + 1);
  }
  return counts;
}

describe(`trail delivery (${TEST_STORE}): a holder whose lease lapsed, finishing late`, () => {
  test("its delivery, already made by its successor, changes nothing: no event is delivered twice", async () => {
    const { old, successor, bucketsDir, box } = await twoNodes();
    let now = T0;
    const stalled = new StalledSink(bucketsDir);
    const log = () => undefined;
    const oldWorker = new DeliveryWorker({ store: old, sink: stalled, box, digestIntervalMs: 1000, log, clock: () => now });
    const newWorker = new DeliveryWorker({ store: successor, sink: new FolderSink(bucketsDir), box, digestIntervalMs: 1000, log, clock: () => now });

    await append(old, 5, now);
    stalled.hold();
    const late = oldWorker.deliverOnce();
    await stalled.entered;
    // The successor replays the stalled plan, then delivers more.
    await newWorker.deliverOnce();
    now += 1000;
    await append(successor, 5, now);
    await newWorker.deliverOnce();
    stalled.release();
    await late;

    const trail = (await successor.transaction((tx) => tx.trails.all()))[0]!;
    assert.equal(trail.cursorSeq, await successor.transaction((tx) => tx.events.maxSeq()), "the late finish did not move the cursor back");
    assert.equal(trail.plan, undefined);
    now += 1000;
    await newWorker.deliverOnce();
    const counts = deliveredCounts(bucketsDir);
    assert.equal(counts.size, 10);
    for (const [id, n] of counts) assert.equal(n, 1, `event ${id} delivered once`);
  });

  test("its digest, already written by its successor, leaves one chain that validate-logs accepts", async () => {
    const { old, successor, bucketsDir, box, trail } = await twoNodes();
    let now = T0;
    const stalled = new StalledSink(bucketsDir);
    const log = () => undefined;
    const oldWorker = new DeliveryWorker({ store: old, sink: stalled, box, digestIntervalMs: 1000, log, clock: () => now });
    const newWorker = new DeliveryWorker({ store: successor, sink: new FolderSink(bucketsDir), box, digestIntervalMs: 1000, log, clock: () => now });

    await append(successor, 3, now);
    now += 100;
    await newWorker.deliverOnce();
    // The old holder plans the digest ending at the next whole second and stalls writing it.
    now += 1400;
    stalled.hold();
    const late = oldWorker.digestOnce();
    await stalled.entered;
    // Within that second the successor delivers a file, then writes the planned digest and the next one.
    now += 100;
    await append(successor, 3, now);
    await newWorker.deliverOnce();
    now += 100;
    await newWorker.digestOnce();
    now += 1500;
    await newWorker.deliverOnce();
    await newWorker.digestOnce();
    const chain = (await successor.transaction((tx) => tx.trails.chains(trail.id)))[0]!;
    stalled.release();
    await late;

    assert.deepEqual((await successor.transaction((tx) => tx.trails.chains(trail.id)))[0], chain, "the late finish did not move the chain back");
    const lines: string[] = [];
    const problems: string[] = [];
    const valid = await validateLogs(
      { trailArn: trail.arn, start: new Date(T0 - 60_000), end: new Date(now + 1000) },
      {
        trailBucket: async () => ({ bucket: "audit" }),
        publicKeys: async (region) => new Map((await successor.transaction((tx) => tx.signingKeys.list(region))).map((k) => [k.fingerprint, k.publicKeyDer])),
      },
      new FolderSink(bucketsDir),
      { out: (line) => lines.push(line), err: (line) => problems.push(line) },
    );
    assert.deepEqual(problems, []);
    assert.ok(valid);
    assert.ok(lines.some((l) => l.includes("2/2 log files valid")), lines.join("\n"));
  });
});
