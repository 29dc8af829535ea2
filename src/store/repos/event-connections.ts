import type { Kysely, Selectable } from "kysely";
import type { Database } from "../schema.js";
import type { EventConnectionRepo } from "../store.js";
import type { ApiDestinationRecord, ConnectionRecord } from "../event-bus-records.js";

function connectionFromRow(r: Selectable<Database["event_connections"]>): ConnectionRecord {
  const c: ConnectionRecord = {
    accountId: r.account_id,
    region: r.region,
    name: r.name,
    arn: r.arn,
    authorizationType: r.authorization_type as ConnectionRecord["authorizationType"],
    state: r.state,
    authPublic: JSON.parse(r.auth_public),
    authSealed: r.auth_sealed,
    createdAt: Number(r.created_at),
    modifiedAt: Number(r.modified_at),
  };
  if (r.description !== null) c.description = r.description;
  if (r.authorized_at !== null) c.authorizedAt = Number(r.authorized_at);
  return c;
}

function destinationFromRow(r: Selectable<Database["event_api_destinations"]>): ApiDestinationRecord {
  const d: ApiDestinationRecord = {
    accountId: r.account_id,
    region: r.region,
    name: r.name,
    arn: r.arn,
    connectionArn: r.connection_arn,
    invocationEndpoint: r.invocation_endpoint,
    httpMethod: r.http_method,
    rateLimitPerSecond: Number(r.rate_limit),
    state: r.state,
    createdAt: Number(r.created_at),
    modifiedAt: Number(r.modified_at),
  };
  if (r.description !== null) d.description = r.description;
  return d;
}

function connectionRow(c: ConnectionRecord) {
  return {
    account_id: c.accountId,
    region: c.region,
    name: c.name,
    arn: c.arn,
    description: c.description ?? null,
    authorization_type: c.authorizationType,
    state: c.state,
    auth_public: JSON.stringify(c.authPublic),
    auth_sealed: c.authSealed,
    created_at: c.createdAt,
    modified_at: c.modifiedAt,
    authorized_at: c.authorizedAt ?? null,
  };
}

function destinationRow(d: ApiDestinationRecord) {
  return {
    account_id: d.accountId,
    region: d.region,
    name: d.name,
    arn: d.arn,
    description: d.description ?? null,
    connection_arn: d.connectionArn,
    invocation_endpoint: d.invocationEndpoint,
    http_method: d.httpMethod,
    rate_limit: d.rateLimitPerSecond,
    state: d.state,
    created_at: d.createdAt,
    modified_at: d.modifiedAt,
  };
}

/** Connections and API destinations of an account in a region, by name (both are listed by name). */
export function eventConnectionRepo(db: Kysely<Database>): EventConnectionRepo {
  return {
    async insertConnection(c) {
      await db.insertInto("event_connections").values(connectionRow(c)).execute();
    },
    async saveConnection(c) {
      await db
        .updateTable("event_connections")
        .set(connectionRow(c))
        .where("account_id", "=", c.accountId)
        .where("region", "=", c.region)
        .where("name", "=", c.name)
        .execute();
    },
    async getConnection(accountId, region, name) {
      const row = await db
        .selectFrom("event_connections")
        .selectAll()
        .where("account_id", "=", accountId)
        .where("region", "=", region)
        .where("name", "=", name)
        .executeTakeFirst();
      return row && connectionFromRow(row);
    },
    async connectionByArn(arn) {
      const row = await db.selectFrom("event_connections").selectAll().where("arn", "=", arn).executeTakeFirst();
      return row && connectionFromRow(row);
    },
    async listConnections(accountId, region) {
      const rows = await db
        .selectFrom("event_connections")
        .selectAll()
        .where("account_id", "=", accountId)
        .where("region", "=", region)
        .orderBy("name")
        .execute();
      return rows.map(connectionFromRow);
    },
    async deleteConnection(accountId, region, name) {
      await db.deleteFrom("event_connections").where("account_id", "=", accountId).where("region", "=", region).where("name", "=", name).execute();
    },
    async insertDestination(d) {
      await db.insertInto("event_api_destinations").values(destinationRow(d)).execute();
    },
    async saveDestination(d) {
      await db
        .updateTable("event_api_destinations")
        .set(destinationRow(d))
        .where("account_id", "=", d.accountId)
        .where("region", "=", d.region)
        .where("name", "=", d.name)
        .execute();
    },
    async getDestination(accountId, region, name) {
      const row = await db
        .selectFrom("event_api_destinations")
        .selectAll()
        .where("account_id", "=", accountId)
        .where("region", "=", region)
        .where("name", "=", name)
        .executeTakeFirst();
      return row && destinationFromRow(row);
    },
    async destinationByArn(arn) {
      const row = await db.selectFrom("event_api_destinations").selectAll().where("arn", "=", arn).executeTakeFirst();
      return row && destinationFromRow(row);
    },
    async listDestinations(accountId, region) {
      const rows = await db
        .selectFrom("event_api_destinations")
        .selectAll()
        .where("account_id", "=", accountId)
        .where("region", "=", region)
        .orderBy("name")
        .execute();
      return rows.map(destinationFromRow);
    },
    async deleteDestination(accountId, region, name) {
      await db.deleteFrom("event_api_destinations").where("account_id", "=", accountId).where("region", "=", region).where("name", "=", name).execute();
    },
  };
}
