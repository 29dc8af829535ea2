import http, { type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { performance } from "node:perf_hooks";
import type { Logger } from "../observability/logger.js";
import type { RequestFacts } from "../observability/request-facts.js";
import type { RequestObserver } from "../observability/request-log.js";
import type { WireResponse } from "../protocol/codec.js";
import { commonErrors } from "../protocol/common-errors.js";
import { awsJsonCodec } from "../protocol/aws-json.js";
import { unexpectedFailure } from "./failures.js";
import type { Pipeline } from "./pipeline.js";
import { requestOrigin } from "./origin.js";
import type { TrustedProxies } from "./trusted-proxies.js";

/** What a client may cost the server: sizes, counts and times (see README, Production → Limits). */
export interface ConnectionLimits {
  maxBodyBytes: number;
  maxHeaderBytes: number;
  maxConnections: number;
  /** The whole header block must arrive within this time (slowloris). */
  headersTimeoutMs: number;
  /** The whole request, body included, must arrive within this time. */
  requestTimeoutMs: number;
  /** An idle kept-alive connection is closed after this time. */
  keepAliveTimeoutMs: number;
}

export interface HttpServerOptions {
  pipeline: Pipeline;
  limits: ConnectionLimits;
  /** PEM certificate chain and key: serve HTTPS instead of HTTP. */
  tls?: { cert: Buffer; key: Buffer };
  /** Answers `/_cairn/*` paths; returns undefined for paths it does not know. */
  reserved(req: IncomingMessage): Promise<WireResponse | undefined> | WireResponse | undefined;
  logger: Logger;
  observe: RequestObserver;
  /** Proxies whose X-Forwarded-For is believed for sourceIPAddress. */
  trustedProxies?: TrustedProxies;
}

class BodyTooLarge extends Error {}
class ClientGone extends Error {}

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) return Promise.reject(new BodyTooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let ended = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLarge());
        req.pause();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      ended = true;
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    });
    req.on("error", reject);
    // A body cut short (bad chunked encoding, timeout, hang-up) never ends: the request is over. Every request
    // closes, so the error (a stack trace to capture) is only built for those that did not end.
    req.on("close", () => {
      if (!ended) reject(new ClientGone());
    });
  });
}

function write(res: ServerResponse, response: WireResponse, close = false): void {
  // Node adds the Date header itself (formatted once a second rather than once a response).
  res.writeHead(response.status, close ? { ...response.headers, connection: "close" } : response.headers);
  const { body } = response;
  if (body instanceof Buffer) return void res.end(body);
  // Corked: head and pieces leave in one writev when `end` uncorks.
  res.cork();
  for (let i = 0; i < body.length - 1; i++) res.write(body[i]);
  res.end(body[body.length - 1]);
}

/** Errors Node's HTTP parser raises before a request exists, answered as AWS-shaped JSON, then the connection closes. */
function clientErrorResponse(error: NodeJS.ErrnoException): string {
  const [status, reason, code, message] =
    error.code === "HPE_HEADER_OVERFLOW"
      ? [431, "Request Header Fields Too Large", "RequestHeaderFieldsTooLarge", "The request's headers are too large."]
      : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? [408, "Request Timeout", "RequestTimeout", "The request was not received in time."]
        : [400, "Bad Request", "SerializationException", "The request is not valid HTTP/1.1."];
  const body = JSON.stringify({ __type: code, Message: message });
  return (
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/x-amz-json-1.1\r\nx-amzn-errortype: ${code}\r\n` +
    `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`
  );
}

/** The HTTP(S) listener: bodies in (bounded), wire responses out; everything else is the pipeline's. */
export function createHttpServer(options: HttpServerOptions): http.Server {
  const { pipeline, limits, logger, observe } = options;
  const serverOptions: http.ServerOptions = {
    keepAlive: true,
    maxHeaderSize: limits.maxHeaderBytes,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    // How often Node looks for requests past those timeouts.
    connectionsCheckingInterval: Math.min(5_000, limits.headersTimeoutMs),
  };
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const startedAt = performance.now();
    const origin = requestOrigin(req, options.trustedProxies);
    const facts: RequestFacts = {};
    const answer = (response: WireResponse, close = false): void => {
      write(res, response, close);
      observe(req, origin, facts, response, startedAt);
    };
    const handle = async (): Promise<void> => {
      // Most requests are API calls, for which the reserved paths answer at once: no await (and no tick) for them.
      const pending = options.reserved(req);
      const reserved = pending instanceof Promise ? await pending : pending;
      if (reserved) return answer(reserved);
      // awsQuery APIs (STS, IAM) also take their fields in a GET query string (presigned GetCallerIdentity).
      const queryApiGet = req.method === "GET" && /[?&]Action=/.test(req.url ?? "");
      if (req.method !== "POST" && !queryApiGet) {
        const error = commonErrors.NotAnApiRequest(`${req.method ?? "?"} ${req.url ?? ""} is not an AWS API request.`);
        return answer(awsJsonCodec.encodeError(error, origin.requestId));
      }
      let body: Buffer;
      try {
        body = await readBody(req, limits.maxBodyBytes);
      } catch (error) {
        if (!(error instanceof BodyTooLarge)) throw error;
        const tooLarge = commonErrors.RequestEntityTooLargeException(`Request body is larger than ${limits.maxBodyBytes} bytes.`);
        // The rest of the body is never read, so the connection cannot be reused.
        return answer(awsJsonCodec.encodeError(tooLarge, origin.requestId), true);
      }
      answer(await pipeline.handle(req, body, origin, facts));
    };
    handle().catch((error: unknown) => {
      if (error instanceof ClientGone || res.destroyed) {
        logger.debug("client went away before its request was complete", { requestId: origin.requestId });
        return;
      }
      logger.error("request failed", { requestId: origin.requestId }, error);
      if (!res.headersSent) answer(awsJsonCodec.encodeError(unexpectedFailure(error), origin.requestId));
      else res.destroy();
    });
  };
  const server = options.tls ? https.createServer({ ...serverOptions, cert: options.tls.cert, key: options.tls.key }, onRequest) : http.createServer(serverOptions, onRequest);
  server.maxConnections = limits.maxConnections;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) => {
    logger.debug("malformed request", { code: error.code ?? "unknown" });
    if (error.code === "ECONNRESET" || !socket.writable) {
      socket.destroy();
      return;
    }
    socket.end(clientErrorResponse(error));
  });
  return server;
}

export function listen(server: http.Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(server.address() as AddressInfo);
    });
  });
}
