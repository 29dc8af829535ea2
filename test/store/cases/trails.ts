import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { DeliveredLogFile, TrailRecord } from "../../../src/store/trail-records.js";
import type { Subject } from "../conformance.js";
import { ACCOUNT, OTHER_ACCOUNT, defined } from "../fixtures.js";

const T0 = Date.UTC(2026, 0, 10, 12);

/** A trail as created: default selectors, not logging, nothing delivered. */
const NEW_TRAIL_STATE = { hasCustomSelectors: false, isLogging: false, windows: [], deleted: false, status: {}, cursorSeq: 0, createdAt: T0 };

function trail(id: string, overrides: Partial<TrailRecord> = {}): TrailRecord {
  return {
    id,
    arn: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/${id}`,
    accountId: ACCOUNT,
    homeRegion: "us-east-1",
    name: id,
    config: { S3BucketName: "bucket", IncludeGlobalServiceEvents: true, IsMultiRegionTrail: false, LogFileValidationEnabled: false, IsOrganizationTrail: false },
    selectors: { basic: [{ ReadWriteType: "All", IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }] },
    ...NEW_TRAIL_STATE,
    ...overrides,
  };
}

function logFile(trailId: string, s3Object: string, deliveredAt: number, region = "us-east-1"): DeliveredLogFile {
  return { trailId, region, s3Bucket: "bucket", s3Object, hashValue: "ab".repeat(32), oldestEventTime: "2026-01-10T12:00:00Z", newestEventTime: "2026-01-10T12:05:00Z", deliveredAt };
}

/** CloudTrail trails, their delivery state and digest chains, and the digest signing keys. */
export function trailCases(s: Subject): void {
  describe("trails", () => {
    test("insert and get; save writes every mutable member; visible, byArn and all", async () => {
      const store = await s.fresh();
      const full = trail("t-full", {
        config: { S3BucketName: "b", S3KeyPrefix: "p", SnsTopicName: "sns", IncludeGlobalServiceEvents: false, IsMultiRegionTrail: true, LogFileValidationEnabled: true, CloudWatchLogsLogGroupArn: "lg", CloudWatchLogsRoleArn: "role", KmsKeyId: "kms", IsOrganizationTrail: false },
        selectors: { advanced: [{ Name: "a", FieldSelectors: [{ Field: "eventCategory", Equals: ["Management"] }] }] },
        hasCustomSelectors: true,
        insightSelectors: [{ InsightType: "ApiCallRateInsight" }],
        isLogging: true,
        startLoggingTime: T0 + 1,
        windows: [{ after: 3, stopRequestId: "req", until: 9 }, { after: 12 }],
        status: { latestDeliveryTime: T0 + 2, latestDeliveryError: "e", latestDigestDeliveryTime: T0 + 3 },
        cursorSeq: 12,
        plan: { toSeq: 20, at: T0 + 4 },
        createdAt: T0 + 5,
      });
      await store.transaction(async (tx) => {
        await tx.trails.insert(full);
        await tx.trails.insert(trail("t-west", { homeRegion: "us-west-2", createdAt: T0 + 6 }));
        await tx.trails.insert(trail("t-home", { createdAt: T0 }));
        await tx.trails.insert(trail("t-deleted", { deleted: true }));
        await tx.trails.insert(trail("t-other", { accountId: OTHER_ACCOUNT }));
      });
      await store.transaction(async (tx) => {
        assert.deepEqual(defined(await tx.trails.get("t-full")), defined(full));
        assert.equal(await tx.trails.get("t-none"), undefined);
        assert.deepEqual((await tx.trails.visible(ACCOUNT, "us-east-1")).map((t) => t.id), ["t-home", "t-full"], "live trails of the region, and multi-region ones");
        assert.deepEqual((await tx.trails.visible(ACCOUNT, "us-west-2")).map((t) => t.id), ["t-full", "t-west"]);
        assert.equal((await tx.trails.byArn(ACCOUNT, full.arn))?.id, "t-full");
        assert.equal(await tx.trails.byArn(OTHER_ACCOUNT, full.arn), undefined);
        assert.equal(await tx.trails.byArn(ACCOUNT, trail("t-deleted").arn), undefined, "only live trails");
        assert.deepEqual((await tx.trails.all()).map((t) => t.id).sort(), ["t-deleted", "t-full", "t-home", "t-other", "t-west"]);
      });
      const saved = trail("t-home", { createdAt: T0, isLogging: true, stopLoggingTime: T0 + 8, windows: [{ after: 1, until: 2 }], status: { latestDeliveryAttemptTime: T0 + 9, latestDigestDeliveryError: "d" }, cursorSeq: 40, deleted: true, hasCustomSelectors: true });
      await store.transaction((tx) => tx.trails.save(saved));
      assert.deepEqual(defined(await store.transaction((tx) => tx.trails.get("t-home"))), defined(saved));
    });

    test("log files wait for their digest; chains per region; purge forgets the trail and what delivery kept", async () => {
      const store = await s.fresh();
      await store.transaction(async (tx) => {
        await tx.trails.insert(trail("t-1"));
        await tx.trails.addLogFiles([logFile("t-1", "b.json.gz", T0 + 2), logFile("t-1", "a.json.gz", T0 + 2), logFile("t-1", "c.json.gz", T0 + 1), logFile("t-1", "w.json.gz", T0, "us-west-2")]);
        await tx.trails.addLogFiles([logFile("t-1", "a.json.gz", T0 + 2)]);
        await tx.trails.addLogFiles([]);
      });
      await store.transaction(async (tx) => {
        assert.deepEqual((await tx.trails.logFiles("t-1", "us-east-1", T0 + 2)).map((f) => f.s3Object), ["c.json.gz", "a.json.gz", "b.json.gz"], "oldest first, once each");
        assert.deepEqual(await tx.trails.logFiles("t-1", "us-east-1", T0 + 1), [logFile("t-1", "c.json.gz", T0 + 1)]);
        await tx.trails.removeLogFiles("t-1", "us-east-1", ["a.json.gz", "c.json.gz"]);
        await tx.trails.removeLogFiles("t-1", "us-east-1", []);
        assert.deepEqual((await tx.trails.logFiles("t-1", "us-east-1", T0 + 9)).map((f) => f.s3Object), ["b.json.gz"]);
        assert.deepEqual((await tx.trails.logFiles("t-1", "us-west-2", T0 + 9)).map((f) => f.s3Object), ["w.json.gz"]);
      });
      const previous = { bucket: "bucket", key: "k", hash: "h", signature: "s" };
      await store.transaction(async (tx) => {
        await tx.trails.putChain({ trailId: "t-1", region: "us-west-2", lastEnd: T0 });
        await tx.trails.putChain({ trailId: "t-1", region: "us-east-1", lastEnd: T0, planEnd: T0 + 3600_000 });
        await tx.trails.putChain({ trailId: "t-1", region: "us-east-1", lastEnd: T0 + 3600_000, previous });
      });
      assert.deepEqual(defined(await store.transaction((tx) => tx.trails.chains("t-1"))), [
        { trailId: "t-1", region: "us-east-1", lastEnd: T0 + 3600_000, previous },
        { trailId: "t-1", region: "us-west-2", lastEnd: T0 },
      ]);
      await store.transaction((tx) => tx.trails.removeChain("t-1", "us-west-2"));
      assert.deepEqual((await store.transaction((tx) => tx.trails.chains("t-1"))).map((c) => c.region), ["us-east-1"]);
      await store.transaction((tx) => tx.trails.purge("t-1"));
      await store.transaction(async (tx) => {
        assert.equal(await tx.trails.get("t-1"), undefined);
        assert.deepEqual(await tx.trails.chains("t-1"), []);
        assert.deepEqual(await tx.trails.logFiles("t-1", "us-east-1", T0 + 9), []);
      });
    });
  });

  describe("signing keys", () => {
    test("a region's keys, oldest first, read back as written", async () => {
      const store = await s.fresh();
      const key = (region: string, fingerprint: string, validFrom: number) => ({ region, fingerprint, sealedPrivateKey: `v1:${fingerprint}`, publicKeyDer: Buffer.from([0x30, 0x82, validFrom % 256, 0]), validFrom, validTo: validFrom + 1000 });
      await store.transaction(async (tx) => {
        await tx.signingKeys.insert(key("us-east-1", "f2", T0 + 10));
        await tx.signingKeys.insert(key("us-east-1", "f1", T0));
        await tx.signingKeys.insert(key("us-west-2", "f3", T0));
      });
      assert.deepEqual(await store.transaction((tx) => tx.signingKeys.list("us-east-1")), [key("us-east-1", "f1", T0), key("us-east-1", "f2", T0 + 10)]);
      assert.deepEqual(await store.transaction((tx) => tx.signingKeys.list("eu-west-1")), []);
    });
  });
}
