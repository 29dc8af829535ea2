import type { SecretBox } from "../auth/secret-box.js";
import type { Store, StoreTx } from "../store/store.js";
import type { DeliveryPlan, DigestChain, LogEvent, TrailRecord } from "../store/trail-records.js";
import { signDigest } from "./digest.js";
import { digestKey } from "./keys.js";
import { buildLogFiles, type LogFile } from "./log-file.js";
import { trailWants } from "./selectors.js";
import { ensureSigningKey, privateKeyOf, signingKeyAt } from "./signing-keys.js";
import { SinkError, type BucketSink } from "./sink.js";
import { inWindows, openWindows } from "./windows.js";

/** Call sites for metrics (delivery lag, files, errors); every method is optional. */
export interface DeliveryObserver {
  /** One region's log files of one delivery were written; `lagMs` is the age of its oldest event at delivery. */
  logFilesDelivered?(e: { trailArn: string; region: string; files: number; events: number; bytes: number; lagMs: number }): void;
  deliveryFailed?(e: { trailArn: string; code: string }): void;
  digestDelivered?(e: { trailArn: string; region: string; logFiles: number }): void;
  digestFailed?(e: { trailArn: string; region: string; code: string }): void;
}

export interface DeliveryWorkerOptions {
  store: Store;
  sink: BucketSink;
  box: SecretBox;
  digestIntervalMs: number;
  observer?: DeliveryObserver;
  log(message: string, error?: unknown): void;
  /** Events read per delivery; more wait for the next cycle (bench/delivery.ts varies it). */
  batchSize?: number;
  clock?: () => number;
}

function wholeSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

/** Whether a trail still waits for the delivery planned from `cursorSeq`: no other node has finished it. */
function stillPlanned(trail: TrailRecord, cursorSeq: number, plan: DeliveryPlan): boolean {
  return trail.cursorSeq === cursorSeq && trail.plan?.toSeq === plan.toSeq && trail.plan.at === plan.at;
}

async function chainOf(tx: StoreTx, trailId: string, region: string): Promise<DigestChain | undefined> {
  return (await tx.trails.chains(trailId)).find((c) => c.region === region);
}

/** Whether a chain is where it was: same start, same planned end (its previous link follows from its start). */
function sameChain(current: DigestChain | undefined, read: DigestChain): boolean {
  return current !== undefined && current.lastEnd === read.lastEnd && current.planEnd === read.planEnd;
}

function codeOf(error: unknown): string {
  return error instanceof SinkError ? error.code : error instanceof Error && error.name ? error.name : "InternalError";
}

/**
 * Delivers trails: log files of the events each logging trail selects, and signed digests of them. Exactly once
 * across crashes: a delivery is first planned in the store (which events, and the time its keys carry), then its
 * files are written, then the trail's cursor passes those events in a second transaction. A retry after a crash
 * re-plays the same plan and so writes the same keys with the same bytes. Digests follow the same pattern.
 *
 * On a cluster a node runs these only while it holds the delivery lease, but a node whose lease lapsed unnoticed
 * (a silently dead connection) may still be finishing a cycle while its successor works. So every step that moves
 * a trail's progress first checks, in its transaction, that the progress is still what the step started from;
 * otherwise the successor has done (or is doing) that work, with the same bytes at the same keys, and the step
 * changes nothing.
 *
 * `deliverOnce`/`digestOnce` are single cycles for a scheduler (which a leader lease can gate).
 */
export class DeliveryWorker {
  private readonly batchSize: number;
  private readonly now: () => number;

  constructor(private readonly o: DeliveryWorkerOptions) {
    this.batchSize = o.batchSize ?? 10_000;
    this.now = o.clock ?? Date.now;
  }

  async runOnce(): Promise<void> {
    await this.deliverOnce();
    await this.digestOnce();
  }

  /** Delivers what every trail has pending (up to a batch each). */
  async deliverOnce(): Promise<void> {
    const trails = await this.o.store.transaction((tx) => tx.trails.all());
    for (const trail of trails) {
      try {
        while (await this.deliverTrail(trail.id)) {
          // A full batch: keep going until the trail is caught up.
        }
      } catch (error) {
        this.o.log(`delivery of ${trail.arn} failed`, error);
      }
    }
  }

