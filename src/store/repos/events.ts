import type { Kysely } from "kysely";
import type { Database } from "../schema.js";
import type { EventRepo } from "../store.js";

export function eventRepo(db: Kysely<Database>): EventRepo {
  return {
    async append(event) {
      const inserted = await db
        .insertInto("events")
        .values({
          event_id: event.eventId,
          account_id: event.accountId,
          region: event.region,
          event_time: event.eventTime.getTime(),
          event_name: event.eventName,
          event_source: event.eventSource,
          read_only: event.readOnly ? 1 : 0,
          username: event.username ?? null,
          access_key_id: event.accessKeyId ?? null,
          error_code: event.errorCode ?? null,
          record: event.record,
        })
        .returning("seq")
        .executeTakeFirstOrThrow();
      if (event.resources.length > 0) {
        await db
          .insertInto("event_resources")
          .values(event.resources.map((r) => ({ seq: Number(inserted.seq), resource_type: r.type, resource_name: r.name })))
          .execute();
      }
    },
  };
}
