import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, Migrator, SqliteDialect } from "kysely";
import { EventWriter } from "../../src/audit/event-writer.js";
import { startEventRetention } from "../../src/audit/retention.js";
import { silentLogger } from "../../src/observability/logger.js";
import { KyselyStore } from "../../src/store/kysely-store.js";
import { migrationProvider } from "../../src/store/migrations/index.js";
import { sqliteMigrationDialect } from "../../src/store/sqlite/migration-dialect.js";
import type { EventFilter, EventQuery, FoundEvent, StoredEvent } from "../../src/store/records.js";
import type { Database } from "../../src/store/schema.js";
import type { Store } from "../../src/store/store.js";
import { openTestStore } from "../support/stores.js";

const ACCOUNT = "123456789012";
const BASE = Date.UTC(2026, 0, 10, 12, 0, 0);
const DAY = 86_400_000;

const tempDirs: string[] = [];
function tempDb(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cairn-events-"));
  tempDirs.push(dir);
  return path.join(dir, "cairn.db");
}
after(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function event(i: number, overrides: Partial<StoredEvent> = {}): StoredEvent {
  const names = ["CreateService", "GetService", "ListServices", "RegisterInstance", "LookupEvents"];
  const eventName = names[i % names.length]!;
  return {
    eventId: randomUUID(),
    accountId: i % 11 === 0 ? "210987654321" : ACCOUNT,
    region: i % 7 === 0 ? "us-west-2" : "us-east-1",
    // Several events share each second, so ties on time are broken by sequence.
    eventTime: new Date(BASE + Math.floor(i / 3) * 1000),
    eventName,
    eventSource: eventName === "LookupEvents" ? "cloudtrail.amazonaws.com" : "servicediscovery.amazonaws.com",
    readOnly: eventName.startsWith("Get") || eventName.startsWith("List") || eventName === "LookupEvents",
    username: i % 4 === 0 ? "root" : `user-${i % 3}`,
    accessKeyId: i % 5 === 0 ? undefined : `AKIA${i % 2}`,
    errorCode: i % 9 === 0 ? "ServiceNotFound" : undefined,
    resources:
      i % 6 === 0
        ? []
        : [
            { type: "AWS::ServiceDiscovery::Service", name: `srv-${i % 4}` },
            // The same type twice: lookups must still return the event once.
            ...(i % 2 === 0 ? [{ type: "AWS::ServiceDiscovery::Service", name: `srv-${(i + 1) % 4}` }] : []),
            ...(i % 3 === 0 ? [{ type: "AWS::ServiceDiscovery::HttpNamespace", name: `ns-${i % 5}` }] : []),
          ],
    record: JSON.stringify({ i }),
    ...overrides,
  };
}

function matches(e: StoredEvent, filter: EventFilter | undefined): boolean {
  if (!filter) return true;
  switch (filter.key) {
    case "EventId":
      return e.eventId === filter.value;
    case "EventName":
      return e.eventName === filter.value;
    case "EventSource":
      return e.eventSource === filter.value;
    case "Username":
      return e.username === filter.value;
    case "AccessKeyId":
      return e.accessKeyId === filter.value;
    case "ReadOnly":
      return e.readOnly === filter.value;
    case "ResourceType":
      return e.resources.some((r) => r.type === filter.value);
    case "ResourceName":
      return e.resources.some((r) => r.name === filter.value);
  }
}

async function pageAll(store: Store, query: Omit<EventQuery, "after">): Promise<FoundEvent[]> {
  const out: FoundEvent[] = [];
  let after: EventQuery["after"];
  for (;;) {
    const page = await store.transaction((tx) => tx.events.lookup({ ...query, after }));
    assert.ok(page.events.length <= query.limit);
    out.push(...page.events);
    if (!page.next) return out;
    after = page.next;
  }
}

describe("event store: lookup", () => {
  let store: KyselyStore;
  const all: StoredEvent[] = [];

  before(async () => {
    store = await openTestStore();
    for (let i = 0; i < 240; i++) all.push(event(i));
    await store.transaction(async (tx) => {
      for (const e of all) await tx.events.append(e);
    });
  });
  after(async () => {
    await store.close();
  });

  const scope = (region = "us-east-1") => ({ accountId: ACCOUNT, region, from: new Date(BASE - DAY), to: new Date(BASE + DAY) });
  /** Newest first; equal times in append order reversed. */
  const expected = (filter: EventFilter | undefined, region = "us-east-1", from = BASE - DAY, to = BASE + DAY) =>
    all
      .map((e, seq) => ({ e, seq }))
      .filter(({ e }) => e.accountId === ACCOUNT && e.region === region && matches(e, filter) && e.eventTime.getTime() >= from && e.eventTime.getTime() <= to)
      .sort((a, b) => b.e.eventTime.getTime() - a.e.eventTime.getTime() || b.seq - a.seq)
      .map(({ e }) => e.eventId);

  test("every attribute, paged with cursors, gives exactly the matching events newest first", async () => {
    const filters: Array<EventFilter | undefined> = [
      undefined,
      { key: "EventName", value: "GetService" },
      { key: "EventSource", value: "cloudtrail.amazonaws.com" },
      { key: "ReadOnly", value: true },
      { key: "ReadOnly", value: false },
      { key: "Username", value: "root" },
      { key: "Username", value: "user-1" },
      { key: "AccessKeyId", value: "AKIA1" },
      { key: "ResourceType", value: "AWS::ServiceDiscovery::Service" },
      { key: "ResourceType", value: "AWS::ServiceDiscovery::HttpNamespace" },
      { key: "ResourceName", value: "srv-1" },
      { key: "ResourceName", value: "ns-3" },
      { key: "EventId", value: all[37]!.eventId },
      { key: "EventName", value: "Nothing" },
    ];
    for (const filter of filters) {
      for (const limit of [1, 7, 50]) {
        const found = await pageAll(store, { ...scope(), filter, limit });
        assert.deepEqual(
          found.map((e) => e.eventId),
          expected(filter),
          `${JSON.stringify(filter)} limit ${limit}`,
        );
      }
    }
  });

  test("a found event carries its facts, its resources in order, and its record", async () => {
    const source = all[38]!;
    const { events } = await store.transaction((tx) => tx.events.lookup({ ...scope(), filter: { key: "EventId", value: source.eventId }, limit: 5 }));
    assert.equal(events.length, 1);
    const { seq, ...rest } = events[0]!;
    assert.ok(seq > 0);
    assert.deepEqual(rest, source);
  });

  test("time bounds are inclusive and combine with attributes", async () => {
    const from = BASE + 10_000;
    const to = BASE + 20_000;
    for (const filter of [undefined, { key: "ReadOnly", value: true } as EventFilter, { key: "ResourceName", value: "srv-2" } as EventFilter]) {
      const found = await pageAll(store, { ...scope(), from: new Date(from), to: new Date(to), filter, limit: 4 });
      assert.deepEqual(
        found.map((e) => e.eventId),
        expected(filter, "us-east-1", from, to),
      );
      if (!filter) assert.ok(found.some((e) => e.eventTime.getTime() === from) && found.some((e) => e.eventTime.getTime() === to));
    }
    const empty = await store.transaction((tx) => tx.events.lookup({ ...scope(), from: new Date(to), to: new Date(from), limit: 5 }));
    assert.deepEqual(empty, { events: [] });
  });

  test("scoped to the account and the region", async () => {
    const west = await pageAll(store, { ...scope("us-west-2"), limit: 50 });
    assert.deepEqual(
      west.map((e) => e.eventId),
      expected(undefined, "us-west-2"),
    );
    assert.ok(west.length > 0 && west.every((e) => e.region === "us-west-2" && e.accountId === ACCOUNT));
    const other = all.find((e) => e.accountId !== ACCOUNT)!;
    const { events } = await store.transaction((tx) => tx.events.lookup({ ...scope(other.region), filter: { key: "EventId", value: other.eventId }, limit: 5 }));
    assert.deepEqual(events, []);
  });
});

describe("event store: retention", () => {
  test("purgeBefore deletes the oldest events and their resources, in batches", async () => {
    const store = await openTestStore();
    try {
      await store.transaction(async (tx) => {
        for (let i = 0; i < 50; i++) await tx.events.append(event(i, { accountId: ACCOUNT, region: "us-east-1", eventTime: new Date(BASE + i * DAY) }));
      });
      const cutoff = new Date(BASE + 20 * DAY);
      assert.equal(await store.transaction((tx) => tx.events.purgeBefore(cutoff, 8)), 8);
      const purger = startEventRetention(store, { retentionDays: 30, now: () => new Date(BASE + 50 * DAY), batch: 7, intervalMs: 3_600_000, logger: silentLogger });
      assert.equal(await purger.runOnce(), 12);
      await purger.stop();
      const left = await pageAll(store, { accountId: ACCOUNT, region: "us-east-1", from: new Date(0), to: new Date(BASE + 100 * DAY), limit: 50 });
      assert.equal(left.length, 30);
      assert.ok(left.every((e) => e.eventTime.getTime() >= BASE + 20 * DAY));
      const byResource = await pageAll(store, {
        accountId: ACCOUNT,
        region: "us-east-1",
        from: new Date(0),
        to: new Date(BASE + 100 * DAY),
        filter: { key: "ResourceType", value: "AWS::ServiceDiscovery::Service" },
        limit: 50,
      });
      assert.ok(byResource.every((e) => e.eventTime.getTime() >= BASE + 20 * DAY));
    } finally {
      await store.close();
    }
  });
});

describe("event writer", () => {
  test("concurrent records share transactions, and each append resolves once committed", async () => {
    const inner = await openTestStore();
    let transactions = 0;
    const counting: Pick<Store, "transaction"> = {
      transaction: (fn) => {
        transactions++;
        return inner.transaction(fn);
      },
    };
    try {
      const writer = new EventWriter(counting, 64);
      const events = Array.from({ length: 300 }, (_, i) => event(i, { accountId: ACCOUNT, region: "us-east-1" }));
      await Promise.all(events.map((e) => writer.append(e)));
      assert.ok(transactions <= Math.ceil(300 / 64) + 1, `${transactions} transactions`);
      const found = await pageAll(inner, { accountId: ACCOUNT, region: "us-east-1", from: new Date(0), to: new Date(BASE + DAY), limit: 50 });
      assert.equal(found.length, 300);
      await writer.append(event(1, { accountId: ACCOUNT, region: "us-east-1" }));
      await writer.drain();
    } finally {
      await inner.close();
    }
  });

  test("a failed commit rejects the appends it carried", async () => {
    const failing: Pick<Store, "transaction"> = {
      transaction: () => Promise.reject(new Error("disk full")),
    };
    const writer = new EventWriter(failing);
    await assert.rejects(writer.append(event(1)), /disk full/);
  });
});

// Migration 003 rewrote SQLite files written before it; PostgreSQL databases start at the latest schema.
describe("migration 003 (SQLite)", () => {
  test("resource rows written before it gain their event's scope and time", async () => {
    const file = tempDb();
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new BetterSqlite3(file) }) });
    const migrator = new Migrator({ db, provider: migrationProvider(sqliteMigrationDialect) });
    const first = await migrator.migrateTo("001-initial");
    assert.equal(first.error, undefined);
    const { seq } = await db
      .insertInto("events")
      .values({
        event_id: "e-1",
        account_id: ACCOUNT,
        region: "us-east-1",
        event_time: BASE,
        event_name: "GetService",
        event_source: "servicediscovery.amazonaws.com",
        read_only: 1,
        username: "root",
        access_key_id: null,
        error_code: null,
        record: "{}",
      })
      .returning("seq")
      .executeTakeFirstOrThrow();
    await (db as unknown as Kysely<{ event_resources: { seq: number; resource_type: string; resource_name: string } }>)
      .insertInto("event_resources")
      .values({ seq: Number(seq), resource_type: "AWS::ServiceDiscovery::Service", resource_name: "srv-old" })
      .execute();
    const store = new KyselyStore(db);
    await store.migrate(sqliteMigrationDialect);
    try {
      const { events } = await store.transaction((tx) =>
        tx.events.lookup({ accountId: ACCOUNT, region: "us-east-1", from: new Date(0), to: new Date(BASE), filter: { key: "ResourceName", value: "srv-old" }, limit: 5 }),
      );
      assert.equal(events.length, 1);
      assert.deepEqual(events[0]!.resources, [{ type: "AWS::ServiceDiscovery::Service", name: "srv-old" }]);
    } finally {
      await store.close();
    }
  });
});
