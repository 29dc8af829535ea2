import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { startEventRetention } from "../../../src/audit/retention.js";
import { silentLogger } from "../../../src/observability/logger.js";
import type { EventFilter, EventQuery, FoundEvent, StoredEvent } from "../../../src/store/records.js";
import type { Store } from "../../../src/store/store.js";
import type { Subject } from "../conformance.js";
import { ACCOUNT, defined, event, idOf, sleep } from "../fixtures.js";

const BASE = Date.UTC(2026, 0, 10, 12, 0, 0);
const DAY = 86_400_000;

/** A varied event: several share each second (ties on time are broken by sequence), some have no resources. */
function variedEvent(i: number, overrides: Partial<StoredEvent> = {}): StoredEvent {
  const names = ["CreateService", "GetService", "ListServices", "RegisterInstance", "LookupEvents"];
  const eventName = names[i % names.length]!;
  return {
    eventId: randomUUID(),
    accountId: i % 11 === 0 ? "210987654321" : ACCOUNT,
    region: i % 7 === 0 ? "us-west-2" : "us-east-1",
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
  if (filter.key === "ResourceType") return e.resources.some((r) => r.type === filter.value);
  if (filter.key === "ResourceName") return e.resources.some((r) => r.name === filter.value);
  const facts = { EventId: e.eventId, EventName: e.eventName, EventSource: e.eventSource, Username: e.username, AccessKeyId: e.accessKeyId, ReadOnly: e.readOnly };
  return facts[filter.key] === filter.value;
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

export function eventCases(s: Subject): void {
  describe("events: lookup", () => {
    let store: Store;
    const all: StoredEvent[] = [];

    // Shared by the tests below, so opened and closed here rather than after each test.
    before(async () => {
      store = await s.impl.open(await s.impl.create());
      for (let i = 0; i < 240; i++) all.push(variedEvent(i));
      await store.transaction(async (tx) => {
        for (const e of all) await tx.events.append(e);
      });
    });
    after(() => store.close());

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

  describe("events: retention", () => {
    test("purgeBefore deletes the oldest events and their resources, in batches", async () => {
      const store = await s.fresh();
      await store.transaction(async (tx) => {
        for (let i = 0; i < 50; i++) await tx.events.append(variedEvent(i, { accountId: ACCOUNT, region: "us-east-1", eventTime: new Date(BASE + i * DAY) }));
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
    });
  });

  describe("events: the sequence", () => {
    test("seq grows with every append and every commit; after() reads in seq order; maxSeq is the last one", async () => {
      const store = await s.fresh();
      assert.equal(await store.transaction((tx) => tx.events.maxSeq()), 0, "0 when there is none");
      const first = [event("a"), event("b")];
      await store.transaction(async (tx) => {
        for (const e of first) await tx.events.append(e);
      });
      const later = event("c", { eventTime: new Date(BASE - DAY), errorCode: "Boom" });
      await store.transaction((tx) => tx.events.append(later));
      const log = await store.transaction((tx) => tx.events.after(0, 10));
      assert.deepEqual(log.map(idOf), [...first, later].map((e) => e.eventId), "in the order they committed, whatever their time");
      assert.ok(log[0]!.seq < log[1]!.seq && log[1]!.seq < log[2]!.seq);
      assert.equal(await store.transaction((tx) => tx.events.maxSeq()), log[2]!.seq);
      const { seq, ...facts } = log[2]!;
      assert.ok(seq > 0);
      assert.deepEqual(defined(facts), defined({ accountId: later.accountId, region: later.region, eventTime: later.eventTime, eventName: later.eventName, eventSource: later.eventSource, readOnly: false, errorCode: "Boom", record: later.record }));
      assert.deepEqual((await store.transaction((tx) => tx.events.after(log[0]!.seq, 1))).map(idOf), [first[1]!.eventId], "after the cursor, at most limit");
    });

    test("a reader of seq > cursor never skips an event, however concurrent writers interleave their commits", async () => {
      const { stores } = await s.nodes(3);
      const [writerA, writerB, reader] = stores as [Store, Store, Store];
      const written = new Set<string>();
      const seen: string[] = [];
      let cursor = 0;
      let writing = true;
      // Each transaction appends, then lingers a random while before committing: commits land in every order.
      const writers = [writerA, writerB].flatMap((store, w) =>
        Array.from({ length: 4 }, async (_, lane) => {
          for (let i = 0; i < 15; i++) {
            const e = event(`w${w}-${lane}-${i}`);
            await store.transaction(async (tx) => {
              if (i % 3 === 0) await tx.events.append(event(`extra-${w}-${lane}-${i}`)).then(() => undefined);
              await tx.events.append(e);
              await sleep(Math.random() * 4);
            });
            written.add(e.eventId);
          }
        }),
      );
      const reading = (async () => {
        while (writing) {
          const batch = await reader.transaction((tx) => tx.events.after(cursor, 7));
          for (const e of batch) {
            assert.ok(e.seq > cursor, "in sequence order");
            cursor = e.seq;
            seen.push(idOf(e));
          }
          if (batch.length === 0) await sleep(1);
        }
      })();
      await Promise.all(writers);
      writing = false;
      await reading;
      // Drain what committed after the last poll: the cursor only ever moved past events it had read.
      for (;;) {
        const batch = await reader.transaction((tx) => tx.events.after(cursor, 100));
        if (batch.length === 0) break;
        for (const e of batch) seen.push(idOf(e));
        cursor = batch[batch.length - 1]!.seq;
      }
      const all = await reader.transaction((tx) => tx.events.after(0, 10_000));
      assert.equal(seen.length, all.length, "the cursor read every event exactly once");
      assert.deepEqual(new Set(seen), new Set(all.map(idOf)));
      for (const id of written) assert.ok(seen.includes(id));
    });

    test("a rolled-back append leaves no event and takes no later event's place", async () => {
      const store = await s.fresh();
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.events.append(event("rolled-back"));
          throw new Error("handler failed");
        }),
        /handler failed/,
      );
      const kept = event("kept");
      await store.transaction((tx) => tx.events.append(kept));
      const all = await store.transaction((tx) => tx.events.after(0, 10));
      assert.deepEqual(
        all.map(idOf),
        [kept.eventId],
      );
    });
  });
}
