/**
 * Errors every AWS endpoint may answer though no API model declares them: server failures, throttling, requests no
 * operation can take, malformed bodies, and awsQuery's generic parameter errors. An API's modelled errors come from
 * its generated catalogue (`errors` in src/generated/<api>.ts); SigV4 and access errors from auth-failures.ts.
 */
import { errorCatalogue, errorSpec } from "./errors.js";

export const commonErrors = errorCatalogue({
  InternalFailure: errorSpec("InternalFailure", 500),
  ServiceUnavailable: errorSpec("ServiceUnavailable", 503),
  ThrottlingException: errorSpec("ThrottlingException", 400),
  UnknownOperationException: errorSpec("UnknownOperationException", 400),
  /** awsQuery: an Action the API does not have. */
  InvalidAction: errorSpec("InvalidAction", 400),
  /** A path no AWS API answers (not `/`): the same code, 404. */
  NotAnApiRequest: errorSpec("UnknownOperationException", 404),
  UnsupportedMediaTypeException: errorSpec("UnsupportedMediaTypeException", 415),
  RequestEntityTooLargeException: errorSpec("RequestEntityTooLargeException", 413),
  /** awsJson: a body that is not JSON of the input's shape. */
  SerializationException: errorSpec("SerializationException", 400),
  /** awsQuery: a parameter that fails validation. */
  ValidationError: errorSpec("ValidationError", 400),
  /** awsQuery: a parameter whose value is not acceptable. */
  InvalidParameterValue: errorSpec("InvalidParameterValue", 400),
});

/** A server bug or an unexpected failure: never leak its details to the caller. */
export function internalFailure() {
  return commonErrors.InternalFailure("The request processing has failed because of an unknown error, exception or failure.");
}
