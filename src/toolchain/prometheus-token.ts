import { createHmac, timingSafeEqual } from "node:crypto";
import type { CredentialResolver, Principal } from "../auth/principal.js";
import { errorCatalogue, errorSpec } from "../protocol/errors.js";

const PREFIX = "cairnsd";
const PURPOSE = "cairn-prometheus-sd/1/";

/**
 * A Prometheus bearer token is derived from one long-term access key: `cairnsd.<key id>.<HMAC-SHA256 of the key's
 * secret over a fixed purpose string>`. Nothing new is stored: the key's secret is already sealed in the store,
 * each node can check a token, and deactivating or deleting the key revokes every token of it. The token only
 * opens the Prometheus endpoint, which answers what DiscoverInstances would answer that key's owner.
 */
export function tokenFor(accessKeyId: string, secretAccessKey: string): string {
  return `${PREFIX}.${accessKeyId}.${createHmac("sha256", secretAccessKey).update(PURPOSE + accessKeyId).digest("base64url")}`;
}

/** The bearer scheme's refusals: AWS's codes for a missing or unknown credential, with HTTP's 401. */
const bearerErrors = errorCatalogue({
  MissingAuthenticationTokenException: errorSpec("MissingAuthenticationTokenException", 401),
  UnrecognizedClientException: errorSpec("UnrecognizedClientException", 401),
});

/** The principal a `Authorization: Bearer …` header names, or the AWS-style refusal (401). */
export async function principalOfBearer(header: string | undefined, credentials: CredentialResolver): Promise<Principal> {
  const token = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (!token) throw bearerErrors.MissingAuthenticationTokenException("Request is missing a Cairn bearer token (Authorization: Bearer cairnsd.…).");
  const [prefix, accessKeyId, mac, ...rest] = token.split(".");
  const invalid = bearerErrors.UnrecognizedClientException("The bearer token included in the request is invalid.");
  if (prefix !== PREFIX || !accessKeyId || !mac || rest.length > 0 || !/^[A-Z0-9]{16,128}$/.test(accessKeyId)) throw invalid;
  const credential = await credentials.resolve(accessKeyId);
  if (!credential || !credential.active || credential.sessionToken !== undefined) throw invalid;
  const expected = Buffer.from(tokenFor(accessKeyId, credential.secretAccessKey));
  const given = Buffer.from(token);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid;
  return credential.principal;
}
