import type { Kysely, Selectable } from "kysely";
import type { Database } from "../schema.js";
import type { SigningKeyRepo, TrailRepo } from "../store.js";
import type { DeliveredLogFile, TrailRecord } from "../trail-records.js";

type TrailRow = Selectable<Database["trails"]>;

function nullable(n: number | null): number | undefined {
  return n === null ? undefined : Number(n);
}

function fromRow(r: TrailRow): TrailRecord {
  const trail: TrailRecord = {
    id: r.id,
    arn: r.arn,
    accountId: r.account_id,
    homeRegion: r.home_region,
    name: r.name,
    config: JSON.parse(r.config),
    selectors: JSON.parse(r.selectors),
    hasCustomSelectors: Number(r.has_custom_selectors) === 1,
    isLogging: Number(r.is_logging) === 1,
    startLoggingTime: nullable(r.start_logging_time),
    stopLoggingTime: nullable(r.stop_logging_time),
    windows: JSON.parse(r.windows),
    deleted: Number(r.deleted) === 1,
    status: JSON.parse(r.status),
    cursorSeq: Number(r.cursor_seq),
    createdAt: Number(r.created_at),
  };
  if (r.insight_selectors !== null) trail.insightSelectors = JSON.parse(r.insight_selectors);
  if (r.plan_to_seq !== null && r.plan_at !== null) trail.plan = { toSeq: Number(r.plan_to_seq), at: Number(r.plan_at) };
  return trail;
}

function mutable(t: TrailRecord) {
  return {
    name_key: t.deleted ? `${t.name}#${t.id}` : t.name,
    multi_region: t.config.IsMultiRegionTrail ? 1 : 0,
    config: JSON.stringify(t.config),
    selectors: JSON.stringify(t.selectors),
    has_custom_selectors: t.hasCustomSelectors ? 1 : 0,
    is_logging: t.isLogging ? 1 : 0,
    start_logging_time: t.startLoggingTime ?? null,
    stop_logging_time: t.stopLoggingTime ?? null,
    windows: JSON.stringify(t.windows),
    deleted: t.deleted ? 1 : 0,
    status: JSON.stringify(t.status),
    cursor_seq: t.cursorSeq,
    plan_to_seq: t.plan?.toSeq ?? null,
    plan_at: t.plan?.at ?? null,
    insight_selectors: t.insightSelectors ? JSON.stringify(t.insightSelectors) : null,
  };
}

function fromFileRow(r: Selectable<Database["trail_log_files"]>): DeliveredLogFile {
  return {
    trailId: r.trail_id,
    region: r.region,
    s3Bucket: r.s3_bucket,
    s3Object: r.s3_object,
    hashValue: r.hash_value,
    oldestEventTime: r.oldest_event_time,
    newestEventTime: r.newest_event_time,
    deliveredAt: Number(r.delivered_at),
  };
}

export function trailRepo(db: Kysely<Database>): TrailRepo {
  return {
    async insert(t) {
      await db
        .insertInto("trails")
        .values({ id: t.id, arn: t.arn, account_id: t.accountId, home_region: t.homeRegion, name: t.name, created_at: t.createdAt, ...mutable(t) })
        .execute();
    },
    async save(t) {
      await db.updateTable("trails").set(mutable(t)).where("id", "=", t.id).execute();
    },
    async get(id) {
      const row = await db.selectFrom("trails").selectAll().where("id", "=", id).executeTakeFirst();
      return row && fromRow(row);
    },
    async visible(accountId, region) {
      const rows = await db
        .selectFrom("trails")
        .selectAll()
        .where("account_id", "=", accountId)
        .where("deleted", "=", 0)
        .where((eb) => eb.or([eb("home_region", "=", region), eb("multi_region", "=", 1)]))
        .orderBy("created_at")
        .orderBy("id")
        .execute();
      return rows.map(fromRow);
    },
    async byArn(accountId, arn) {
      const row = await db
        .selectFrom("trails")
        .selectAll()
        .where("account_id", "=", accountId)
        .where("arn", "=", arn)
        .where("deleted", "=", 0)
        .executeTakeFirst();
      return row && fromRow(row);
    },
    async all() {
      return (await db.selectFrom("trails").selectAll().orderBy("created_at").orderBy("id").execute()).map(fromRow);
    },
    async purge(id) {
      await db.deleteFrom("trail_log_files").where("trail_id", "=", id).execute();
      await db.deleteFrom("trail_digest_chains").where("trail_id", "=", id).execute();
      await db.deleteFrom("trails").where("id", "=", id).execute();
    },
    async addLogFiles(files) {
      if (files.length === 0) return;
      await db
        .insertInto("trail_log_files")
        .values(
          files.map((f) => ({
            trail_id: f.trailId,
            region: f.region,
            s3_bucket: f.s3Bucket,
            s3_object: f.s3Object,
            hash_value: f.hashValue,
            oldest_event_time: f.oldestEventTime,
            newest_event_time: f.newestEventTime,
            delivered_at: f.deliveredAt,
          })),
        )
        .onConflict((oc) => oc.columns(["trail_id", "region", "s3_object"]).doNothing())
        .execute();
    },
    async logFiles(trailId, region, upTo) {
      const rows = await db
        .selectFrom("trail_log_files")
        .selectAll()
        .where("trail_id", "=", trailId)
        .where("region", "=", region)
        .where("delivered_at", "<=", upTo)
        .orderBy("delivered_at")
        .orderBy("s3_object")
        .execute();
      return rows.map(fromFileRow);
    },
    async removeLogFiles(trailId, region, s3Objects) {
      if (s3Objects.length === 0) return;
      await db.deleteFrom("trail_log_files").where("trail_id", "=", trailId).where("region", "=", region).where("s3_object", "in", s3Objects).execute();
    },
    async chains(trailId) {
      const rows = await db.selectFrom("trail_digest_chains").selectAll().where("trail_id", "=", trailId).orderBy("region").execute();
      return rows.map((r) => ({
        trailId: r.trail_id,
        region: r.region,
        lastEnd: Number(r.last_end),
        previous: r.previous === null ? undefined : JSON.parse(r.previous),
        planEnd: nullable(r.plan_end),
      }));
    },
    async putChain(c) {
      const values = { last_end: c.lastEnd, previous: c.previous ? JSON.stringify(c.previous) : null, plan_end: c.planEnd ?? null };
      await db
        .insertInto("trail_digest_chains")
        .values({ trail_id: c.trailId, region: c.region, ...values })
        .onConflict((oc) => oc.columns(["trail_id", "region"]).doUpdateSet(values))
        .execute();
    },
    async removeChain(trailId, region) {
      await db.deleteFrom("trail_digest_chains").where("trail_id", "=", trailId).where("region", "=", region).execute();
    },
  };
}

export function signingKeyRepo(db: Kysely<Database>): SigningKeyRepo {
  return {
    async list(region) {
      const rows = await db.selectFrom("signing_keys").selectAll().where("region", "=", region).orderBy("valid_from").execute();
      return rows.map((r) => ({
        region: r.region,
        fingerprint: r.fingerprint,
        sealedPrivateKey: r.private_key,
        publicKeyDer: Buffer.from(r.public_key, "base64"),
        validFrom: Number(r.valid_from),
        validTo: Number(r.valid_to),
      }));
    },
    async insert(k) {
      await db
        .insertInto("signing_keys")
        .values({
          region: k.region,
          fingerprint: k.fingerprint,
          private_key: k.sealedPrivateKey,
          public_key: k.publicKeyDer.toString("base64"),
          valid_from: k.validFrom,
          valid_to: k.validTo,
        })
        .execute();
    },
  };
}
