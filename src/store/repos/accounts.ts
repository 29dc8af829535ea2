import type { Kysely, Selectable } from "kysely";
import type { Database } from "../schema.js";
import type { AccountRepo } from "../store.js";
import type { AccessKeyRecord } from "../records.js";
import { emptyAllButRoot } from "./reset.js";
import type { NoteChange } from "../changes.js";

export function accountRepo(db: Kysely<Database>, note: NoteChange): AccountRepo {
  return {
    async anyAccount() {
      const row = await db.selectFrom("accounts").select("account_id").orderBy("created_at").limit(1).executeTakeFirst();
      return row?.account_id;
    },
    async createAccount(accountId, at) {
      await db.insertInto("accounts").values({ account_id: accountId, created_at: at.getTime() }).execute();
    },
    async createAccessKey(key) {
      await db
        .insertInto("access_keys")
        .values({
          access_key_id: key.accessKeyId,
          account_id: key.accountId,
          secret_access_key: key.secretAccessKey,
          status: key.status,
          created_at: key.createdAt.getTime(),
          user_name: key.userName ?? null,
          service_principal: key.servicePrincipal ?? null,
        })
        .execute();
      note({ kind: "accessKey", id: key.accessKeyId });
    },
    async findAccessKey(accessKeyId) {
      const row = await db.selectFrom("access_keys").selectAll().where("access_key_id", "=", accessKeyId).executeTakeFirst();
      return row ? accessKeyFromRow(row) : undefined;
    },
    async rootAccessKeyId(accountId) {
      const row = await db
        .selectFrom("access_keys")
        .select("access_key_id")
        .where("account_id", "=", accountId)
        .where("user_name", "is", null)
        .where("service_principal", "is", null)
        .orderBy("created_at")
        .limit(1)
        .executeTakeFirst();
      return row?.access_key_id;
    },
    emptyAllButRoot: () => emptyAllButRoot(db, note),
  };
}

export function accessKeyFromRow(row: Selectable<Database["access_keys"]>): AccessKeyRecord {
  const key: AccessKeyRecord = {
    accessKeyId: row.access_key_id,
    accountId: row.account_id,
    secretAccessKey: row.secret_access_key,
    status: row.status === "Active" ? "Active" : "Inactive",
    createdAt: new Date(Number(row.created_at)),
  };
  if (row.user_name !== null) key.userName = row.user_name;
  if (row.service_principal !== null) key.servicePrincipal = row.service_principal;
  return key;
}
