import type { Kysely, Selectable } from "kysely";
import type { Database } from "../schema.js";
import { scopedRow } from "./scoped.js";
import { prepared } from "./prepared.js";
import { KEYS_PER_STATEMENT, chunks } from "./chunks.js";
import type { ServiceRepo } from "../store.js";
import type { ServiceDnsConfig, ServiceHealthCheckConfig, ServiceRecord, ServiceType } from "../records.js";
import type { NoteChange } from "../changes.js";

type Row = Selectable<Database["services"]>;

function json<T>(text: string | null): T | undefined {
  return text === null ? undefined : (JSON.parse(text) as T);
}

function fromRow(row: Row): ServiceRecord {
  return {
    id: row.id,
    arn: row.arn,
    accountId: row.account_id,
    region: row.region,
    namespaceId: row.namespace_id,
    name: row.name,
    type: row.type as ServiceType,
    description: row.description ?? undefined,
    dnsConfig: json<ServiceDnsConfig>(row.dns_config),
    healthCheckConfig: json<ServiceHealthCheckConfig>(row.health_check_config),
    healthCheckCustomConfig: json<{ FailureThreshold: number }>(row.health_check_custom_config),
    creatorRequestId: row.creator_request_id ?? undefined,
    createdByAccount: row.created_by_account,
    createDate: new Date(Number(row.create_date)),
    instancesRevision: Number(row.instances_revision),
  };
}

const bumpInstancesRevision = prepared((db: Kysely<Database>, id: string, atLeast: number) =>
  db
    .updateTable("services")
    .set((eb) => ({
      instances_revision: eb.case().when("instances_revision", ">=", atLeast).then(eb("instances_revision", "+", 1)).else(atLeast).end(),
    }))
    .where("id", "=", id)
    .returning("instances_revision"),
);

export function serviceRepo(db: Kysely<Database>, note: NoteChange): ServiceRepo {
  // A call reads its service more than once (its authorisation facts, then its handler): one read serves them all
  // until this repository writes a service. Nothing else writes one while the call runs: its writes take turns.
  const read = new Map<string, Promise<ServiceRecord | undefined>>();
  const written = (svc: ServiceRecord) => {
    read.clear();
    note({ kind: "service", accountId: svc.accountId, region: svc.region, id: svc.id, written: svc });
  };
  return {
    async insert(svc, nameKey) {
      await db
        .insertInto("services")
        .values({
          id: svc.id,
          account_id: svc.accountId,
          region: svc.region,
          namespace_id: svc.namespaceId,
          arn: svc.arn,
          name: svc.name,
          name_key: nameKey,
          type: svc.type,
          description: svc.description ?? null,
          dns_config: svc.dnsConfig ? JSON.stringify(svc.dnsConfig) : null,
          health_check_config: svc.healthCheckConfig ? JSON.stringify(svc.healthCheckConfig) : null,
          health_check_custom_config: svc.healthCheckCustomConfig ? JSON.stringify(svc.healthCheckCustomConfig) : null,
          creator_request_id: svc.creatorRequestId ?? null,
          created_by_account: svc.createdByAccount,
          create_date: svc.createDate.getTime(),
          instances_revision: svc.instancesRevision,
        })
        .execute();
      written(svc);
    },
    get(accountId, region, id) {
      const key = `${accountId}/${region}/${id}`;
      let service = read.get(key);
      if (!service) {
        service = scopedRow(db, "services", accountId, region, id).then((row) => row && fromRow(row));
        read.set(key, service);
        service.catch(() => read.delete(key));
      }
      return service;
    },
    async getMany(ids) {
      const rows = await Promise.all(chunks(ids, KEYS_PER_STATEMENT).map((chunk) => db.selectFrom("services").selectAll().where("id", "in", chunk).execute()));
      return rows.flat().map(fromRow);
    },
    async byNameKey(namespaceId, nameKey) {
      const row = await db.selectFrom("services").selectAll().where("namespace_id", "=", namespaceId).where("name_key", "=", nameKey).executeTakeFirst();
      return row && fromRow(row);
    },
    async list(accountId, region, filter, limit, cursor) {
      let q = db.selectFrom("services").selectAll().where("account_id", "=", accountId).where("region", "=", region);
      if (filter.namespaceId !== undefined) q = q.where("namespace_id", "=", filter.namespaceId);
      if (cursor) {
        q = q.where((eb) =>
          eb.or([eb("create_date", ">", cursor.time), eb.and([eb("create_date", "=", cursor.time), eb("id", ">", cursor.id)])]),
        );
      }
      const rows = await q.orderBy("create_date").orderBy("id").limit(limit).execute();
      return rows.map(fromRow);
    },
    async listAll() {
      const rows = await db.selectFrom("services").selectAll().orderBy("create_date").orderBy("id").execute();
      return rows.map(fromRow);
    },
    async update(id, change) {
      const values: { description?: string | null; dns_config?: string | null; health_check_config?: string | null } = {};
      if (change.description !== undefined) values.description = change.description;
      if (change.dnsConfig !== undefined) values.dns_config = change.dnsConfig === null ? null : JSON.stringify(change.dnsConfig);
      if (change.healthCheckConfig !== undefined) {
        values.health_check_config = change.healthCheckConfig === null ? null : JSON.stringify(change.healthCheckConfig);
      }
      if (Object.keys(values).length === 0) return;
      read.clear();
      const row = await db.updateTable("services").set(values).where("id", "=", id).returningAll().executeTakeFirst();
      if (row) written(fromRow(row));
    },
    async delete(id) {
      read.clear();
      const row = await db.deleteFrom("services").where("id", "=", id).returning(["account_id", "region"]).executeTakeFirst();
      if (row) note({ kind: "service", accountId: row.account_id, region: row.region, id, written: null });
    },
    async bumpRevision(id, atLeast) {
      // One statement, so concurrent writers (PostgreSQL) never hand out the same revision twice.
      read.clear();
      const revision = Number((await bumpInstancesRevision(db, id, atLeast)).rows[0]!.instances_revision);
      note({ kind: "instancesRevision", serviceId: id, revision });
      return revision;
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
