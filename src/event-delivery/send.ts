import dns from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import type { HealthCheckTargets } from "../health/target-rule.js";
import type { ApiDestinationRecord, DeliveryTerms } from "../store/event-bus-records.js";
import type { ConnectionAuth } from "../services/events/connections.js";

/** API destinations answer within 5 seconds or the attempt fails, as on AWS. */
const TIMEOUT_MS = 5_000;
const USER_AGENT = "Amazon/EventBridge/ApiDestinations";

export type SendOutcome = { ok: true; status: number } | { ok: false; retryable: boolean; reason: string };

/** AWS retries these statuses (and network failures); any other failure is final. */
function retryableStatus(status: number): boolean {
  return status === 401 || status === 407 || status === 409 || status === 429 || status >= 500;
}

/** The request a delivery makes: the destination's endpoint and method, the connection's auth and parameters, the target's HttpParameters. */
export function buildRequest(destination: ApiDestinationRecord, auth: ConnectionAuth, terms: DeliveryTerms, body: string) {
  let endpoint = destination.invocationEndpoint;
  // Each `*` of the endpoint takes the next PathParameterValues entry.
  for (const value of terms.httpParameters?.PathParameterValues ?? []) endpoint = endpoint.replace("*", encodeURIComponent(value));
  const url = new URL(endpoint);
  const headers: Record<string, string> = { "content-type": "application/json; charset=utf-8", "user-agent": USER_AGENT };
  const invocation = auth.InvocationHttpParameters;
  for (const p of invocation?.QueryStringParameters ?? []) if (p.Key) url.searchParams.append(p.Key, p.Value ?? "");
  for (const [k, v] of Object.entries(terms.httpParameters?.QueryStringParameters ?? {})) url.searchParams.append(k, v);
  for (const [k, v] of Object.entries(terms.httpParameters?.HeaderParameters ?? {})) headers[k.toLowerCase()] = v;
  // The connection's parameters and auth win over the target's.
  for (const p of invocation?.HeaderParameters ?? []) if (p.Key) headers[p.Key.toLowerCase()] = p.Value ?? "";
  if (auth.BasicAuthParameters) {
    const { Username = "", Password = "" } = auth.BasicAuthParameters;
    headers.authorization = `Basic ${Buffer.from(`${Username}:${Password}`).toString("base64")}`;
  }
  if (auth.ApiKeyAuthParameters?.ApiKeyName) headers[auth.ApiKeyAuthParameters.ApiKeyName.toLowerCase()] = auth.ApiKeyAuthParameters.ApiKeyValue ?? "";
  let payload = body;
  const bodyParameters = invocation?.BodyParameters ?? [];
  if (bodyParameters.length > 0) {
    const parsed = JSON.parse(body) as unknown;
    if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) {
      for (const p of bodyParameters) if (p.Key) (parsed as Record<string, unknown>)[p.Key] = p.Value ?? "";
      payload = JSON.stringify(parsed);
    }
  }
  const method = destination.httpMethod.toUpperCase();
  return { url, method, headers, payload: method === "GET" || method === "HEAD" ? undefined : payload };
}

/**
 * The address to connect to, checked against the operator's allowed targets (the health-check rule): every
 * address the name resolves to must be allowed, and the connection goes to the one checked (no second lookup).
 */
async function allowedAddress(url: URL, targets: HealthCheckTargets): Promise<{ address: string; family: number } | string> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const port = url.port === "" ? (url.protocol === "https:" ? 443 : 80) : Number(url.port);
  const found = net.isIP(host) !== 0 ? [{ address: host, family: net.isIP(host) }] : await dns.lookup(host, { all: true });
  for (const a of found) {
    const refusal = targets.refusal(a.address, port);
    if (refusal) return refusal.replace("does not check the health of", "does not deliver to");
  }
  return found[0] ?? `no address for ${host}`;
}

export async function send(destination: ApiDestinationRecord, auth: ConnectionAuth, terms: DeliveryTerms, body: string, targets: HealthCheckTargets): Promise<SendOutcome> {
  const request = buildRequest(destination, auth, terms, body);
  let pinned: { address: string; family: number } | string;
  try {
    pinned = await allowedAddress(request.url, targets);
  } catch (error) {
    return { ok: false, retryable: true, reason: `lookup failed: ${(error as Error).message}` };
  }
  if (typeof pinned === "string") return { ok: false, retryable: false, reason: pinned };
  const address = pinned;
  const client = request.url.protocol === "https:" ? https : http;
  return new Promise<SendOutcome>((resolve) => {
    const req = client.request(
      request.url,
      {
        method: request.method,
        headers: request.payload === undefined ? request.headers : { ...request.headers, "content-length": String(Buffer.byteLength(request.payload)) },
        timeout: TIMEOUT_MS,
        // Connect to the address checked above; with `all` (happy eyeballs) the answer is a list.
        lookup: (_host, options, callback) => {
          const answer = callback as (e: null, a: string | { address: string; family: number }[], f?: number) => void;
          if ((options as { all?: boolean }).all) answer(null, [address]);
          else answer(null, address.address, address.family);
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => {
          const status = res.statusCode ?? 0;
          resolve(status >= 200 && status < 300 ? { ok: true, status } : { ok: false, retryable: retryableStatus(status), reason: `HTTP ${status}` });
        });
        res.on("error", (error) => resolve({ ok: false, retryable: true, reason: error.message }));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
    req.on("error", (error) => resolve({ ok: false, retryable: true, reason: error.message }));
    req.end(request.payload);
  });
}
