import { errors as ctErrors } from "../../generated/cloudtrail.js";
import { createHash } from "node:crypto";
import { ServiceError } from "../../protocol/errors.js";
import type { EventCursor } from "../../store/records.js";

/** What a LookupEvents NextToken is bound to: a token only continues the listing it came from. */
export interface LookupParameters {
  accountId: string;
  region: string;
  attribute?: { key: string; value: string };
  /** Epoch milliseconds as the caller gave them (absent when defaulted). */
  startTime?: number;
  endTime?: number;
  eventCategory?: string;
}

const VERSION = 1;

export function invalidNextToken(): ServiceError {
  return ctErrors.InvalidNextTokenException("Invalid NextToken: it is malformed or was issued for different request parameters.");
}

/** A short digest of the parameters a token is valid for. */
export function parametersHash(p: LookupParameters): string {
  const canonical = JSON.stringify([
    p.accountId,
    p.region,
    p.attribute?.key ?? null,
    p.attribute?.value ?? null,
    p.startTime ?? null,
    p.endTime ?? null,
    p.eventCategory ?? null,
  ]);
  return createHash("sha256").update(canonical).digest("base64url").slice(0, 22);
}

/** Opaque to callers: the parameters' digest and the position after which the next page starts. */
export function encodeLookupToken(params: LookupParameters, cursor: EventCursor): string {
  return Buffer.from(JSON.stringify([VERSION, parametersHash(params), cursor.time, cursor.seq])).toString("base64url");
}

/** The cursor inside a token this server issued for exactly these parameters; InvalidNextTokenException otherwise. */
export function decodeLookupToken(token: string, params: LookupParameters): EventCursor {
  let value: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(token)) throw invalidNextToken();
    value = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw invalidNextToken();
  }
  if (
    !Array.isArray(value) ||
    value.length !== 4 ||
    value[0] !== VERSION ||
    value[1] !== parametersHash(params) ||
    !Number.isSafeInteger(value[2]) ||
    !Number.isSafeInteger(value[3])
  ) {
    throw invalidNextToken();
  }
  return { time: value[2] as number, seq: value[3] as number };
}
