import type { Kysely, Selectable } from "kysely";
import type { Database } from "../schema.js";

/** Tables whose rows are identified by `id` within an account and region. */
type ScopedTable = "namespaces" | "services" | "operations";

/** The row with this id, if it belongs to this account and region: a resource never leaks across either. */
export async function scopedRow<T extends ScopedTable>(
  db: Kysely<Database>,
  table: T,
  accountId: string,
  region: string,
  id: string,
): Promise<Selectable<Database[T]> | undefined> {
  const scoped = db as unknown as Kysely<Record<string, { id: string; account_id: string; region: string }>>;
  const row = await scoped
    .selectFrom(table as string)
    .selectAll()
    .where("id", "=", id)
    .where("account_id", "=", accountId)
    .where("region", "=", region)
    .executeTakeFirst();
  return row as Selectable<Database[T]> | undefined;
}
