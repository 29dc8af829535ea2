import { test } from "node:test";
import assert from "node:assert/strict";
import { KnownAuthorizations } from "../../src/auth/known-authorizations.js";

const HEAD = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250601/us-east-1/servicediscovery/aws4_request, SignedHeaders=host;x-amz-date, Signature=";
const SIG_A = "a".repeat(64);
const SIG_B = "b".repeat(64);

test("a remembered beginning answers headers that differ only in their signature", () => {
  const known = new KnownAuthorizations<string>();
  assert.equal(known.lookup(HEAD + SIG_A), undefined);
  const prefix = known.prefixOf(HEAD + SIG_A, SIG_A)!;
  assert.equal(prefix, HEAD);
  known.remember(prefix, "parts");
  assert.deepEqual(known.lookup(HEAD + SIG_B), { parts: "parts", signature: SIG_B });
  // Whatever the signature is, it is handed back as it is, for the comparison to refuse.
  assert.deepEqual(known.lookup(HEAD + "not-hex="), { parts: "parts", signature: "not-hex=" });
});

test("headers whose end is not one bare signature value are never looked up", () => {
  const known = new KnownAuthorizations<string>();
  known.remember(HEAD, "parts");
  for (const tail of ["", `${SIG_A}, Foo=bar`, `${SIG_A} extra`, `${SIG_A},`, `${SIG_A}\tx`]) assert.equal(known.lookup(HEAD + tail), undefined, tail);
  // A later Signature= makes the beginning a different (unknown) text.
  assert.equal(known.lookup(HEAD + SIG_A + ",Signature=" + SIG_B), undefined);
});

test("a beginning is only offered when Signature= occurs once and ends the header with the parsed signature", () => {
  const known = new KnownAuthorizations<string>();
  assert.equal(known.prefixOf(HEAD.replace("Credential=", "Credential=Signature=") + SIG_A, SIG_A), undefined);
  assert.equal(known.prefixOf(HEAD + SIG_A + ", X=y", SIG_A), undefined);
  assert.equal(known.prefixOf(HEAD + SIG_A, SIG_B), undefined);
  assert.equal(known.prefixOf("AWS4-HMAC-SHA256 Credential=x, SignedHeaders=host", SIG_A), undefined);
});

test("bounded: the oldest beginning goes first", () => {
  const known = new KnownAuthorizations<number>(2);
  for (let i = 0; i < 3; i++) known.remember(`${i} Signature=`, i);
  assert.equal(known.size, 2);
  assert.equal(known.lookup(`0 Signature=${SIG_A}`), undefined);
  assert.equal(known.lookup(`2 Signature=${SIG_A}`)?.parts, 2);
});