  /** Returns true when a full batch went out and more may be waiting. */
  private async deliverTrail(id: string): Promise<boolean> {
    const { store } = this.o;
    const planned = await store.transaction(async (tx) => {
      const trail = await tx.trails.get(id);
      if (!trail) return undefined;
      if (trail.plan) return { trail, events: await tx.events.after(trail.cursorSeq, this.batchSize) };
      if (openWindows(trail.windows, trail.cursorSeq).length === 0) {
        // Not logging and nothing left to deliver: skip ahead.
        const max = await tx.events.maxSeq();
        if (max > trail.cursorSeq || trail.windows.length > 0) await tx.trails.save({ ...trail, cursorSeq: Math.max(max, trail.cursorSeq), windows: [] });
        return undefined;
      }
      const events = await tx.events.after(trail.cursorSeq, this.batchSize);
      if (events.length === 0) return undefined;
      trail.plan = { toSeq: events[events.length - 1]!.seq, at: this.now() };
      await tx.trails.save(trail);
      return { trail, events };
    });
    if (!planned) return false;
    const { trail } = planned;
    const plan = trail.plan!;
    const events = planned.events.filter((e) => e.seq <= plan.toSeq);
    const { logging, windows } = inWindows(trail.windows, events);
    const selected = events.filter((e) => logging.has(e.seq) && trailWants(trail, e));

    const byRegion = new Map<string, LogEvent[]>();
    for (const e of selected) {
      let list = byRegion.get(e.region);
      if (!list) byRegion.set(e.region, (list = []));
      list.push(e);
    }
    const written: { region: string; files: LogFile[] }[] = [];
    try {
      for (const [region, regionEvents] of byRegion) {
        const files = buildLogFiles(
          { prefix: trail.config.S3KeyPrefix, accountId: trail.accountId, region, deliveredAt: plan.at, seed: `${trail.id}/${plan.toSeq}` },
          regionEvents,
        );
        for (const f of files) await this.o.sink.put(trail.config.S3BucketName, f.key, f.body);
        written.push({ region, files });
      }
    } catch (error) {
      const code = codeOf(error);
      this.o.log(`delivery of ${trail.arn} to bucket ${trail.config.S3BucketName} failed: ${code}`);
      this.o.observer?.deliveryFailed?.({ trailArn: trail.arn, code });
      await store.transaction(async (tx) => {
        const fresh = await tx.trails.get(id);
        if (fresh) await tx.trails.save({ ...fresh, status: { ...fresh.status, latestDeliveryError: code, latestDeliveryAttemptTime: this.now() } });
      });
      return false;
    }

    const advanced = await store.transaction(async (tx) => {
      const fresh = await tx.trails.get(id);
      if (!fresh || !stillPlanned(fresh, trail.cursorSeq, plan)) return false;
      // Windows may have changed since the plan (a StopLogging meanwhile): apply only the ends found here.
      const ends = new Map(windows.filter((w) => w.stopRequestId && w.until !== undefined).map((w) => [w.stopRequestId!, w.until!]));
      const merged = fresh.windows.map((w) => (w.until === undefined && w.stopRequestId && ends.has(w.stopRequestId) ? { ...w, until: ends.get(w.stopRequestId)! } : w));
      const delivered = written.some((w) => w.files.length > 0);
      const status = delivered
        ? { ...fresh.status, latestDeliveryTime: plan.at, latestDeliveryAttemptTime: plan.at, latestDeliveryError: undefined }
        : fresh.status;
      // Files of a logging period are digested, also when the trail stopped or was deleted since (its final digest).
      if (fresh.config.LogFileValidationEnabled) {
        const chains = new Map((await tx.trails.chains(id)).map((c) => [c.region, c]));
        for (const { region, files } of written) {
          const chain = chains.get(region);
          if (!chain) await tx.trails.putChain({ trailId: id, region, lastEnd: wholeSecond(plan.at) });
          // A digest being written lists the files it read when it was planned; a file added now joins the next
          // one, so that a retry of that digest (by any node) lists the same files and writes the same bytes.
          const deliveredAt = chain?.planEnd !== undefined ? Math.max(plan.at, chain.planEnd + 1) : plan.at;
          await tx.trails.addLogFiles(
            files.map((f) => ({
              trailId: id,
              region,
              s3Bucket: fresh.config.S3BucketName,
              s3Object: f.key,
              hashValue: f.hashValue,
              oldestEventTime: f.oldestEventTime,
              newestEventTime: f.newestEventTime,
              deliveredAt,
            })),
          );
        }
      }
      await tx.trails.save({ ...fresh, cursorSeq: plan.toSeq, plan: undefined, windows: openWindows(merged, plan.toSeq), status });
      return true;
    });
    if (!advanced) {
      this.o.log(`delivery of ${trail.arn} up to event ${plan.toSeq} was completed by another node`);
      return false;
    }
    for (const { region, files } of written) {
      if (files.length === 0) continue;
      const regionEvents = byRegion.get(region)!;
      this.o.observer?.logFilesDelivered?.({
        trailArn: trail.arn,
        region,
        files: files.length,
        events: regionEvents.length,
        bytes: files.reduce((n, f) => n + f.body.length, 0),
        lagMs: plan.at - Math.min(...regionEvents.map((e) => e.eventTime.getTime())),
      });
    }
    return planned.events.length >= this.batchSize;
  }

  /** Writes the digests that are due, final digests of chains that ended, and forgets drained deleted trails. */
  async digestOnce(): Promise<void> {
    const trails = await this.o.store.transaction((tx) => tx.trails.all());
    for (const trail of trails) {
      try {
        await this.digestTrail(trail);
      } catch (error) {
        this.o.log(`digest of ${trail.arn} failed`, error);
      }
    }
  }

