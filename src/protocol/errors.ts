/**
 * The one error family every layer throws. The protocol codec renders it as AWS does (awsJson `__type` body, awsQuery
 * `<ErrorResponse>`), so handlers never build responses. An error is made from an {@link ErrorSpec}: the generated
 * catalogue of an API's modelled errors (`errors` in src/generated/<api>.ts) or the common errors every AWS endpoint
 * answers (common-errors.ts), so a code never travels without its HTTP status and fault.
 */

/** awsQuery `<Type>`: Sender for client faults, Receiver for server faults. */
export type Fault = "Sender" | "Receiver";

/** One error code as it goes on the wire. `Fields` (type only) are the modelled members rendered beside the message. */
export interface ErrorSpec<Fields extends object = object> {
  readonly code: string;
  readonly httpStatus: number;
  readonly fault: Fault;
  /** Never set: carries the type of the modelled extra members. */
  readonly fields?: Fields;
}

export class ServiceError extends Error {
  readonly code: string;
  readonly httpStatus: number;
  /** Modelled extra members rendered beside the message, e.g. `{ NamespaceId: "ns-…" }`. */
  readonly fields: Record<string, unknown>;
  readonly fault: Fault;
  /** The errorCode CloudTrail records, when it differs from the wire code (awsJson AccessDeniedException → AccessDenied). */
  readonly auditCode: string;

  constructor(spec: ErrorSpec, message: string, options: { fields?: object; auditCode?: string } = {}) {
    super(message);
    this.name = spec.code;
    this.code = spec.code;
    this.httpStatus = spec.httpStatus;
    this.fields = { ...options.fields };
    this.fault = spec.fault;
    this.auditCode = options.auditCode ?? spec.code;
  }
}

/** A spec; `Fields` names the modelled members a caller may add (the generated catalogues pass them). */
export function errorSpec<Fields extends object = Record<never, never>>(code: string, httpStatus: number, fault: Fault = httpStatus >= 500 ? "Receiver" : "Sender"): ErrorSpec<Fields> {
  return { code, httpStatus, fault };
}

/** The members of a modelled error shape other than its message. */
export type ErrorFields<Shape> = Omit<Shape, "Message" | "message">;

/** Makes the error of `spec`; the fields may only be the ones its model declares. */
export type ErrorFactory<Fields extends object> = ((message: string, ...fields: keyof Fields extends never ? [] : [fields?: Fields]) => ServiceError) & {
  readonly spec: ErrorSpec<Fields>;
};

export type ErrorCatalogue<Specs extends Record<string, ErrorSpec>> = {
  readonly [Name in keyof Specs]: Specs[Name] extends ErrorSpec<infer Fields> ? ErrorFactory<Fields> : never;
};

/** One factory per spec: `catalogue.NamespaceNotFound("…")`; a code the catalogue lacks does not compile. */
export function errorCatalogue<Specs extends Record<string, ErrorSpec>>(specs: Specs): ErrorCatalogue<Specs> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    out[name] = Object.assign((message: string, fields?: object) => new ServiceError(spec, message, { fields }), { spec });
  }
  return out as ErrorCatalogue<Specs>;
}
