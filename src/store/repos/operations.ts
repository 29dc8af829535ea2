import type { Insertable, Kysely, Selectable } from "kysely";
import type { Database } from "../schema.js";
import { scopedRow } from "./scoped.js";
import { prepared } from "./prepared.js";
import type { OperationRepo } from "../store.js";
import type { OperationRecord, OperationStatus, OperationType } from "../records.js";

type Row = Selectable<Database["operations"]>;

const insertOperation = prepared((db: Kysely<Database>, row: Insertable<Database["operations"]>) => db.insertInto("operations").values(row));

function fromRow(row: Row): OperationRecord {
  return {
    id: row.id,
    accountId: row.account_id,
    region: row.region,
    type: row.type as OperationType,
    status: row.status as OperationStatus,
    errorCode: row.error_code ?? undefined,
    errorMessage: row.error_message ?? undefined,
    namespaceId: row.namespace_id ?? undefined,
    serviceId: row.service_id ?? undefined,
    instanceId: row.instance_id ?? undefined,
    createDate: new Date(Number(row.create_date)),
    updateDate: new Date(Number(row.update_date)),
  };
}

export function operationRepo(db: Kysely<Database>): OperationRepo {
  return {
    async insert(op) {
      await insertOperation(db, {
          id: op.id,
          account_id: op.accountId,
          region: op.region,
          type: op.type,
          status: op.status,
          error_code: op.errorCode ?? null,
          error_message: op.errorMessage ?? null,
          namespace_id: op.namespaceId ?? null,
          service_id: op.serviceId ?? null,
          instance_id: op.instanceId ?? null,
          create_date: op.createDate.getTime(),
          update_date: op.updateDate.getTime(),
        });
    },
    async get(accountId, region, id) {
      const row = await scopedRow(db, "operations", accountId, region, id);
      return row && fromRow(row);
    },
    async list(accountId, region, filter, limit, cursor) {
      let q = db.selectFrom("operations").selectAll().where("account_id", "=", accountId).where("region", "=", region);
      if (filter.namespaceId) q = q.where("namespace_id", "=", filter.namespaceId);
      if (filter.serviceId) q = q.where("service_id", "=", filter.serviceId);
      if (filter.statuses) q = q.where("status", "in", filter.statuses);
      if (filter.types) q = q.where("type", "in", filter.types);
      if (filter.updatedFrom) q = q.where("update_date", ">=", filter.updatedFrom.getTime());
      if (filter.updatedTo) q = q.where("update_date", "<=", filter.updatedTo.getTime());
      if (cursor) {
        q = q.where((eb) =>
          eb.or([eb("create_date", "<", cursor.time), eb.and([eb("create_date", "=", cursor.time), eb("id", "<", cursor.id)])]),
        );
      }
      const rows = await q.orderBy("create_date", "desc").orderBy("id", "desc").limit(limit).execute();
      return rows.map(fromRow);
    },
  };
}
