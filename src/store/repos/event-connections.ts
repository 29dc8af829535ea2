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

type NamedTable = "event_connections" | "event_api_destinations";

/** The same operations on either table: both hold named resources of an account and region, with an ARN. */
function namedResources<T extends NamedTable, R>(db: Kysely<Database>, table: T, fromRow: (row: Selectable<Database[T]>) => R, toRow: (record: R) => Database[T]) {
  const key = (accountId: string, region: string, name: string) => ({ account_id: accountId, region, name });
  // Seen through the columns both tables share, so that one set of queries serves both.
  type Shared = { account_id: string; region: string; name: string; arn: string };
  const shared = db as unknown as Kysely<{ named: Shared }>;
  const t = table as unknown as "named";
  const from = (row: Shared) => fromRow(row as unknown as Selectable<Database[T]>);
  return {
    async insert(record: R) {
      await shared.insertInto(t).values(toRow(record) as unknown as Shared).execute();
    },
    async save(record: R) {
      const row = toRow(record) as unknown as Shared;
      await shared.updateTable(t).set(row).where((eb) => eb.and(key(row.account_id, row.region, row.name))).execute();
    },
    async get(accountId: string, region: string, name: string): Promise<R | undefined> {
      const row = await shared.selectFrom(t).selectAll().where((eb) => eb.and(key(accountId, region, name))).executeTakeFirst();
      return row && from(row);
    },
    async byArn(arn: string): Promise<R | undefined> {
      const row = await shared.selectFrom(t).selectAll().where("arn", "=", arn).executeTakeFirst();
      return row && from(row);
    },
    async list(accountId: string, region: string): Promise<R[]> {
      const rows = await shared.selectFrom(t).selectAll().where("account_id", "=", accountId).where("region", "=", region).orderBy("name").execute();
      return rows.map(from);
    },
    async delete(accountId: string, region: string, name: string) {
      await shared.deleteFrom(t).where((eb) => eb.and(key(accountId, region, name))).execute();
    },
  };
}

/** Connections and API destinations of an account in a region, by name (both are listed by name). */
export function eventConnectionRepo(db: Kysely<Database>): EventConnectionRepo {
  const connections = namedResources(db, "event_connections", connectionFromRow, connectionRow);
  const destinations = namedResources(db, "event_api_destinations", destinationFromRow, destinationRow);
  return {
    insertConnection: connections.insert,
    saveConnection: connections.save,
    getConnection: connections.get,
    connectionByArn: connections.byArn,
    listConnections: connections.list,
    deleteConnection: connections.delete,
    insertDestination: destinations.insert,
    saveDestination: destinations.save,
    getDestination: destinations.get,
    destinationByArn: destinations.byArn,
    listDestinations: destinations.list,
    deleteDestination: destinations.delete,
  };
}
