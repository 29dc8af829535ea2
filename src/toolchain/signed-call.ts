import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { CredentialResolver, Principal } from "../auth/principal.js";
import { verifySigV4 } from "../auth/sigv4.js";
import { inProtocol } from "../protocol/auth-failures.js";
import { commonErrors } from "../protocol/common-errors.js";
import { awsJsonCodec } from "../protocol/aws-json.js";
import type { WireResponse } from "../protocol/codec.js";
import { ServiceError } from "../protocol/errors.js";
import { readBody } from "../server/http-server.js";

export interface SignedCall {
  principal: Principal;
  /** The region of the SigV4 scope. */
  region: string;
}

/** Verifies a SigV4-signed `/_cairn/` request scoped to `service`; refusals are AWS's awsJson errors. */
export type VerifyCairnCall = (req: IncomingMessage, service: string) => Promise<SignedCall>;

export function cairnCallVerifier(deps: {
  credentials: CredentialResolver;
  regions: ReadonlySet<string>;
  maxSkewMinutes: number;
  maxBodyBytes: number;
}): VerifyCairnCall {
  return async (req, service) => {
    let body: Buffer;
    try {
      body = await readBody(req, deps.maxBodyBytes);
    } catch {
      throw commonErrors.RequestEntityTooLargeException(`Request body is larger than ${deps.maxBodyBytes} bytes.`);
    }
    const [path, query = ""] = (req.url ?? "/").split("?", 2) as [string, string?];
    try {
      const verified = await verifySigV4(
        { method: req.method ?? "GET", path, query, headers: req.headers, rawHeaders: req.rawHeaders, body },
        deps.credentials,
        { now: new Date(), maxSkewMinutes: deps.maxSkewMinutes, expectedService: service, regions: deps.regions },
      );
      return { principal: verified.credential.principal, region: verified.region };
    } catch (error) {
      throw inProtocol(error, "json");
    }
  };
}

export function jsonAnswer(status: number, payload: unknown): WireResponse {
  const body = Buffer.from(JSON.stringify(payload));
  return { status, headers: { "content-type": "application/json", "content-length": String(body.length) }, body };
}

/** Runs a `/_cairn/` handler; a ServiceError it throws is answered as AWS's awsJson error. */
export async function answering(handle: () => Promise<WireResponse>): Promise<WireResponse> {
  try {
    return await handle();
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    const answer = awsJsonCodec.encodeError(error, randomUUID());
    // Bearer-token endpoints (Prometheus) say which scheme they want, as HTTP asks of a 401.
    if (error.httpStatus === 401) answer.headers["www-authenticate"] = 'Bearer realm="cairn"';
    return answer;
  }
}
