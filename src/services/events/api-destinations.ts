import net from "node:net";
import type { ApiDestinationRecord } from "../../store/event-bus-records.js";
import { noResourceType, operation, type OperationContext } from "../operation.js";
import { destinationByName } from "./authorization.js";
import { destinationArn } from "./arns.js";
import { alreadyExists, connectionNotFound, destinationNotFound, validation } from "./errors.js";
import { afterName, page } from "./paging.js";

const DEFAULT_RATE_LIMIT = 300;

/** An endpoint Cairn can call, and (for an IP literal) one the operator allows, as health checks do. */
function checkEndpoint(ctx: OperationContext, endpoint: string): void {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw validation(`InvocationEndpoint is not a valid URL: ${endpoint}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw validation("InvocationEndpoint must be an HTTPS (or, on Cairn, HTTP) URL.");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (net.isIP(host) === 0) return;
  const port = url.port === "" ? (url.protocol === "https:" ? 443 : 80) : Number(url.port);
  const refusal = ctx.healthCheckTargets.refusal(host, port);
  if (refusal) throw validation(`InvocationEndpoint is not allowed: ${refusal}`);
}

async function checkConnection(ctx: OperationContext, arn: string): Promise<void> {
  const connection = await ctx.tx.eventConnections.connectionByArn(arn);
  if (!connection || connection.accountId !== ctx.accountId || connection.region !== ctx.region) {
    throw connectionNotFound(/connection\/([^/]+)/.exec(arn)?.[1] ?? arn);
  }
}

async function findDestination(ctx: OperationContext, name: string): Promise<ApiDestinationRecord> {
  const d = await ctx.tx.eventConnections.getDestination(ctx.accountId, ctx.region, name);
  if (!d) throw destinationNotFound(name);
  return d;
}

function view(d: ApiDestinationRecord) {
  return {
    ApiDestinationArn: d.arn,
    Name: d.name,
    ApiDestinationState: d.state,
    ConnectionArn: d.connectionArn,
    InvocationEndpoint: d.invocationEndpoint,
    HttpMethod: d.httpMethod,
    InvocationRateLimitPerSecond: d.rateLimitPerSecond,
    CreationTime: new Date(d.createdAt),
    LastModifiedTime: new Date(d.modifiedAt),
  };
}

function stateView(d: ApiDestinationRecord) {
  return { ApiDestinationArn: d.arn, ApiDestinationState: d.state, CreationTime: new Date(d.createdAt), LastModifiedTime: new Date(d.modifiedAt) };
}

interface DestinationInput {
  Name: string;
  Description?: string;
  ConnectionArn?: string;
  InvocationEndpoint?: string;
  HttpMethod?: string;
  InvocationRateLimitPerSecond?: number;
}

const destinationResources = (input: { Name: string }, output: { ApiDestinationArn?: string } | undefined) => [
  { type: "AWS::Events::ApiDestination", name: output?.ApiDestinationArn ?? input.Name },
];

export const CreateApiDestination = operation<Required<Pick<DestinationInput, "ConnectionArn" | "InvocationEndpoint" | "HttpMethod">> & DestinationInput, unknown>({
  authorize: destinationByName,
  resources: destinationResources,
  async handle(input, ctx) {
    checkEndpoint(ctx, input.InvocationEndpoint);
    await checkConnection(ctx, input.ConnectionArn);
    if (await ctx.tx.eventConnections.getDestination(ctx.accountId, ctx.region, input.Name)) throw alreadyExists("An api-destination", input.Name);
    const at = ctx.now.getTime();
    const d: ApiDestinationRecord = {
      accountId: ctx.accountId,
      region: ctx.region,
      name: input.Name,
      arn: destinationArn(ctx.accountId, ctx.region, input.Name),
      connectionArn: input.ConnectionArn,
      invocationEndpoint: input.InvocationEndpoint,
      httpMethod: input.HttpMethod,
      rateLimitPerSecond: input.InvocationRateLimitPerSecond ?? DEFAULT_RATE_LIMIT,
      state: "ACTIVE",
      createdAt: at,
      modifiedAt: at,
      ...(input.Description !== undefined ? { description: input.Description } : {}),
    };
    await ctx.tx.eventConnections.insertDestination(d);
    return stateView(d);
  },
});

export const DescribeApiDestination = operation<{ Name: string }, unknown>({
  authorize: destinationByName,
  async handle(input, ctx) {
    const d = await findDestination(ctx, input.Name);
    return { ...view(d), Description: d.description };
  },
});

export const UpdateApiDestination = operation<DestinationInput, unknown>({
  authorize: destinationByName,
  resources: destinationResources,
  async handle(input, ctx) {
    const d = await findDestination(ctx, input.Name);
    if (input.InvocationEndpoint !== undefined) checkEndpoint(ctx, input.InvocationEndpoint);
    if (input.ConnectionArn !== undefined) await checkConnection(ctx, input.ConnectionArn);
    const next: ApiDestinationRecord = {
      ...d,
      connectionArn: input.ConnectionArn ?? d.connectionArn,
      invocationEndpoint: input.InvocationEndpoint ?? d.invocationEndpoint,
      httpMethod: input.HttpMethod ?? d.httpMethod,
      rateLimitPerSecond: input.InvocationRateLimitPerSecond ?? d.rateLimitPerSecond,
      modifiedAt: ctx.now.getTime(),
      ...(input.Description !== undefined ? { description: input.Description } : {}),
    };
    await ctx.tx.eventConnections.saveDestination(next);
    return stateView(next);
  },
});

export const ListApiDestinations = operation<{ NamePrefix?: string; ConnectionArn?: string; NextToken?: string; Limit?: number }, unknown>({
  authorize: noResourceType,
  async handle(input, ctx) {
    const after = afterName(input.NextToken);
    const all = (await ctx.tx.eventConnections.listDestinations(ctx.accountId, ctx.region)).filter(
      (d) =>
        (input.NamePrefix === undefined || d.name.startsWith(input.NamePrefix)) &&
        (input.ConnectionArn === undefined || d.connectionArn === input.ConnectionArn) &&
        (after === undefined || d.name > after),
    );
    const { items, nextToken } = page(all, input.Limit ?? 100, (d) => d.name);
    return { ApiDestinations: items.map(view), NextToken: nextToken };
  },
});

export const DeleteApiDestination = operation<{ Name: string }, unknown>({
  authorize: destinationByName,
  resources: destinationResources,
  async handle(input, ctx) {
    const d = await findDestination(ctx, input.Name);
    await ctx.tx.eventConnections.deleteDestination(ctx.accountId, ctx.region, d.name);
    return {};
  },
});
