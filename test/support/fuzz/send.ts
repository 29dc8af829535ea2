import { randomBytes } from "node:crypto";
import http from "node:http";
import net from "node:net";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import type { Credentials } from "../cairn-process.js";
import { NodeSha256 } from "../node-sha256.js";
import type { FuzzRequest } from "./requests.js";

export interface FuzzResponse {
  status: number;
  body: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });

export function closeAgent(): void {
  agent.destroy();
}

async function headersFor(request: FuzzRequest, url: URL, credentials: Credentials): Promise<Record<string, string>> {
  const headers: Record<string, string> = { host: url.host };
  if (request.contentType !== undefined) headers["content-type"] = request.contentType;
  if (request.target !== undefined) headers["x-amz-target"] = request.target;
  if (request.delivery === "unsigned") return headers;
  if (request.delivery === "garbage-signature") {
    return {
      ...headers,
      "x-amz-date": "20200101T000000Z",
      authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/20200101/${request.region}/x/aws4_request, SignedHeaders=host, Signature=${randomBytes(32).toString("hex")}`,
    };
  }
  const signer = new SignatureV4({ credentials, region: request.region, service: request.api.signingName, sha256: NodeSha256 });
  const signed = await signer.sign(new HttpRequest({ method: "POST", protocol: url.protocol, hostname: url.hostname, port: Number(url.port), path: "/", headers, body: request.body }));
  return signed.headers as Record<string, string>;
}

function viaSocket(url: URL, bytes: Buffer): Promise<FuzzResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname, () => socket.end(bytes));
    const chunks: Buffer[] = [];
    socket.on("data", (d: Buffer) => chunks.push(d));
    socket.on("error", reject);
    socket.on("close", () => {
      const text = Buffer.concat(chunks).toString("latin1");
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (!status) return reject(new Error(`no HTTP response, got ${JSON.stringify(text.slice(0, 200))}`));
      resolve({ status: Number(status[1]), body: text.slice(text.indexOf("\r\n\r\n") + 4) });
    });
  });
}

/** Sends one fuzz request to Cairn at `endpoint` and reads the whole answer. */
export async function sendFuzz(endpoint: string, credentials: Credentials, request: FuzzRequest): Promise<FuzzResponse> {
  const url = new URL(endpoint);
  if (request.delivery === "raw-socket") return viaSocket(url, request.rawHttp!(url.host));
  const headers = await headersFor(request, url, credentials);
  const body = request.delivery === "tampered-after-signing" ? Buffer.concat([request.body, Buffer.from(" ")]) : request.body;
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: "/", method: "POST", headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (d: Buffer) => chunks.push(d));
      res.on("end", () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    // A 413 answers before the body is read and closes the connection: the rest of our write may fail.
    req.on("error", reject);
    req.end(body);
  });
}
