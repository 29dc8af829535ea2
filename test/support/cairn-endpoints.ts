import { Sha256 } from "@aws-crypto/sha256-js";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import type { Credentials } from "./cairn-process.js";
import { send, type RawResponse } from "./raw.js";

/** A request to one of Cairn's own `/_cairn/` endpoints, signed by the AWS SDK's signer with `service` in its scope. */
export async function signedCairnCall(
  endpoint: string,
  credentials: Credentials | undefined,
  method: "GET" | "POST",
  path: string,
  options: { service?: string; region?: string; query?: Record<string, string> } = {},
): Promise<RawResponse> {
  const url = new URL(endpoint);
  const query = options.query ?? {};
  const search = new URLSearchParams(query).toString();
  const target = `${endpoint}${path}${search ? `?${search}` : ""}`;
  if (!credentials) return send({ url: target, method, headers: {}, body: "" });
  const request = new HttpRequest({ method, protocol: url.protocol, hostname: url.hostname, port: Number(url.port), path, query, headers: { host: url.host }, body: "" });
  const signer = new SignatureV4({ credentials, region: options.region ?? "us-east-1", service: options.service ?? "cairn", sha256: Sha256 });
  const signed = await signer.sign(request);
  return send({ url: target, method, headers: signed.headers as Record<string, string>, body: "" });
}
