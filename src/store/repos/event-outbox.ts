import type { Kysely, Selectable } from "kysely";
import type { Database } from "../schema.js";
import type { NoteChange } from "../changes.js";
import type { EventOutboxRepo } from "../store.js";
import type { PendingDelivery } from "../event-bus-records.js";

function fromRow(r: Selectable<Database["event_outbox"]>): PendingDelivery {
  return {
    id: r.id,
    eventId: r.event_id,
    ruleArn: r.rule_arn,
    targetId: r.target_id,
    targetArn: r.target_arn,
    body: r.body,
    terms: JSON.parse(r.delivery),
    attempts: Number(r.attempts),
    createdAt: Number(r.created_at),
    nextAttemptAt: Number(r.next_attempt_at),
  };
}

/** Deliveries waiting for the event delivery worker; added ones are noted (counted, and the worker woken, after commit). */
export function eventOutboxRepo(db: Kysely<Database>, note: NoteChange): EventOutboxRepo {
  return {
    async add(deliveries) {
      if (deliveries.length === 0) return;
      // One statement for all of an event's matches: this runs in the call's own transaction.
      await db
        .insertInto("event_outbox")
        .values(
          deliveries.map((d) => ({
            id: d.id,
            event_id: d.eventId,
            rule_arn: d.ruleArn,
            target_id: d.targetId,
            target_arn: d.targetArn,
            body: d.body,
            delivery: JSON.stringify(d.terms),
            attempts: d.attempts,
            created_at: d.createdAt,
            next_attempt_at: d.nextAttemptAt,
          })),
        )
        .execute();
      note({ kind: "eventDeliveries", deliveries: deliveries.map((d) => ({ ruleArn: d.ruleArn, targetId: d.targetId })) });
    },
    async due(now, limit) {
      const rows = await db.selectFrom("event_outbox").selectAll().where("next_attempt_at", "<=", now).orderBy("next_attempt_at").orderBy("id").limit(limit).execute();
      return rows.map(fromRow);
    },
    async retryLater(id, attempts, nextAttemptAt) {
      await db.updateTable("event_outbox").set({ attempts, next_attempt_at: nextAttemptAt }).where("id", "=", id).execute();
    },
    async remove(id) {
      await db.deleteFrom("event_outbox").where("id", "=", id).execute();
    },
    async count() {
      const row = await db.selectFrom("event_outbox").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirst();
      return Number(row?.n ?? 0);
    },
  };
}
