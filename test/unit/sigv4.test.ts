import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";
import { HttpRequest } from "@smithy/protocol-http";
import { Sha256 } from "@aws-crypto/sha256-js";
import { constantTimeEqualHex, verifySigV4, type SignedRequest, type VerifyOptions } from "../../src/auth/sigv4.js";
import { AuthFailure, accessDenied, authFailure, renderAuthFailure, type AuthFailureKind } from "../../src/protocol/auth-failures.js";
import type { CredentialResolver, SigningCredential } from "../../src/auth/principal.js";
import { servedRegions } from "../../src/server/served-regions.js";

// ---------------------------------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------------------------------

const NOW = new Date("2025-06-01T12:00:00Z");
const HOST = "servicediscovery.us-west-2.amazonaws.com";

function credential(accessKeyId: string, secretAccessKey: string, extra: Partial<SigningCredential> = {}): SigningCredential {
  return {
    accessKeyId,
    secretAccessKey,
    active: true,
    principal: {
      type: "Root",
      accountId: "123456789012",
      arn: "arn:aws:iam::123456789012:root",
      principalId: "123456789012",
      accessKeyId,
    },
    ...extra,
  };
}

const LONG = credential("AKIAEXAMPLELONGTERM1", "lOnGtErMsEcReT/K7MDENG/bPxRfiCYEXAMPLEKEY");
const INACTIVE = credential("AKIAEXAMPLEINACTIVE1", "iNaCtIvEsEcReT/K7MDENG/bPxRfiCYEXAMPLEKEY", { active: false });
const TEMP = credential("ASIAEXAMPLETEMPORAR1", "tEmPsEcReT/K7MDENG/bPxRfiCYEXAMPLEKEY0000", {
  sessionToken: "IQoJb3JpZ2luX2VjEXAMPLE+token/with=chars",
  expiration: new Date(NOW.getTime() + 3600_000),
});
const EXPIRED = credential("ASIAEXAMPLEEXPIRED01", "eXpIrEdSeCrEt/K7MDENG/bPxRfiCYEXAMPLEKEY00", {
  sessionToken: "IQoJb3JpZ2luX2VjEXPIRED",
  expiration: new Date(NOW.getTime() - 1000),
});
const VECTOR = credential("AKIA3EXAMPLEKEYQUSRA", "wJalrXUtnEXAMPLESECRETKEY0000000000000000");
const ALL = [LONG, INACTIVE, TEMP, EXPIRED, VECTOR];

/** A resolver is just an object with resolve() over a Map. */
const resolver: CredentialResolver = (() => {
  const byId = new Map(ALL.map((c) => [c.accessKeyId, c] as const));
  return { resolve: (id: string) => byId.get(id) };
})();
const asyncResolver: CredentialResolver = { resolve: async (id: string) => resolver.resolve(id) };

const SERVED: ReadonlySet<string> = new Set(servedRegions([]));

function opts(now: Date = NOW, extra: Partial<VerifyOptions> = {}): VerifyOptions {
  return { now, maxSkewMinutes: 15, expectedService: "servicediscovery", regions: SERVED, ...extra };
}

interface SmithyCreds {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

function creds(c: SigningCredential, overrides: Partial<SmithyCreds> = {}): SmithyCreds {
  const out: SmithyCreds = { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey };
  if (c.sessionToken) out.sessionToken = c.sessionToken;
  return { ...out, ...overrides };
}

function signer(c: SmithyCreds, service = "servicediscovery", region = "us-west-2"): SignatureV4 {
  return new SignatureV4({ service, region, sha256: Sha256, credentials: c, applyChecksum: false });
}

/** smithy's escapeUri: what the SDK's HTTP handler puts on the wire. */
function esc(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (ch) => "%" + ch.charCodeAt(0).toString(16).toUpperCase());
}

type Query = Record<string, string | string[] | null | undefined>;

function wireQuery(query: Query | undefined): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query ?? {})) {
    if (Array.isArray(v)) for (const one of v) parts.push(`${esc(k)}=${esc(one)}`);
    else if (typeof v === "string") parts.push(`${esc(k)}=${esc(v)}`);
  }
  return parts.join("&");
}

