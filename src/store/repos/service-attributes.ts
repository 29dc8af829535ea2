import type { Kysely } from "kysely";
import type { Database } from "../schema.js";
import type { ServiceAttributeRepo } from "../store.js";

export function serviceAttributeRepo(db: Kysely<Database>): ServiceAttributeRepo {
  return {
    async get(serviceId) {
      const rows = await db
        .selectFrom("service_attributes")
        .select(["attr_key", "attr_value"])
        .where("service_id", "=", serviceId)
        .orderBy("attr_key")
        .execute();
      const out: Record<string, string> = {};
      for (const r of rows) {
        // Keys are user data: `__proto__` must stay an own key.
        Object.defineProperty(out, r.attr_key, { value: r.attr_value, enumerable: true, writable: true, configurable: true });
      }
      return out;
    },
    async put(serviceId, attributes) {
      for (const [key, value] of Object.entries(attributes)) {
        await db
          .insertInto("service_attributes")
          .values({ service_id: serviceId, attr_key: key, attr_value: value })
          .onConflict((oc) => oc.columns(["service_id", "attr_key"]).doUpdateSet({ attr_value: value }))
          .execute();
      }
    },
    async remove(serviceId, keys) {
      if (keys.length === 0) return;
      await db.deleteFrom("service_attributes").where("service_id", "=", serviceId).where("attr_key", "in", keys).execute();
    },
    async removeAll(serviceId) {
      await db.deleteFrom("service_attributes").where("service_id", "=", serviceId).execute();
    },
  };
}
