import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { WireResponse } from "../protocol/codec.js";
import { ServiceError, internalFailure } from "../protocol/errors.js";
import { awsJsonCodec } from "../protocol/aws-json.js";
import type { Pipeline } from "./pipeline.js";
import { requestOrigin } from "./origin.js";
import type { TrustedProxies } from "./trusted-proxies.js";

export interface HttpServerOptions {
  pipeline: Pipeline;
  maxBodyBytes: number;
  /** Answers `/_cairn/*` paths; returns undefined for paths it does not know. */
  reserved(req: IncomingMessage): Promise<WireResponse | undefined> | WireResponse | undefined;
  log(message: string, error?: unknown): void;
  /** Proxies whose X-Forwarded-For is believed for sourceIPAddress. */
  trustedProxies?: TrustedProxies;
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) return Promise.reject(new BodyTooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLarge());
        req.pause();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function write(res: ServerResponse, response: WireResponse, close = false): void {
  // Node adds the Date header itself (formatted once a second rather than once a response).
  res.writeHead(response.status, close ? { ...response.headers, connection: "close" } : response.headers);
  res.end(response.body);
}

/** The HTTP listener: bodies in (bounded), wire responses out; everything else is the pipeline's. */
export function createHttpServer(options: HttpServerOptions): http.Server {
  const { pipeline, maxBodyBytes, log } = options;
  const server = http.createServer({ keepAlive: true }, (req, res) => {
    const origin = requestOrigin(req, options.trustedProxies);
    const handle = async (): Promise<void> => {
      const reserved = await options.reserved(req);
      if (reserved) return write(res, reserved);
      // awsQuery APIs (STS, IAM) also take their fields in a GET query string (presigned GetCallerIdentity).
      const queryApiGet = req.method === "GET" && /[?&]Action=/.test(req.url ?? "");
      if (req.method !== "POST" && !queryApiGet) {
        const error = new ServiceError("UnknownOperationException", `${req.method ?? "?"} ${req.url ?? ""} is not an AWS API request.`, {
          httpStatus: 404,
        });
        return write(res, awsJsonCodec.encodeError(error, origin.requestId));
      }
      let body: Buffer;
      try {
        body = await readBody(req, maxBodyBytes);
      } catch (error) {
        if (!(error instanceof BodyTooLarge)) throw error;
        const tooLarge = new ServiceError("RequestEntityTooLargeException", `Request body is larger than ${maxBodyBytes} bytes.`, {
          httpStatus: 413,
        });
        // The rest of the body is never read, so the connection cannot be reused.
        return write(res, awsJsonCodec.encodeError(tooLarge, origin.requestId), true);
      }
      write(res, await pipeline.handle(req, body, origin));
    };
    handle().catch((error: unknown) => {
      log("request failed", error);
      if (!res.headersSent) write(res, awsJsonCodec.encodeError(internalFailure(), origin.requestId));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
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