interface WireLike {
  method: string;
  path: string;
  query?: Query;
  headers: Record<string, string>;
  body?: unknown;
}

/** What the server would see for a request the SDK signed. */
function toServer(r: WireLike, query: string = wireQuery(r.query)): SignedRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers)) headers[k.toLowerCase()] = v;
  const body = r.body === undefined ? Buffer.alloc(0) : Buffer.from(r.body as string);
  return { method: r.method, path: r.path, query, headers, body };
}

const JSON_BODY = '{"MaxResults":10,"Filters":[{"Name":"TYPE","Values":["HTTP"],"Condition":"EQ"}]}';

function jsonRequest(host = HOST, body = JSON_BODY, target = "Route53AutoNaming_v20170314.ListNamespaces"): HttpRequest {
  return new HttpRequest({
    method: "POST",
    protocol: "https:",
    hostname: host,
    path: "/",
    headers: {
      host,
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": target,
      "content-length": String(Buffer.byteLength(body)),
      "amz-sdk-invocation-id": "3f0c5b8e-1b1a-4e0e-9b0e-2f2d8c1a0b11",
      "amz-sdk-request": "attempt=1; max=3",
    },
    body,
  });
}

async function signedJson(c: SmithyCreds = creds(LONG), date: Date = NOW, service = "servicediscovery"): Promise<SignedRequest> {
  return toServer((await signer(c, service).sign(jsonRequest(), { signingDate: date })) as WireLike);
}

async function rejectsWith(
  p: Promise<unknown>,
  kind: AuthFailureKind,
  json: string,
  query: string,
  queryStatus: number,
  messageIncludes?: string,
): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof AuthFailure, `expected AuthFailure, got ${String(err)}`);
    assert.equal(err.kind, kind, err.message);
    const j = renderAuthFailure(err, "json");
    assert.equal(j.code, json);
    assert.equal(j.httpStatus, 400);
    assert.equal(j.message, err.message);
    const q = renderAuthFailure(err, "query");
    assert.equal(q.code, query);
    assert.equal(q.httpStatus, queryStatus);
    if (messageIncludes !== undefined) assert.ok(err.message.includes(messageIncludes), `message was: ${err.message}`);
    for (const c of ALL) assert.ok(!err.message.includes(c.secretAccessKey), "secret leaked into message");
    return true;
  });
}

const rejectsSignature = (p: Promise<unknown>, msg?: string) =>
  rejectsWith(p, "signature", "InvalidSignatureException", "SignatureDoesNotMatch", 403, msg);
const rejectsUnrecognized = (p: Promise<unknown>) =>
  rejectsWith(
    p,
    "unrecognized",
    "UnrecognizedClientException",
    "InvalidClientTokenId",
    403,
    "The security token included in the request is invalid.",
  );
const rejectsIncomplete = (p: Promise<unknown>, msg?: string) =>
  rejectsWith(p, "incomplete", "IncompleteSignatureException", "IncompleteSignature", 400, msg);
const rejectsExpiredSignature = (p: Promise<unknown>, msg?: string) =>
  rejectsWith(p, "expiredSignature", "InvalidSignatureException", "SignatureDoesNotMatch", 403, msg);

function withAuthorization(r: SignedRequest, authorization: string | undefined): SignedRequest {
  const headers = { ...r.headers };
  if (authorization === undefined) delete headers.authorization;
  else headers.authorization = authorization;
  return { ...r, headers };
}

