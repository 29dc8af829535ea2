import { ServiceDiscoveryClient } from "@aws-sdk/client-servicediscovery";
import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import type { Session } from "./session.js";

export interface Clients {
  cloudMap: ServiceDiscoveryClient;
  cloudTrail: CloudTrailClient;
}

/**
 * SDK clients signed with the session's key, sent to the origin that served the console (so HTTP and HTTPS both
 * work and every call is authorised and recorded like any other client's). Discovery calls would otherwise go to
 * a `data-` prefixed host name.
 */
export function createClients(session: Session): Clients {
  const credentials = {
    accessKeyId: session.accessKeyId,
    secretAccessKey: session.secretAccessKey,
    ...(session.sessionToken ? { sessionToken: session.sessionToken } : {}),
  };
  const common = { region: session.region, endpoint: window.location.origin, credentials };
  return {
    cloudMap: new ServiceDiscoveryClient({ ...common, disableHostPrefix: true }),
    cloudTrail: new CloudTrailClient(common),
  };
}

/** What went wrong, as the user should read it: AWS's error code and message. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const name = error.name && error.name !== "Error" ? error.name : "";
    // fetch() rejects with a TypeError when the request never got an answer.
    if (error.name === "TypeError" && /fetch|network/i.test(error.message)) return `Cairn could not be reached (${error.message}).`;
    return name && error.message ? `${name}: ${error.message}` : name || error.message || "Unknown error";
  }
  return String(error);
}

/**
 * Whether Cairn itself answered with an AWS error that refuses the call but accepts the key (e.g. AccessDenied):
 * a 4xx carrying a request id. A network failure, a 5xx or an answer from something that is not Cairn is not.
 */
export function isRefusedCall(error: unknown): boolean {
  const metadata = (error as { $metadata?: { httpStatusCode?: number; requestId?: string } } | undefined)?.$metadata;
  const status = metadata?.httpStatusCode ?? 0;
  return status >= 400 && status < 500 && Boolean(metadata?.requestId) && !isCredentialError(error);
}

/** Errors that say the key itself is not accepted, as opposed to the call being refused. */
export function isCredentialError(error: unknown): boolean {
  const name = error instanceof Error ? error.name : "";
  return [
    "UnrecognizedClientException",
    "InvalidSignatureException",
    "IncompleteSignatureException",
    "MissingAuthenticationTokenException",
    "InvalidClientTokenId",
    "ExpiredTokenException",
    "SignatureDoesNotMatch",
  ].includes(name);
}