  private async digestTrail(trail: TrailRecord): Promise<void> {
    const { store } = this.o;
    // Digest end times are whole seconds, rounded up so that a file delivered earlier in this second is covered.
    const now = Math.ceil(this.now() / 1000) * 1000;
    const active = trail.isLogging && trail.config.LogFileValidationEnabled && !trail.deleted;
    // Every event up to the closing call is delivered: what is left of a chain can be sealed.
    const drained = !trail.plan && openWindows(trail.windows, trail.cursorSeq).length === 0;
    let chains = await store.transaction((tx) => tx.trails.chains(trail.id));
    if (active && !chains.some((c) => c.region === trail.homeRegion)) {
      const start: DigestChain = { trailId: trail.id, region: trail.homeRegion, lastEnd: wholeSecond(trail.startLoggingTime ?? now) };
      chains = await store.transaction(async (tx) => {
        const current = await tx.trails.chains(trail.id);
        if (!current.some((c) => c.region === start.region)) await tx.trails.putChain(start);
        return tx.trails.chains(trail.id);
      });
    }
    for (const chain of chains) {
      const final = !active && drained;
      const due = chain.planEnd !== undefined || final || now - chain.lastEnd >= this.o.digestIntervalMs;
      if (due && (active || final || chain.planEnd !== undefined)) await this.writeDigest(trail, chain, final, now);
    }
    if (trail.deleted && drained) {
      const left = await store.transaction((tx) => tx.trails.chains(trail.id));
      if (left.length === 0) await store.transaction((tx) => tx.trails.purge(trail.id));
    }
  }

  private async writeDigest(trail: TrailRecord, chain: DigestChain, final: boolean, now: number): Promise<void> {
    const { store, box } = this.o;
    // Key timestamps must strictly increase along a chain.
    const end = chain.planEnd ?? Math.max(now, chain.lastEnd + 1000);
    // A region's key is made when it first signs (and at each rotation), never by a read such as ListPublicKeys.
    await ensureSigningKey(store, chain.region, end, box, this.now());
    const planned = await store.transaction(async (tx) => {
      if (!sameChain(await chainOf(tx, trail.id, chain.region), chain)) return undefined;
      const key = signingKeyAt(await tx.signingKeys.list(chain.region), end);
      if (!key) throw new Error(`no signing key for ${chain.region} at ${new Date(end).toISOString()}`);
      if (chain.planEnd === undefined) await tx.trails.putChain({ ...chain, planEnd: end });
      return { key, files: await tx.trails.logFiles(trail.id, chain.region, end) };
    });
    // Another node moved this chain on since it was read.
    if (!planned) return;
    const { key: signingKey, files } = planned;
    const bucket = trail.config.S3BucketName;
    const key = digestKey({
      prefix: trail.config.S3KeyPrefix,
      accountId: trail.accountId,
      region: chain.region,
      trailName: trail.name,
      homeRegion: trail.homeRegion,
      endTime: end,
    });
    const signed = signDigest(
      { accountId: trail.accountId, startTime: chain.lastEnd, endTime: end, bucket, key, fingerprint: signingKey.fingerprint, previous: chain.previous, logFiles: files },
      privateKeyOf(signingKey, box),
    );
    try {
      await this.o.sink.put(bucket, key, signed.body, signed.metadata);
    } catch (error) {
      const code = codeOf(error);
      this.o.log(`digest of ${trail.arn} (${chain.region}) to bucket ${bucket} failed: ${code}`);
      this.o.observer?.digestFailed?.({ trailArn: trail.arn, region: chain.region, code });
      await store.transaction(async (tx) => {
        const fresh = await tx.trails.get(trail.id);
        if (fresh) await tx.trails.save({ ...fresh, status: { ...fresh.status, latestDigestDeliveryError: code } });
      });
      return;
    }
    const advanced = await store.transaction(async (tx) => {
      if (!sameChain(await chainOf(tx, trail.id, chain.region), { ...chain, planEnd: end })) return false;
      await tx.trails.removeLogFiles(trail.id, chain.region, files.map((f) => f.s3Object));
      if (final) await tx.trails.removeChain(trail.id, chain.region);
      else await tx.trails.putChain({ trailId: trail.id, region: chain.region, lastEnd: end, previous: { bucket, key, hash: signed.hash, signature: signed.signature } });
      const fresh = await tx.trails.get(trail.id);
      if (fresh) await tx.trails.save({ ...fresh, status: { ...fresh.status, latestDigestDeliveryTime: this.now(), latestDigestDeliveryError: undefined } });
      return true;
    });
    if (!advanced) {
      this.o.log(`digest of ${trail.arn} (${chain.region}) ending ${new Date(end).toISOString()} was completed by another node`);
      return;
    }
    this.o.observer?.digestDelivered?.({ trailArn: trail.arn, region: chain.region, logFiles: files.length });
  }
}
