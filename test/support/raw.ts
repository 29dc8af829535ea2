import http from "node:http";
import { Sha256 } from "@aws-crypto/sha256-js";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import type { Credentials } from "./cairn-process.js";

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json(): Record<string, unknown>;
}

export interface RawRequest {
  url: string;
  headers: Record<string, string>;
  body: string | Buffer;
  method?: string;
}

/** Sends exactly these bytes: no SDK in the way, so tests can tamper with anything. */
export function send(req: RawRequest): Promise<RawResponse> {
  const url = new URL(req.url);
  return new Promise((resolve, reject) => {
    const r = http.request(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method: req.method ?? "POST", headers: req.headers },
      (res) => {
        let body = "";
        res.on("data", (d: Buffer) => (body += d.toString()));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body, json: () => JSON.parse(body) as Record<string, unknown> }));
      },
    );
    r.on("error", reject);
    r.end(req.body);
  });
}

export const CLOUD_MAP_TARGET = "Route53AutoNaming_v20170314";

export interface SigningOptions {
  region?: string;
  service?: string;
  host?: string;
  signingDate?: Date;
  rawBody?: string;
}

/** A POST of `body` to `/`, signed by the AWS SDK's own signer. */
export async function signedPost(
  endpoint: string,
  credentials: Credentials,
  body: string,
  headers: Record<string, string>,
  options: SigningOptions & { service: string },
): Promise<RawRequest> {
  const url = new URL(endpoint);
  const request = new HttpRequest({
    method: "POST",
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: "/",
    headers: { host: options.host ?? url.host, ...headers },
    body,
  });
  const signer = new SignatureV4({ credentials, region: options.region ?? "us-east-1", service: options.service, sha256: Sha256 });
  const signed = await signer.sign(request, options.signingDate ? { signingDate: options.signingDate } : {});
  return { url: endpoint, headers: signed.headers as Record<string, string>, body };
}

/** An awsJson request for `target` signed by the AWS SDK's own signer. */
export function signedJsonRequest(
  endpoint: string,
  credentials: Credentials,
  target: string,
  payload: unknown,
  options: SigningOptions & { service: string },
): Promise<RawRequest> {
  const body = options.rawBody ?? JSON.stringify(payload);
  return signedPost(endpoint, credentials, body, { "content-type": "application/x-amz-json-1.1", "x-amz-target": target }, options);
}

/** A Cloud Map awsJson request signed by the AWS SDK's own signer. */
export function signedCloudMapRequest(
  endpoint: string,
  credentials: Credentials,
  operation: string,
  payload: unknown,
  options: SigningOptions = {},
): Promise<RawRequest> {
  return signedJsonRequest(endpoint, credentials, `${CLOUD_MAP_TARGET}.${operation}`, payload, { service: "servicediscovery", ...options });
}
