import { PostgresAdapter, sql, type Insertable, type Kysely, type Selectable } from "kysely";
import { prepared } from "./prepared.js";
import type { Database } from "../schema.js";
import type { EventRepo } from "../store.js";
import type { LogEvent } from "../trail-records.js";
import type { EventCursor, EventFilter, EventQuery, EventResource, FoundEvent } from "../records.js";

type EventRow = Selectable<Database["events"]>;

/** The events column each plain attribute matches (resource attributes live in event_resources). */
const COLUMN = {
  EventId: "event_id",
  EventName: "event_name",
  EventSource: "event_source",
  Username: "username",
  AccessKeyId: "access_key_id",
} as const;

type ResourceFilter = Extract<EventFilter, { key: "ResourceType" | "ResourceName" }>;

function isResourceFilter(filter: EventFilter | undefined): filter is ResourceFilter {
  return filter?.key === "ResourceType" || filter?.key === "ResourceName";
}

/** The columns the delivery worker reads. */
const LOG_COLUMNS = ["seq", "account_id", "region", "event_time", "event_name", "event_source", "read_only", "error_code", "record"] as const;

function logEventFromRow(row: Pick<EventRow, (typeof LOG_COLUMNS)[number]>): LogEvent {
  return {
    seq: Number(row.seq),
    accountId: row.account_id,
    region: row.region,
    eventTime: new Date(Number(row.event_time)),
    eventName: row.event_name,
    eventSource: row.event_source,
    readOnly: Number(row.read_only) === 1,
    errorCode: row.error_code ?? undefined,
    record: row.record,
  };
}

function fromRow(row: EventRow, resources: EventResource[]): FoundEvent {
  return {
    ...logEventFromRow(row),
    eventId: row.event_id,
    username: row.username ?? undefined,
    accessKeyId: row.access_key_id ?? undefined,
    resources,
  };
}

/**
 * Every query below is one backward range scan of an index shaped (account_id, region, <attribute>, event_time,
 * seq): the scope and attribute are equalities, the time range and the cursor bound event_time from both sides,
 * and the row value `(event_time, seq) < cursor` resumes exactly after the last event of the previous page.
 */
type NewEventRow = Insertable<Database["events"]>;
const insertEvent = prepared((db: Kysely<Database>, row: NewEventRow) => db.insertInto("events").values(row).returning("seq"));
const insertEventResource = prepared((db: Kysely<Database>, row: Insertable<Database["event_resources"]>) => db.insertInto("event_resources").values(row));
const insertEventWithResources = prepared((db: Kysely<Database>, row: NewEventRow, types: string[], names: string[]) =>
  db
    .with("e", (q) => q.insertInto("events").values(row).returning("seq"))
    .insertInto("event_resources")
    .columns(["seq", "position", "account_id", "region", "event_time", "resource_type", "resource_name"])
    .expression(
      sql`select e.seq, r.position - 1, ${row.account_id}, ${row.region}, ${row.event_time}::bigint, r.type, r.name
        from e, unnest(${types}::text[], ${names}::text[]) with ordinality as r(type, name, position)`,
    ),
);

