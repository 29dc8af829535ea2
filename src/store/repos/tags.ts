import type { Kysely } from "kysely";
import type { Database } from "../schema.js";
import type { TagRepo } from "../store.js";
import { isIamUserArn, type NoteChange } from "../changes.js";

export function tagRepo(db: Kysely<Database>, note: NoteChange): TagRepo {
  // A user's tags are its principal tags (aws:PrincipalTag): authorisation must hear of them.
  const written = (resourceArn: string) => {
    if (isIamUserArn(resourceArn)) note({ kind: "policies" });
  };
  return {
    async list(resourceArn) {
      const rows = await db
        .selectFrom("tags")
        .select(["tag_key", "tag_value"])
        .where("resource_arn", "=", resourceArn)
        .orderBy("position")
        .execute();
      return rows.map((r) => ({ Key: r.tag_key, Value: r.tag_value }));
    },
    async put(resourceArn, tags) {
      if (tags.length === 0) return;
      const last = await db
        .selectFrom("tags")
        .select((eb) => eb.fn.max("position").as("p"))
        .where("resource_arn", "=", resourceArn)
        .executeTakeFirst();
      let position = Number(last?.p ?? 0);
      for (const tag of tags) {
        position += 1;
        await db
          .insertInto("tags")
          .values({ resource_arn: resourceArn, tag_key: tag.Key, tag_value: tag.Value, position })
          .onConflict((oc) => oc.columns(["resource_arn", "tag_key"]).doUpdateSet({ tag_value: tag.Value }))
          .execute();
      }
      written(resourceArn);
    },
    async remove(resourceArn, keys) {
      if (keys.length === 0) return;
      await db.deleteFrom("tags").where("resource_arn", "=", resourceArn).where("tag_key", "in", keys).execute();
      written(resourceArn);
    },
    async removeAll(resourceArn) {
      await db.deleteFrom("tags").where("resource_arn", "=", resourceArn).execute();
      written(resourceArn);
    },
  };
}
