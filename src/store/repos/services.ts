import type { Kysely } from "kysely";
import type { Database } from "../schema.js";
import type { ServiceRepo } from "../store.js";

export function serviceRepo(db: Kysely<Database>): ServiceRepo {
  return {
    async exists(accountId, region, id) {
      const row = await db
        .selectFrom("services")
        .select("id")
        .where("id", "=", id)
        .where("account_id", "=", accountId)
        .where("region", "=", region)
        .executeTakeFirst();
      return row !== undefined;
    },
    async countInNamespace(namespaceId) {
      const row = await db
        .selectFrom("services")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("namespace_id", "=", namespaceId)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async countByNamespace(accountId, region) {
      const rows = await db
        .selectFrom("services")
        .select((eb) => ["namespace_id", eb.fn.countAll<number>().as("n")])
        .where("account_id", "=", accountId)
        .where("region", "=", region)
        .groupBy("namespace_id")
        .execute();
      return new Map(rows.map((r) => [r.namespace_id, Number(r.n)]));
    },
  };
}
