import { test } from "node:test";
import assert from "node:assert/strict";
import { StoreFullError, StoreUnavailableError } from "../../src/store/errors.js";
import { postgresStoreError } from "../../src/store/postgres/errors.js";
import { sqliteStoreError } from "../../src/store/sqlite/errors.js";
import { unexpectedFailure } from "../../src/server/failures.js";

const failure = (code: unknown) => Object.assign(new Error("driver said no"), { code });

test("each store turns its database's codes for 'cannot write' into typed store errors, and nothing else", () => {
  for (const code of ["SQLITE_FULL", "SQLITE_IOERR", "SQLITE_IOERR_WRITE", "ENOSPC", "EDQUOT", "EFBIG"]) {
    assert.ok(sqliteStoreError(failure(code)) instanceof StoreFullError, code);
  }
  assert.ok(postgresStoreError(failure("53100")) instanceof StoreFullError);
  for (const code of ["53000", "53200", "53300", "53400", "25006"]) assert.ok(postgresStoreError(failure(code)) instanceof StoreUnavailableError, code);
  for (const code of ["SQLITE_CONSTRAINT_UNIQUE", "SQLITE_READONLY", "SQLITE_BUSY", 13, undefined]) assert.equal(sqliteStoreError(failure(code)), undefined, String(code));
  for (const code of ["23505", "40001", "5310", "530000", "25P02", "08006"]) assert.equal(postgresStoreError(failure(code)), undefined, code);
  const cause = failure("SQLITE_FULL");
  assert.equal(sqliteStoreError(cause)?.cause, cause, "the database's error stays as the cause, for logs");
  assert.equal(sqliteStoreError(cause)?.name, "StoreFullError");
});

test("server/ answers a typed store error with 503 ServiceUnavailable, and a raw database error with 500", () => {
  const unavailable = unexpectedFailure(postgresStoreError(failure("25006")));
  assert.equal(unavailable.code, "ServiceUnavailable");
  assert.equal(unavailable.httpStatus, 503);
  // The mapping is the store's: a database code that escaped it untyped is a bug, not a full disk.
  const raw = unexpectedFailure(failure("SQLITE_FULL"));
  assert.equal(raw.httpStatus, 500);
});
