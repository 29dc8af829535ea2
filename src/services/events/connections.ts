import type { ConnectionRecord } from "../../store/event-bus-records.js";
import { noResourceType, operation, type OperationContext } from "../operation.js";
import { connectionByName } from "./authorization.js";
import { connectionArn } from "./arns.js";
import type { ServiceDeps } from "../service-deps.js";
import { alreadyExists, connectionNotFound, validation } from "./errors.js";
import { afterName, page } from "./paging.js";

type KeyValue = { Key?: string; Value?: string; IsValueSecret?: boolean };
interface HttpParams {
  HeaderParameters?: KeyValue[];
  QueryStringParameters?: KeyValue[];
  BodyParameters?: KeyValue[];
}

/** A connection's AuthParameters as stored (sealed): everything delivery needs, secrets included. */
export interface ConnectionAuth {
  BasicAuthParameters?: { Username?: string; Password?: string };
  ApiKeyAuthParameters?: { ApiKeyName?: string; ApiKeyValue?: string };
  InvocationHttpParameters?: HttpParams;
}

type AuthType = "API_KEY" | "BASIC" | "OAUTH_CLIENT_CREDENTIALS";

function checkAuth(type: AuthType, auth: ConnectionAuth & { OAuthParameters?: unknown }): asserts type is ConnectionRecord["authorizationType"] {
  if (type === "OAUTH_CLIENT_CREDENTIALS" || auth.OAuthParameters !== undefined) {
    throw validation("Cairn does not serve OAuth connections: use AuthorizationType API_KEY or BASIC.");
  }
  const member = type === "BASIC" ? "BasicAuthParameters" : "ApiKeyAuthParameters";
  if (auth[member] === undefined) throw validation(`Parameter(s) ${member} must be specified for authorization type ${type}.`);
}

/** What DescribeConnection may show: no password, no API key value, no secret parameter value. */
function publicAuth(auth: ConnectionAuth): Record<string, unknown> {
  const hide = (list: KeyValue[] | undefined) => list?.map((p) => (p.IsValueSecret ? { Key: p.Key, IsValueSecret: true } : p));
  const out: Record<string, unknown> = {};
  if (auth.BasicAuthParameters) out.BasicAuthParameters = { Username: auth.BasicAuthParameters.Username };
  if (auth.ApiKeyAuthParameters) out.ApiKeyAuthParameters = { ApiKeyName: auth.ApiKeyAuthParameters.ApiKeyName };
  const http = auth.InvocationHttpParameters;
  if (http) {
    out.InvocationHttpParameters = {
      HeaderParameters: hide(http.HeaderParameters),
      QueryStringParameters: hide(http.QueryStringParameters),
      BodyParameters: hide(http.BodyParameters),
    };
  }
  return out;
}

export function unsealAuth(deps: Pick<ServiceDeps, "box">, connection: ConnectionRecord): ConnectionAuth {
  return JSON.parse(deps.box.unseal(connection.authSealed)) as ConnectionAuth;
}

function sealed(deps: Pick<ServiceDeps, "box">, auth: ConnectionAuth): Pick<ConnectionRecord, "authPublic" | "authSealed"> {
  return { authPublic: publicAuth(auth), authSealed: deps.box.seal(JSON.stringify(auth)) };
}

export async function findConnection(ctx: OperationContext, name: string): Promise<ConnectionRecord> {
  const connection = await ctx.tx.eventConnections.getConnection(ctx.accountId, ctx.region, name);
  if (!connection) throw connectionNotFound(name);
  return connection;
}

/** The answer of Create/Update/Delete/DeauthorizeConnection. */
function stateView(c: ConnectionRecord, state = c.state) {
  return {
    ConnectionArn: c.arn,
    ConnectionState: state,
    CreationTime: new Date(c.createdAt),
    LastModifiedTime: new Date(c.modifiedAt),
    LastAuthorizedTime: c.authorizedAt === undefined ? undefined : new Date(c.authorizedAt),
  };
}

const connectionResources = (input: { Name: string }, output: { ConnectionArn?: string } | undefined) => [
  { type: "AWS::Events::Connection", name: output?.ConnectionArn ?? input.Name },
];

