import { test } from "node:test";
import assert from "node:assert/strict";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import type { Database } from "../../src/store/schema.js";
import { prepared } from "../../src/store/repos/prepared.js";

test("a prepared statement is built once and runs with each call's values, an object's values by key", async () => {
  const sqlite = new BetterSqlite3(":memory:");
  sqlite.exec("create table tags (resource_arn text, tag_key text, tag_value text, position integer)");
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  let builds = 0;
  const insert = prepared((kysely: Kysely<Database>, row: { resource_arn: string; tag_key: string; tag_value: string; position: number }) => {
    builds++;
    return kysely.insertInto("tags").values(row);
  });
  const select = prepared((kysely: Kysely<Database>, arn: string, key: string) =>
    kysely.selectFrom("tags").select("tag_value").where("resource_arn", "=", arn).where("tag_key", "=", key),
  );
  await insert(db, { resource_arn: "arn:a", tag_key: "k1", tag_value: "v1", position: 0 });
  await insert(db, { resource_arn: "arn:a", tag_key: "k2", tag_value: "v2", position: 1 });
  await insert(db, { resource_arn: "arn:b", tag_key: "k1", tag_value: "v3", position: 0 });
  assert.equal(builds, 1);
  assert.deepEqual((await select(db, "arn:a", "k2")).rows, [{ tag_value: "v2" }]);
  assert.deepEqual((await select(db, "arn:b", "k1")).rows, [{ tag_value: "v3" }]);
  assert.deepEqual((await select(db, "arn:b", "k2")).rows, []);
  await db.destroy();
});
