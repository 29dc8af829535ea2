import type { Insertable, Kysely, Selectable } from "kysely";
import type { Database } from "../schema.js";
import { prepared } from "./prepared.js";
import { KEYS_PER_STATEMENT, chunks } from "./chunks.js";
import type { InstanceRepo } from "../store.js";
import type { HealthStatus, InstanceRecord } from "../records.js";
import type { NoteChange } from "../changes.js";

type Row = Selectable<Database["instances"]>;

const selectInstance = prepared((db: Kysely<Database>, serviceId: string, instanceId: string) =>
  db.selectFrom("instances").selectAll().where("service_id", "=", serviceId).where("instance_id", "=", instanceId),
);

type Replaced = Omit<Insertable<Database["instances"]>, "service_id" | "instance_id" | "create_date">;
const upsertInstance = prepared((db: Kysely<Database>, serviceId: string, instanceId: string, createDate: number, replaced: Replaced) =>
  db
    .insertInto("instances")
    .values({ service_id: serviceId, instance_id: instanceId, create_date: createDate, ...replaced })
    .onConflict((oc) => oc.columns(["service_id", "instance_id"]).doUpdateSet(replaced)),
);

const count = (db: Kysely<Database>, column: "service_id" | "namespace_id", id: string) =>
  db.selectFrom("instances").select((eb) => eb.fn.countAll<number>().as("n")).where(column, "=", id);
const countInServiceAndNamespace = prepared((db: Kysely<Database>, serviceId: string, namespaceId: string) =>
  db.selectNoFrom([count(db, "service_id", serviceId).as("in_service"), count(db, "namespace_id", namespaceId).as("in_namespace")]),
);

function fromRow(row: Row): InstanceRecord {
  return {
    serviceId: row.service_id,
    id: row.instance_id,
    namespaceId: row.namespace_id,
    attributes: JSON.parse(row.attributes) as Record<string, string>,
    creatorRequestId: row.creator_request_id ?? undefined,
    createdByAccount: row.created_by_account,
    healthStatus: row.health_status as HealthStatus,
    customHealthStatus: (row.custom_health_status ?? undefined) as InstanceRecord["customHealthStatus"],
    healthChangedAt: row.health_changed_at === null ? undefined : new Date(Number(row.health_changed_at)),
    createDate: new Date(Number(row.create_date)),
    updateDate: new Date(Number(row.update_date)),
  };
}

export function instanceRepo(db: Kysely<Database>, note: NoteChange): InstanceRepo {
  const written = (serviceId: string, instanceId: string, instance: InstanceRecord | null) => note({ kind: "instance", serviceId, instanceId, written: instance });
  return {
    async get(serviceId, instanceId) {
      const row = (await selectInstance(db, serviceId, instanceId)).rows[0];
      return row && fromRow(row);
    },
    async getMany(keys) {
      const rows = await Promise.all(
        chunks(keys, KEYS_PER_STATEMENT).map((chunk) =>
          db
            .selectFrom("instances")
            .selectAll()
            .where((eb) => eb(eb.refTuple("service_id", "instance_id"), "in", chunk.map((k) => eb.tuple(k.serviceId, k.instanceId))))
            .execute(),
        ),
      );
      return rows.flat().map(fromRow);
    },
    async put(i) {
      const replaced: Replaced = {
        namespace_id: i.namespaceId,
        attributes: JSON.stringify(i.attributes),
        creator_request_id: i.creatorRequestId ?? null,
        created_by_account: i.createdByAccount,
        health_status: i.healthStatus,
        custom_health_status: i.customHealthStatus ?? null,
        health_changed_at: i.healthChangedAt?.getTime() ?? null,
        update_date: i.updateDate.getTime(),
      };
      await upsertInstance(db, i.serviceId, i.id, i.createDate.getTime(), replaced);
      // As written, but for the create date a replaced row keeps (callers pass it: RegisterInstance does).
      written(i.serviceId, i.id, i);
    },
    async delete(serviceId, instanceId) {
      const { numDeletedRows } = await db.deleteFrom("instances").where("service_id", "=", serviceId).where("instance_id", "=", instanceId).executeTakeFirst();
      if (numDeletedRows > 0n) written(serviceId, instanceId, null);
    },
    async list(serviceId, limit, cursor) {
      let q = db.selectFrom("instances").selectAll().where("service_id", "=", serviceId);
      if (cursor) {
        q = q.where((eb) =>
          eb.or([eb("create_date", ">", cursor.time), eb.and([eb("create_date", "=", cursor.time), eb("instance_id", ">", cursor.id)])]),
        );
      }
      const rows = await q.orderBy("create_date").orderBy("instance_id").limit(limit).execute();
      return rows.map(fromRow);
    },
    async listInService(serviceId) {
      const rows = await db.selectFrom("instances").selectAll().where("service_id", "=", serviceId).orderBy("create_date").orderBy("instance_id").execute();
      return rows.map(fromRow);
    },
    async listAll() {
      const rows = await db.selectFrom("instances").selectAll().orderBy("service_id").orderBy("create_date").orderBy("instance_id").execute();
      return rows.map(fromRow);
    },
    async countInService(serviceId) {
      const row = await db
        .selectFrom("instances")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("service_id", "=", serviceId)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async countInServiceAndNamespace(serviceId, namespaceId) {
      const row = (await countInServiceAndNamespace(db, serviceId, namespaceId)).rows[0]!;
      return { inService: Number(row.in_service), inNamespace: Number(row.in_namespace) };
    },
    async countByService(serviceIds) {
      if (serviceIds.length === 0) return new Map();
      const rows = await db
        .selectFrom("instances")
        .select((eb) => ["service_id", eb.fn.countAll<number>().as("n")])
        .where("service_id", "in", serviceIds)
        .groupBy("service_id")
        .execute();
      return new Map(rows.map((r) => [r.service_id, Number(r.n)]));
    },
    async setHealth(serviceId, instanceId, health, at) {
      const values: { health_status: string; health_changed_at: number; custom_health_status?: string } = {
        health_status: health.status,
        health_changed_at: at.getTime(),
      };
      if (health.customStatus !== undefined) values.custom_health_status = health.customStatus;
      const row = await db.updateTable("instances").set(values).where("service_id", "=", serviceId).where("instance_id", "=", instanceId).returningAll().executeTakeFirst();
      if (row) written(serviceId, instanceId, fromRow(row));
    },
  };
}