export const CreateConnection = operation<{ Name: string; Description?: string; AuthorizationType: AuthType; AuthParameters: ConnectionAuth }, unknown>({
  authorize: connectionByName,
    resources: connectionResources,
    async handle(input, ctx) {
      checkAuth(input.AuthorizationType, input.AuthParameters);
      if (await ctx.tx.eventConnections.getConnection(ctx.accountId, ctx.region, input.Name)) throw alreadyExists("Connection", input.Name);
      const at = ctx.now.getTime();
      const connection: ConnectionRecord = {
        accountId: ctx.accountId,
        region: ctx.region,
        name: input.Name,
        arn: connectionArn(ctx.accountId, ctx.region, input.Name),
        authorizationType: input.AuthorizationType,
        // API_KEY and BASIC connections need no token exchange: they are authorised at once.
        state: "AUTHORIZED",
        ...sealed(ctx.deps, input.AuthParameters),
        createdAt: at,
        modifiedAt: at,
        authorizedAt: at,
        ...(input.Description !== undefined ? { description: input.Description } : {}),
      };
      await ctx.tx.eventConnections.insertConnection(connection);
      return stateView(connection);
    },
  });

export const DescribeConnection = operation<{ Name: string }, unknown>({
  authorize: connectionByName,
  async handle(input, ctx) {
    const c = await findConnection(ctx, input.Name);
    return {
      ...stateView(c),
      Name: c.name,
      Description: c.description,
      AuthorizationType: c.authorizationType,
      SecretArn: `arn:aws:secretsmanager:${c.region}:${c.accountId}:secret:events!connection/${c.name}`,
      AuthParameters: c.authPublic,
    };
  },
});

export const ListConnections = operation<{ NamePrefix?: string; ConnectionState?: string; NextToken?: string; Limit?: number }, unknown>({
  authorize: noResourceType,
  async handle(input, ctx) {
    const after = afterName(input.NextToken);
    const all = (await ctx.tx.eventConnections.listConnections(ctx.accountId, ctx.region)).filter(
      (c) =>
        (input.NamePrefix === undefined || c.name.startsWith(input.NamePrefix)) &&
        (input.ConnectionState === undefined || c.state === input.ConnectionState) &&
        (after === undefined || c.name > after),
    );
    const { items, nextToken } = page(all, input.Limit ?? 100, (c) => c.name);
    return {
      Connections: items.map((c) => ({ ...stateView(c), Name: c.name, AuthorizationType: c.authorizationType })),
      NextToken: nextToken,
    };
  },
});

function merged(old: ConnectionAuth, update: ConnectionAuth | undefined): ConnectionAuth {
  if (!update) return old;
  return {
    ...old,
    ...(update.BasicAuthParameters ? { BasicAuthParameters: { ...old.BasicAuthParameters, ...update.BasicAuthParameters } } : {}),
    ...(update.ApiKeyAuthParameters ? { ApiKeyAuthParameters: { ...old.ApiKeyAuthParameters, ...update.ApiKeyAuthParameters } } : {}),
    ...(update.InvocationHttpParameters ? { InvocationHttpParameters: update.InvocationHttpParameters } : {}),
  };
}

export const UpdateConnection = operation<{ Name: string; Description?: string; AuthorizationType?: AuthType; AuthParameters?: ConnectionAuth }, unknown>({
  authorize: connectionByName,
    resources: connectionResources,
    async handle(input, ctx) {
      const old = await findConnection(ctx, input.Name);
      const type = input.AuthorizationType ?? old.authorizationType;
      const auth = merged(type === old.authorizationType ? unsealAuth(ctx.deps, old) : {}, input.AuthParameters);
      checkAuth(type, auth);
      const at = ctx.now.getTime();
      const next: ConnectionRecord = {
        ...old,
        authorizationType: type,
        state: "AUTHORIZED",
        ...sealed(ctx.deps, auth),
        modifiedAt: at,
        authorizedAt: at,
        ...(input.Description !== undefined ? { description: input.Description } : {}),
      };
      await ctx.tx.eventConnections.saveConnection(next);
      return stateView(next);
    },
  });

export const DeleteConnection = operation<{ Name: string }, unknown>({
  authorize: connectionByName,
  resources: connectionResources,
  async handle(input, ctx) {
    const c = await findConnection(ctx, input.Name);
    await ctx.tx.eventConnections.deleteConnection(ctx.accountId, ctx.region, c.name);
    return stateView(c, "DELETING");
  },
});

/** Forgets the connection's secrets: deliveries through it fail until UpdateConnection authorises it again. */
export const DeauthorizeConnection = operation<{ Name: string }, unknown>({
  authorize: connectionByName,
    // "Deauthorize" says nothing of writing: the call changes the connection.
    readOnly: false,
    resources: connectionResources,
    async handle(input, ctx) {
      const c = await findConnection(ctx, input.Name);
      const next: ConnectionRecord = { ...c, state: "DEAUTHORIZED", ...sealed(ctx.deps, {}), modifiedAt: ctx.now.getTime() };
      delete next.authorizedAt;
      await ctx.tx.eventConnections.saveConnection(next);
      return stateView(next, "DEAUTHORIZING");
    },
  });
