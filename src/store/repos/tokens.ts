import type { Kysely } from "kysely";
import type { Database } from "../schema.js";
import type { RequestTokenRepo } from "../store.js";

export function requestTokenRepo(db: Kysely<Database>): RequestTokenRepo {
  return {
    async get(accountId, region, operation, token) {
      const row = await db
        .selectFrom("request_tokens")
        .select("result")
        .where("account_id", "=", accountId)
        .where("region", "=", region)
        .where("operation", "=", operation)
        .where("token", "=", token)
        .executeTakeFirst();
      return row ? (JSON.parse(row.result) as unknown) : undefined;
    },
    async put(accountId, region, operation, token, result, at) {
      await db
        .insertInto("request_tokens")
        .values({ account_id: accountId, region, operation, token, result: JSON.stringify(result), created_at: at.getTime() })
        .execute();
    },
  };
}
