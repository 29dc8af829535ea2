/**
 * Authentication and authorisation failures as kinds: auth/ says what went wrong (`accessDenied(message)`,
 * `authFailure("signature", …)`), this file says how each wire protocol answers it. awsJson and awsQuery differ in
 * code and status for the same failure (AccessDeniedException 400 vs AccessDenied 403), and CloudTrail records
 * awsJson's AccessDeniedException as AccessDenied.
 */
import { errorSpec, ServiceError, type ErrorSpec } from "./errors.js";

export type AuthFailureKind =
  | "missing"
  | "incomplete"
  | "unrecognized"
  | "signature"
  | "expiredSignature"
  | "expiredToken"
  | "accessDenied";

export type WireProtocol = "json" | "query";

/** AWS's message texts for the failures that have one. */
export const AUTH_MESSAGES = {
  missing: "Request is missing Authentication Token",
  invalidToken: "The security token included in the request is invalid.",
  expiredToken: "The security token included in the request is expired",
  signatureMismatch:
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
} as const;

const DEFAULT_MESSAGE: Record<Exclude<AuthFailureKind, "accessDenied">, string> = {
  missing: AUTH_MESSAGES.missing,
  incomplete: "Authorization header requires 'Credential' parameter.",
  unrecognized: AUTH_MESSAGES.invalidToken,
  signature: AUTH_MESSAGES.signatureMismatch,
  expiredSignature: "Signature expired.",
  expiredToken: AUTH_MESSAGES.expiredToken,
};

/** How each protocol answers a kind; `jsonAudit` is the errorCode CloudTrail records for the awsJson answer. */
const WIRE: Readonly<Record<AuthFailureKind, { json: ErrorSpec; query: ErrorSpec; jsonAudit?: string }>> = {
  missing: { json: errorSpec("MissingAuthenticationTokenException", 400), query: errorSpec("MissingAuthenticationToken", 403) },
  incomplete: { json: errorSpec("IncompleteSignatureException", 400), query: errorSpec("IncompleteSignature", 400) },
  unrecognized: { json: errorSpec("UnrecognizedClientException", 400), query: errorSpec("InvalidClientTokenId", 403) },
  signature: { json: errorSpec("InvalidSignatureException", 400), query: errorSpec("SignatureDoesNotMatch", 403) },
  expiredSignature: { json: errorSpec("InvalidSignatureException", 400), query: errorSpec("SignatureDoesNotMatch", 403) },
  expiredToken: { json: errorSpec("ExpiredTokenException", 400), query: errorSpec("ExpiredToken", 403) },
  accessDenied: { json: errorSpec("AccessDeniedException", 400), query: errorSpec("AccessDenied", 403), jsonAudit: "AccessDenied" },
};

/** A refused caller, before any protocol is chosen. Rendered by {@link renderAuthFailure}. */
export class AuthFailure extends Error {
  readonly kind: AuthFailureKind;

  constructor(kind: AuthFailureKind, message: string) {
    super(message);
    this.name = "AuthFailure";
    this.kind = kind;
  }
}

/** An authentication failure of `kind`, with AWS's message for it unless another is given. */
export function authFailure(kind: Exclude<AuthFailureKind, "accessDenied">, message: string = DEFAULT_MESSAGE[kind]): AuthFailure {
  return new AuthFailure(kind, message);
}

/** The caller is not allowed to do this. */
export function accessDenied(message: string): AuthFailure {
  return new AuthFailure("accessDenied", message);
}

/** The error `protocol` answers for `failure`. */
export function renderAuthFailure(failure: AuthFailure, protocol: WireProtocol): ServiceError {
  const wire = WIRE[failure.kind];
  return protocol === "json"
    ? new ServiceError(wire.json, failure.message, wire.jsonAudit ? { auditCode: wire.jsonAudit } : {})
    : new ServiceError(wire.query, failure.message);
}

/** `thrown` as `protocol` answers it when it is an auth failure; anything else unchanged. */
export function inProtocol(thrown: unknown, protocol: WireProtocol): unknown {
  return thrown instanceof AuthFailure ? renderAuthFailure(thrown, protocol) : thrown;
}