/** Minimal independent signer for shapes smithy cannot produce (Date header, repeated headers). */
function handSign(
  c: SigningCredential,
  amzDate: string,
  canonicalHeaderLines: string[],
  signedHeaders: string,
  body: string,
  region = "us-west-2",
  service = "servicediscovery",
): string {
  const canonical = ["POST", "/", "", ...canonicalHeaderLines, "", signedHeaders, createHash("sha256").update(body).digest("hex")].join("\n");
  const scope = `${amzDate.slice(0, 8)}/${region}/${service}/aws4_request`;
  const sts = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${createHash("sha256").update(canonical).digest("hex")}`;
  let key: Buffer = createHmac("sha256", "AWS4" + c.secretAccessKey).update(amzDate.slice(0, 8)).digest();
  for (const part of [region, service, "aws4_request"]) key = createHmac("sha256", key).update(part).digest();
  const sig = createHmac("sha256", key).update(sts).digest("hex");
  return `AWS4-HMAC-SHA256 Credential=${c.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${sig}`;
}

// ---------------------------------------------------------------------------------------------------------------------
// Valid requests
// ---------------------------------------------------------------------------------------------------------------------

describe("sigv4: valid requests verify", () => {
  test("spec 8.6 test vector", async () => {
    const body = '{"ServiceId":"srv-q4tz6jexample2pn","InstanceId":"web-1","Attributes":{"AWS_INSTANCE_IPV4":"10.0.0.12"}}';
    assert.equal(createHash("sha256").update(body).digest("hex"), "000cd63b4ebffde4a05d81a7962db02db64ff1745b421053cb7180b838befd94");
    const req: SignedRequest = {
      method: "POST",
      path: "/",
      query: "",
      headers: {
        host: "servicediscovery.us-east-1.amazonaws.com",
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "Route53AutoNaming_v20170314.RegisterInstance",
        "x-amz-date": "20250304T050607Z",
        "content-length": String(Buffer.byteLength(body)),
        "user-agent": "aws-cli/2.15.0",
        authorization:
          "AWS4-HMAC-SHA256 Credential=AKIA3EXAMPLEKEYQUSRA/20250304/us-east-1/servicediscovery/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=ba7d2fbff862e025c2015ebd6f75595651c538ffda7fb0a91fbf4775193e73e3",
      },
      body: Buffer.from(body),
    };
    const v = await verifySigV4(req, resolver, opts(new Date("2025-03-04T05:06:07Z")));
    assert.equal(v.accessKeyId, "AKIA3EXAMPLEKEYQUSRA");
    assert.equal(v.credential, VECTOR);
    assert.equal(v.region, "us-east-1");
    assert.equal(v.service, "servicediscovery");
    assert.equal(v.signedAt.toISOString(), "2025-03-04T05:06:07.000Z");
    assert.equal(v.presigned, false);
    // Second verification hits the signing-key cache and still verifies.
    await verifySigV4(req, asyncResolver, opts(new Date("2025-03-04T05:10:00Z")));
  });

  test("JSON POST signed by @smithy/signature-v4", async () => {
    const req = await signedJson();
    assert.match(String(req.headers.authorization), /SignedHeaders=amz-sdk-invocation-id;amz-sdk-request;content-length;content-type;host;x-amz-date;x-amz-target,/);
    const v = await verifySigV4(req, resolver, opts());
    assert.equal(v.accessKeyId, LONG.accessKeyId);
    assert.equal(v.region, "us-west-2");
    assert.equal(v.service, "servicediscovery");
    assert.equal(v.signedAt.getTime(), NOW.getTime());
    // Also through an async resolver, and with the service given as a list.
    await verifySigV4(req, asyncResolver, opts(NOW, { expectedService: ["cloudtrail", "servicediscovery"] }));
  });

  test("the payload hash is always the body's, whatever x-amz-content-sha256 says", async () => {
    const s = new SignatureV4({ service: "servicediscovery", region: "us-west-2", sha256: Sha256, credentials: creds(LONG) });
    const req = toServer((await s.sign(jsonRequest(), { signingDate: NOW })) as WireLike);
    assert.ok(req.headers["x-amz-content-sha256"], "smithy's applyChecksum sends the body's hash");
    await verifySigV4(req, resolver, opts());
    await rejectsSignature(verifySigV4({ ...req, body: Buffer.from('{"MaxResults":99}') }, resolver, opts()), "signature we calculated does not match");
    // Signed over UNSIGNED-PAYLOAD (S3's escape hatch): refused, body swapped or not.
    const unsignedPayload = jsonRequest();
    unsignedPayload.headers["x-amz-content-sha256"] = "UNSIGNED-PAYLOAD";
    const unsigned = toServer((await s.sign(unsignedPayload, { signingDate: NOW })) as WireLike);
    await rejectsSignature(verifySigV4(unsigned, resolver, opts()), "signature we calculated does not match");
    await rejectsSignature(verifySigV4({ ...unsigned, body: Buffer.from('{"MaxResults":99}') }, resolver, opts()), "signature we calculated does not match");
  });

  test("path and query string with characters needing encoding", async () => {
    const query = {
      b: "x y+z/é~",
      a: ["2", "10", "1"],
      "k e*y": "!'()*",
      empty: "",
      "X-Amz-Meta": "keep",
    };
    const request = new HttpRequest({
      method: "GET",
      protocol: "https:",
      hostname: HOST,
      path: "/a%20b/%C3%BC/./c~d/../e:f@g/",
      query,
      headers: { host: HOST, "x-amz-custom": "  spaced   out   value  " },
    });
    const signed = (await signer(creds(LONG)).sign(request, { signingDate: NOW })) as WireLike;
    const base = toServer(signed);
    // Node hands over header values already trimmed.
    base.headers["x-amz-custom"] = "spaced   out   value";
    await verifySigV4(base, resolver, opts());

    // Same parameters with a different but equivalent wire encoding and order.
    const alt = "empty&a=10&a=1&k%20e%2ay=%21%27%28%29%2a&b=x+y%2Bz%2f%c3%a9%7E&X-Amz-Meta=keep&a=2";
    await verifySigV4({ ...base, query: alt }, resolver, opts());

    // A changed value does not verify.
    await rejectsSignature(verifySigV4({ ...base, query: base.query.replace("a=10", "a=11") }, resolver, opts()));
  });

  test("session-token credential (header form)", async () => {
    const req = await signedJson(creds(TEMP));
    assert.equal(req.headers["x-amz-security-token"], TEMP.sessionToken);
    const v = await verifySigV4(req, resolver, opts());
    assert.equal(v.credential, TEMP);
  });

  test("presigned (query) request", async () => {
    const request = new HttpRequest({
      method: "GET",
      protocol: "https:",
      hostname: HOST,
      path: "/",
      query: { Action: "ListNamespaces", Version: "2017-03-14", Note: "a b/c" },
      headers: { host: HOST },
    });
    const presigned = (await signer(creds(LONG)).presign(request, { signingDate: NOW, expiresIn: 300 })) as WireLike;
    assert.ok(presigned.query?.["X-Amz-Signature"]);
    const req = toServer(presigned);
    assert.equal(req.headers.authorization, undefined);
    const v = await verifySigV4(req, resolver, opts(new Date(NOW.getTime() + 299_000)));
    assert.equal(v.presigned, true);
    assert.equal(v.accessKeyId, LONG.accessKeyId);

    // With a session token (X-Amz-Security-Token in the query, covered by the signature).
    const presignedTemp = (await signer(creds(TEMP)).presign(request, { signingDate: NOW, expiresIn: 300 })) as WireLike;
    assert.equal(presignedTemp.query?.["X-Amz-Security-Token"], TEMP.sessionToken);
    const vt = await verifySigV4(toServer(presignedTemp), resolver, opts());
    assert.equal(vt.credential, TEMP);

    // Tampering with a covered parameter fails.
    await rejectsSignature(verifySigV4({ ...req, query: req.query.replace("ListNamespaces", "ListServices") }, resolver, opts()));
  });

  test("data- prefixed host as received", async () => {
    const host = "data-servicediscovery.us-west-2.amazonaws.com";
    const signed = (await signer(creds(LONG)).sign(jsonRequest(host), { signingDate: NOW })) as WireLike;
    await verifySigV4(toServer(signed), resolver, opts());
    // Also a local endpoint with a port.
    const local = (await signer(creds(LONG)).sign(jsonRequest("localhost:4566"), { signingDate: NOW })) as WireLike;
    await verifySigV4(toServer(local), resolver, opts());
  });

  test("Date header instead of X-Amz-Date", async () => {
    const body = "{}";
    const httpDate = "Sun, 01 Jun 2025 12:00:00 GMT";
    const lines = [`date:${httpDate}`, `host:${HOST}`];
    const authorization = handSign(LONG, "20250601T120000Z", lines, "date;host", body);
    const req: SignedRequest = { method: "POST", path: "/", query: "", headers: { host: HOST, date: httpDate, authorization }, body: Buffer.from(body) };
    await verifySigV4(req, resolver, opts());
  });

  test("repeated header values are joined with ',' (rawHeaders)", async () => {
    const body = "{}";
    const amzDate = "20250601T120000Z";
    const lines = [`host:${HOST}`, `x-amz-date:${amzDate}`, "x-custom:a b,c"];
    const authorization = handSign(LONG, amzDate, lines, "host;x-amz-date;x-custom", body);
    const rawHeaders = ["Host", HOST, "X-Amz-Date", amzDate, "X-Custom", "a   b", "x-custom", "c", "Authorization", authorization];
    const req: SignedRequest = {
      method: "POST",
      path: "/",
      query: "",
      // What node's IncomingMessage.headers makes of it: repeated values joined with ", ".
      headers: { host: HOST, "x-amz-date": amzDate, "x-custom": "a   b, c", authorization },
      rawHeaders,
      body: Buffer.from(body),
    };
    await verifySigV4(req, resolver, opts());
  });
});

// ---------------------------------------------------------------------------------------------------------------------
// Failures
// ---------------------------------------------------------------------------------------------------------------------

describe("sigv4: failures", () => {
  test("no Authorization header → missing", async () => {
    const req = withAuthorization(await signedJson(), undefined);
    await rejectsWith(
      verifySigV4(req, resolver, opts()),
      "missing",
      "MissingAuthenticationTokenException",
      "MissingAuthenticationToken",
      403,
      "Request is missing Authentication Token",
    );
    // A non-AWS4 scheme counts as no AWS credentials.
    await rejectsWith(
      verifySigV4(withAuthorization(req, "Bearer abc.def"), resolver, opts()),
      "missing",
      "MissingAuthenticationTokenException",
      "MissingAuthenticationToken",
      403,
    );
  });

  test("Authorization missing Signature → incomplete", async () => {
    const req = await signedJson();
    const auth = String(req.headers.authorization).replace(/, Signature=[0-9a-f]+/, "");
    await rejectsIncomplete(
      verifySigV4(withAuthorization(req, auth), resolver, opts()),
      `Authorization header requires 'Signature' parameter. Authorization=${auth}`,
    );
  });

  test("component without '=' → incomplete", async () => {
    const req = await signedJson();
    const auth = String(req.headers.authorization).replace(/SignedHeaders=[^,]+/, "SignedHeaders");
    await rejectsIncomplete(
      verifySigV4(withAuthorization(req, auth), resolver, opts()),
      `'SignedHeaders' not a valid key=value pair (missing equal-sign) in Authorization header: '${auth}'.`,
    );
  });

  test("malformed credential, bad X-Amz-Date, SigV4a → incomplete", async () => {
    const req = await signedJson();
    const auth = String(req.headers.authorization);
    await rejectsIncomplete(
      verifySigV4(withAuthorization(req, auth.replace("/us-west-2/", "/")), resolver, opts()),
      "Credential must have exactly 5 slash-delimited elements",
    );
    await rejectsIncomplete(
      verifySigV4({ ...req, headers: { ...req.headers, "x-amz-date": "2025-06-01T12:00:00Z" } }, resolver, opts()),
      "Date must be in ISO-8601 'basic format'.",
    );
    await rejectsIncomplete(
      verifySigV4(withAuthorization(req, auth.replace("AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256")), resolver, opts()),
      "Unsupported AWS 'algorithm': 'AWS4-ECDSA-P256-SHA256'",
    );
  });

  test("unknown key → unrecognized", async () => {
    const req = await signedJson({ accessKeyId: "AKIAUNKNOWNKEY000000", secretAccessKey: "x".repeat(40) });
    await rejectsUnrecognized(verifySigV4(req, resolver, opts()));
  });

  test("inactive key → unrecognized", async () => {
    await rejectsUnrecognized(verifySigV4(await signedJson(creds(INACTIVE)), resolver, opts()));
  });

  test("wrong secret → signature mismatch", async () => {
    const req = await signedJson(creds(LONG, { secretAccessKey: "wrongSecretwrongSecretwrongSecretwrongSec" }));
    await rejectsSignature(verifySigV4(req, resolver, opts()), "The request signature we calculated does not match the signature you provided.");
  });

  test("after a request verifies (its signing key cached), any other signature in the same scope is still refused", async () => {
    const req = await signedJson();
    await verifySigV4(req, resolver, opts());
    const auth = String(req.headers.authorization);
    const signature = /Signature=([0-9a-f]{64})/.exec(auth)![1]!;
    const flip = (c: string) => (c === "0" ? "1" : "0");
    const wrong = [
      flip(signature[0]!) + signature.slice(1),
      signature.slice(0, 63) + flip(signature[63]!),
      signature.toUpperCase(),
      signature.slice(0, 63),
      signature + "0",
    ].filter((s) => s !== signature);
    for (const other of wrong) {
      const headers = { ...req.headers, authorization: auth.replace(signature, other) };
      await rejectsSignature(verifySigV4({ ...req, headers }, resolver, opts()));
    }
    await verifySigV4(req, resolver, opts());
  });

  test("a header whose beginning verified before is still checked in full: its date header, its date, its signature", async () => {
    const req = await signedJson();
    await verifySigV4(req, resolver, opts());
    const auth = String(req.headers.authorization);
    const { "x-amz-date": _date, ...undated } = req.headers;
    await rejectsIncomplete(
      verifySigV4({ ...req, headers: undated }, resolver, opts()),
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=" + auth,
    );
    await rejectsIncomplete(verifySigV4({ ...req, headers: { ...req.headers, "x-amz-date": "2025-06-01" } }, resolver, opts()), "ISO-8601 'basic format'");
    // Another second: the scope still matches, the signature no longer does.
    await rejectsSignature(verifySigV4({ ...req, headers: { ...req.headers, "x-amz-date": "20250601T120001Z" } }, resolver, opts()));
    await rejectsExpiredSignature(verifySigV4(req, resolver, opts(new Date(NOW.getTime() + 16 * 60_000))));
  });

  test("a secret rotated under the same key id is not answered from the signing-key cache", async () => {
    const req = await signedJson();
    await verifySigV4(req, resolver, opts());
    const rotated = credential(LONG.accessKeyId, "rOtAtEdSeCrEt/K7MDENG/bPxRfiCYEXAMPLEKEY00");
    await rejectsSignature(verifySigV4(req, { resolve: () => rotated }, opts()));
  });

  test("constantTimeEqualHex: equal strings only, of the same length", () => {
    const a = "0123456789abcdef".repeat(4);
    assert.equal(constantTimeEqualHex(a, a), true);
    assert.equal(constantTimeEqualHex(a, "1" + a.slice(1)), false);
    assert.equal(constantTimeEqualHex(a, a.slice(0, 63) + "0"), false);
    assert.equal(constantTimeEqualHex(a, a.toUpperCase()), false);
    assert.equal(constantTimeEqualHex(a, a.slice(1)), false);
    assert.equal(constantTimeEqualHex(a, ""), false);
  });

  test("tampered body → signature mismatch", async () => {
    const req = await signedJson();
    await rejectsSignature(verifySigV4({ ...req, body: Buffer.from(JSON_BODY.replace("10", "11")) }, resolver, opts()));
  });

  test("tampered signed header → signature mismatch", async () => {
    const req = await signedJson();
    const headers = { ...req.headers, "x-amz-target": "Route53AutoNaming_v20170314.DeleteNamespace" };
    await rejectsSignature(verifySigV4({ ...req, headers }, resolver, opts()));
    // An unsigned header may change freely.
    await verifySigV4({ ...req, headers: { ...req.headers, "user-agent": "something else" } }, resolver, opts());
  });

  test("host must be signed", async () => {
    const body = "{}";
    const amzDate = "20250601T120000Z";
    const authorization = handSign(LONG, amzDate, [`x-amz-date:${amzDate}`], "x-amz-date", body);
    const req: SignedRequest = { method: "POST", path: "/", query: "", headers: { host: HOST, "x-amz-date": amzDate, authorization }, body: Buffer.from(body) };
    await rejectsSignature(verifySigV4(req, resolver, opts()), "'Host' or ':authority' must be a 'SignedHeader'");
  });

  test("stale and future dates beyond the skew → signature expired", async () => {
    const req = await signedJson();
    await rejectsExpiredSignature(
      verifySigV4(req, resolver, opts(new Date(NOW.getTime() + 16 * 60_000))),
      "Signature expired: 20250601T120000Z is now earlier than 20250601T120100Z (20250601T121600Z - 15 min.)",
    );
    await rejectsExpiredSignature(
      verifySigV4(req, resolver, opts(new Date(NOW.getTime() - 16 * 60_000))),
      "Signature not yet current: 20250601T120000Z is still later than 20250601T115900Z (20250601T114400Z + 15 min.)",
    );
    // Exactly at the limit is still fine; a smaller configured skew applies.
    await verifySigV4(req, resolver, opts(new Date(NOW.getTime() + 15 * 60_000)));
    await rejectsExpiredSignature(verifySigV4(req, resolver, opts(new Date(NOW.getTime() + 6 * 60_000), { maxSkewMinutes: 5 })), "- 5 min.)");
  });

  test("scope date different from X-Amz-Date's date → signature error", async () => {
    const req = await signedJson();
    const auth = String(req.headers.authorization).replace("/20250601/", "/20250531/");
    await rejectsSignature(
      verifySigV4(withAuthorization(req, auth), resolver, opts()),
      "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20250531' != '20250601', from '20250601T120000Z'.",
    );
  });

  test("wrong service, unserved region, bad terminator in scope → signature error", async () => {
    await rejectsSignature(
      verifySigV4(await signedJson(creds(LONG), NOW, "cloudtrail"), resolver, opts()),
      "Credential should be scoped to correct service: 'servicediscovery'. ",
    );
    const req = await signedJson();
    const auth = String(req.headers.authorization);
    await rejectsSignature(
      verifySigV4(withAuthorization(req, auth.replace("/us-west-2/", "/localhost/")), resolver, opts()),
      "Credential should be scoped to a valid region, not 'localhost'. ",
    );
    await rejectsSignature(
      verifySigV4(withAuthorization(req, auth.replace("/aws4_request", "/aws5_request")), resolver, opts()),
      "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. ",
    );
    // Served regions pass the scope check; region-shaped names of other partitions, or of none, do not.
    const signedIn = async (region: string) =>
      toServer((await signer(creds(LONG), "servicediscovery", region).sign(jsonRequest(), { signingDate: NOW })) as WireLike);
    for (const region of ["us-east-1", "eu-west-3", "ap-southeast-2", "mx-central-1"]) await verifySigV4(await signedIn(region), resolver, opts());
    for (const region of ["cn-north-1", "us-gov-west-1", "us-isob-east-1", "xx-fake-1", "aws-global"]) {
      await rejectsSignature(verifySigV4(await signedIn(region), resolver, opts()), `Credential should be scoped to a valid region, not '${region}'. `);
    }
    // The set given is the whole rule.
    await rejectsSignature(verifySigV4(req, resolver, opts(NOW, { regions: new Set(["us-east-1"]) })), "valid region");
    await verifySigV4(await signedIn("local-1"), resolver, opts(NOW, { regions: new Set(["local-1"]) }));
  });

  test("missing session token for a temporary credential → unrecognized", async () => {
    const req = await signedJson(creds(TEMP));
    const headers = { ...req.headers };
    delete headers["x-amz-security-token"];
    await rejectsUnrecognized(verifySigV4({ ...req, headers }, resolver, opts()));
    // Signed without a token at all.
    const noToken = { accessKeyId: TEMP.accessKeyId, secretAccessKey: TEMP.secretAccessKey };
    await rejectsUnrecognized(verifySigV4(await signedJson(noToken), resolver, opts()));
  });

  test("wrong session token → unrecognized", async () => {
    await rejectsUnrecognized(verifySigV4(await signedJson(creds(TEMP, { sessionToken: "IQoJb3JpZ2luX2VjWRONG" })), resolver, opts()));
    // A token with a long-term key is refused too.
    await rejectsUnrecognized(verifySigV4(await signedJson(creds(LONG, { sessionToken: "IQoJb3JpZ2luX2VjEXAMPLE" })), resolver, opts()));
  });

  test("expired temporary credential → expired token", async () => {
    await rejectsWith(
      verifySigV4(await signedJson(creds(EXPIRED)), resolver, opts()),
      "expiredToken",
      "ExpiredTokenException",
      "ExpiredToken",
      403,
      "The security token included in the request is expired",
    );
  });

  test("presigned URL past X-Amz-Expires → signature expired", async () => {
    const request = new HttpRequest({
      method: "GET",
      protocol: "https:",
      hostname: HOST,
      path: "/",
      query: { Action: "ListNamespaces" },
      headers: { host: HOST },
    });
    const req = toServer((await signer(creds(LONG)).presign(request, { signingDate: NOW, expiresIn: 60 })) as WireLike);
    await verifySigV4(req, resolver, opts(new Date(NOW.getTime() + 60_000)));
    await rejectsExpiredSignature(
      verifySigV4(req, resolver, opts(new Date(NOW.getTime() + 120_000))),
      "Signature expired: 20250601T120000Z is now earlier than 20250601T120100Z (20250601T120200Z - 60 sec.)",
    );
  });

  test("presigned URL missing parameters → incomplete; both forms at once → signature error", async () => {
    const request = new HttpRequest({ method: "GET", protocol: "https:", hostname: HOST, path: "/", headers: { host: HOST } });
    const req = toServer((await signer(creds(LONG)).presign(request, { signingDate: NOW, expiresIn: 60 })) as WireLike);
    const noSig = req.query.split("&").filter((p) => !p.startsWith("X-Amz-Signature=")).join("&");
    await rejectsIncomplete(
      verifySigV4({ ...req, query: noSig }, resolver, opts()),
      "AWS query-string parameters must include 'X-Amz-Signature'. Re-examine the query-string parameters.",
    );
    const both = withAuthorization(req, String((await signedJson()).headers.authorization));
    await rejectsSignature(verifySigV4(both, resolver, opts()), "Found both 'X-Amz-Algorithm'");
  });
});

describe("sigv4: error mapping", () => {
  test("renderAuthFailure gives each protocol's code and status", () => {
    const rows: [Exclude<AuthFailureKind, "accessDenied">, string, string, number][] = [
      ["missing", "MissingAuthenticationTokenException", "MissingAuthenticationToken", 403],
      ["incomplete", "IncompleteSignatureException", "IncompleteSignature", 400],
      ["unrecognized", "UnrecognizedClientException", "InvalidClientTokenId", 403],
      ["signature", "InvalidSignatureException", "SignatureDoesNotMatch", 403],
      ["expiredSignature", "InvalidSignatureException", "SignatureDoesNotMatch", 403],
      ["expiredToken", "ExpiredTokenException", "ExpiredToken", 403],
    ];
    for (const [kind, json, query, status] of rows) {
      const j = renderAuthFailure(authFailure(kind, "m"), "json");
      assert.equal(j.code, json);
      assert.equal(j.httpStatus, 400);
      assert.equal(j.message, "m");
      assert.equal(j.fault, "Sender");
      assert.equal(j.auditCode, json);
      const q = renderAuthFailure(authFailure(kind, "m"), "query");
      assert.equal(q.code, query);
      assert.equal(q.httpStatus, status);
      assert.ok(authFailure(kind).message.length > 0);
    }
  });

  test("access denied: AccessDeniedException 400 on awsJson (recorded as AccessDenied), AccessDenied 403 on awsQuery", () => {
    const j = renderAuthFailure(accessDenied("m"), "json");
    assert.deepEqual([j.code, j.httpStatus, j.fault, j.auditCode, j.message], ["AccessDeniedException", 400, "Sender", "AccessDenied", "m"]);
    const q = renderAuthFailure(accessDenied("m"), "query");
    assert.deepEqual([q.code, q.httpStatus, q.fault, q.auditCode, q.message], ["AccessDenied", 403, "Sender", "AccessDenied", "m"]);
  });
});
