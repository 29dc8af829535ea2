import type { Kysely, Selectable } from "kysely";
import type { Database } from "../schema.js";
import { scopedRow } from "./scoped.js";
import type { NamespaceRepo } from "../store.js";
import type { NamespaceRecord, NamespaceType } from "../records.js";
import type { NoteChange } from "../changes.js";

type Row = Selectable<Database["namespaces"]>;

function fromRow(row: Row): NamespaceRecord {
  return {
    id: row.id,
    arn: row.arn,
    accountId: row.account_id,
    region: row.region,
    name: row.name,
    type: row.type as NamespaceType,
    description: row.description ?? undefined,
    httpName: row.http_name,
    hostedZoneId: row.hosted_zone_id ?? undefined,
    vpc: row.vpc ?? undefined,
    soaTtl: row.soa_ttl === null ? undefined : Number(row.soa_ttl),
    creatorRequestId: row.creator_request_id ?? undefined,
    createDate: new Date(Number(row.create_date)),
  };
}

export function namespaceRepo(db: Kysely<Database>, note: NoteChange): NamespaceRepo {
  const written = (ns: NamespaceRecord) => note({ kind: "namespace", accountId: ns.accountId, region: ns.region, id: ns.id, written: ns });
  return {
    async insert(ns) {
      await db
        .insertInto("namespaces")
        .values({
          id: ns.id,
          account_id: ns.accountId,
          region: ns.region,
          arn: ns.arn,
          name: ns.name,
          type: ns.type,
          description: ns.description ?? null,
          http_name: ns.httpName,
          hosted_zone_id: ns.hostedZoneId ?? null,
          vpc: ns.vpc ?? null,
          soa_ttl: ns.soaTtl ?? null,
          creator_request_id: ns.creatorRequestId ?? null,
          create_date: ns.createDate.getTime(),
        })
        .execute();
      written(ns);
    },
    async get(accountId, region, id) {
      const row = await scopedRow(db, "namespaces", accountId, region, id);
      return row && fromRow(row);
    },
    async byHttpName(accountId, region, httpName) {
      const row = await db
        .selectFrom("namespaces")
        .selectAll()
        .where("account_id", "=", accountId)
        .where("region", "=", region)
        .where("http_name", "=", httpName)
        .executeTakeFirst();
      return row && fromRow(row);
    },
    async list(accountId, region) {
      const rows = await db
        .selectFrom("namespaces")
        .selectAll()
        .where("account_id", "=", accountId)
        .where("region", "=", region)
        .orderBy("create_date")
        .orderBy("id")
        .execute();
      return rows.map(fromRow);
    },
    async listAll() {
      const rows = await db.selectFrom("namespaces").selectAll().orderBy("create_date").orderBy("id").execute();
      return rows.map(fromRow);
    },
    async count(accountId, region) {
      const row = await db
        .selectFrom("namespaces")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("account_id", "=", accountId)
        .where("region", "=", region)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async update(id, change) {
      const values: { description?: string | null; soa_ttl?: number } = {};
      if (change.description !== undefined) values.description = change.description;
      if (change.soaTtl !== undefined) values.soa_ttl = change.soaTtl;
      if (Object.keys(values).length === 0) return;
      const row = await db.updateTable("namespaces").set(values).where("id", "=", id).returningAll().executeTakeFirst();
      if (row) written(fromRow(row));
    },
    async delete(id) {
      const row = await db.deleteFrom("namespaces").where("id", "=", id).returning(["account_id", "region"]).executeTakeFirst();
      if (row) note({ kind: "namespace", accountId: row.account_id, region: row.region, id, written: null });
    },
  };
}
