/**
 * The one error family every layer throws. The protocol codec renders it as AWS does
 * (awsJson `__type` body, awsQuery `<ErrorResponse>`), so handlers never build responses.
 */
export class ServiceError extends Error {
  readonly code: string;
  readonly httpStatus: number;
  /** Modeled extra members rendered beside the message, e.g. `{ NamespaceId: "ns-…" }`. */
  readonly fields: Record<string, unknown>;
  /** awsQuery `<Type>`: Sender for client faults, Receiver for server faults. */
  readonly fault: "Sender" | "Receiver";
  /** The errorCode CloudTrail records, when it differs from the wire code (awsJson AccessDeniedException → AccessDenied). */
  readonly auditCode: string;

  constructor(code: string, message: string, options: { httpStatus?: number; fields?: Record<string, unknown>; auditCode?: string } = {}) {
    super(message);
    this.name = code;
    this.code = code;
    this.httpStatus = options.httpStatus ?? 400;
    this.fields = options.fields ?? {};
    this.fault = this.httpStatus >= 500 ? "Receiver" : "Sender";
    this.auditCode = options.auditCode ?? code;
  }
}

/** A server bug or an unexpected failure: never leak its details to the caller. */
export function internalFailure(): ServiceError {
  return new ServiceError("InternalFailure", "The request processing has failed because of an unknown error, exception or failure.", {
    httpStatus: 500,
  });
}