export function eventRepo(db: Kysely<Database>): EventRepo {
  /** The next `limit` matching events, newest first, found through an index on events. */
  async function rowsInEvents(query: EventQuery, filter: Exclude<EventFilter, ResourceFilter> | undefined, upper: number, limit: number) {
    let q = db
      .selectFrom("events")
      .selectAll()
      .where("account_id", "=", query.accountId)
      .where("region", "=", query.region);
    if (filter) {
      q = filter.key === "ReadOnly" ? q.where("read_only", "=", filter.value ? 1 : 0) : q.where(COLUMN[filter.key], "=", filter.value);
    }
    q = q.where("event_time", ">=", query.from.getTime()).where("event_time", "<=", upper);
    if (query.after) q = q.where((eb) => eb(eb.refTuple("event_time", "seq"), "<", eb.tuple(query.after!.time, query.after!.seq)));
    return q.orderBy("event_time", "desc").orderBy("seq", "desc").limit(limit).execute();
  }

  /** The same through an index on event_resources (an event may name several resources: distinct events only). */
  async function rowsByResource(query: EventQuery, filter: ResourceFilter, upper: number, limit: number) {
    let q = db
      .selectFrom("event_resources")
      .select(["event_time", "seq"])
      .distinct()
      .where("account_id", "=", query.accountId)
      .where("region", "=", query.region)
      .where(filter.key === "ResourceType" ? "resource_type" : "resource_name", "=", filter.value)
      .where("event_time", ">=", query.from.getTime())
      .where("event_time", "<=", upper);
    if (query.after) q = q.where((eb) => eb(eb.refTuple("event_time", "seq"), "<", eb.tuple(query.after!.time, query.after!.seq)));
    const positions = await q.orderBy("event_time", "desc").orderBy("seq", "desc").limit(limit).execute();
    if (positions.length === 0) return [];
    const rows = await db
      .selectFrom("events")
      .selectAll()
      .where(
        "seq",
        "in",
        positions.map((p) => Number(p.seq)),
      )
      .execute();
    const bySeq = new Map(rows.map((r) => [Number(r.seq), r]));
    return positions.map((p) => bySeq.get(Number(p.seq))).filter((r): r is EventRow => r !== undefined);
  }

  async function resourcesOf(seqs: number[]): Promise<Map<number, EventResource[]>> {
    const out = new Map<number, EventResource[]>();
    if (seqs.length === 0) return out;
    const rows = await db
      .selectFrom("event_resources")
      .select(["seq", "resource_type", "resource_name"])
      .where("seq", "in", seqs)
      .orderBy("seq")
      .orderBy("position")
      .execute();
    for (const r of rows) {
      const seq = Number(r.seq);
      let list = out.get(seq);
      if (!list) out.set(seq, (list = []));
      list.push({ type: r.resource_type, name: r.resource_name });
    }
    return out;
  }

  return {
    async append(event) {
      const eventTime = event.eventTime.getTime();
      const row = {
        event_id: event.eventId,
        account_id: event.accountId,
        region: event.region,
        event_time: eventTime,
        event_name: event.eventName,
        event_source: event.eventSource,
        read_only: event.readOnly ? 1 : 0,
        username: event.username ?? null,
        access_key_id: event.accessKeyId ?? null,
        error_code: event.errorCode ?? null,
        record: event.record,
      };
      if (event.resources.length > 0 && db.getExecutor().adapter instanceof PostgresAdapter) {
        // One round trip on PostgreSQL, where writers hold a lock across the network: the event's insert is a CTE
        // whose seq the resources' insert takes (SQLite, in process, has no round trips to save and no such CTE).
        const types = event.resources.map((r) => r.type);
        await insertEventWithResources(db, row, types, event.resources.map((r) => r.name));
        return;
      }
      const seq = Number((await insertEvent(db, row)).rows[0]!.seq);
      for (const [position, r] of event.resources.entries()) {
        await insertEventResource(db, {
          seq,
          position,
          account_id: event.accountId,
          region: event.region,
          event_time: eventTime,
          resource_type: r.type,
          resource_name: r.name,
        });
      }
    },

    async lookup(query) {
      const upper = Math.min(query.to.getTime(), query.after?.time ?? Number.POSITIVE_INFINITY);
      if (upper < query.from.getTime() || query.limit <= 0) return { events: [] };
      // One more than asked for tells whether another page exists.
      const { filter } = query;
      const rows = isResourceFilter(filter)
        ? await rowsByResource(query, filter, upper, query.limit + 1)
        : await rowsInEvents(query, filter, upper, query.limit + 1);
      const page = rows.slice(0, query.limit);
      const resources = await resourcesOf(page.map((r) => Number(r.seq)));
      const events = page.map((r) => fromRow(r, resources.get(Number(r.seq)) ?? []));
      const last = events[events.length - 1];
      const next: EventCursor | undefined = rows.length > query.limit && last ? { time: last.eventTime.getTime(), seq: last.seq } : undefined;
      return next ? { events, next } : { events };
    },


    async purgeBefore(cutoff, batch) {
      // The log is appended in time order, so the oldest events are the first seqs: look only at the head.
      const head = await db.selectFrom("events").select(["seq", "event_time"]).orderBy("seq").limit(batch).execute();
      const expired = head.filter((r) => Number(r.event_time) < cutoff.getTime()).map((r) => Number(r.seq));
      if (expired.length === 0) return 0;
      await db.deleteFrom("event_resources").where("seq", "in", expired).execute();
      await db.deleteFrom("events").where("seq", "in", expired).execute();
      return expired.length;
    },

    async after(afterSeq, limit) {
      const rows = await db
        .selectFrom("events")
        .select(LOG_COLUMNS)
        .where("seq", ">", afterSeq)
        .orderBy("seq")
        .limit(limit)
        .execute();
      return rows.map(logEventFromRow);
    },

    async maxSeq() {
      const row = await db.selectFrom("events").select((eb) => eb.fn.max("seq").as("m")).executeTakeFirst();
      return Number(row?.m ?? 0);
    },
  };
}
