import type { Kysely, Selectable } from "kysely";
import type { Database } from "../schema.js";
import { prepared } from "./prepared.js";

/** Tables whose rows are identified by `id` within an account and region. */
type ScopedTable = "namespaces" | "services" | "operations";

const byScopedId = (table: ScopedTable) =>
  prepared((db: Kysely<Database>, id: string, accountId: string, region: string) =>
    (db as unknown as Kysely<Record<string, { id: string; account_id: string; region: string }>>)
      .selectFrom(table)
      .selectAll()
      .where("id", "=", id)
      .where("account_id", "=", accountId)
      .where("region", "=", region),
  );

const selects = { namespaces: byScopedId("namespaces"), services: byScopedId("services"), operations: byScopedId("operations") };

/** The row with this id, if it belongs to this account and region: a resource never leaks across either. */
export async function scopedRow<T extends ScopedTable>(
  db: Kysely<Database>,
  table: T,
  accountId: string,
  region: string,
  id: string,
): Promise<Selectable<Database[T]> | undefined> {
  const { rows } = await selects[table](db, id, accountId, region);
  return rows[0] as Selectable<Database[T]> | undefined;
}
