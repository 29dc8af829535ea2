import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startCairn, type CairnProcess } from "../support/cairn-process.js";
import { send, signedCloudMapRequest } from "../support/raw.js";

let cairn: CairnProcess;

before(async () => {
  cairn = await startCairn();
});
after(async () => {
  await cairn.stop();
});

const listNamespaces = (options: Parameters<typeof signedCloudMapRequest>[4] = {}, credentials = cairn.credentials) =>
  signedCloudMapRequest(cairn.url, credentials, "ListNamespaces", {}, options);

function errorOf(res: { json(): Record<string, unknown> }): { type: string; message: string } {
  const body = res.json();
  return { type: String(body.__type), message: String(body.Message) };
}

describe("SigV4 verification", () => {
  test("a correctly signed raw request succeeds and carries a request id", async () => {
    const res = await send(await listNamespaces());
    assert.equal(res.status, 200);
    assert.match(String(res.headers["x-amzn-requestid"]), /^[0-9a-f-]{36}$/);
    assert.deepEqual(res.json(), { Namespaces: [] });
  });

  test("a wrong secret is InvalidSignatureException", async () => {
    const res = await send(await listNamespaces({}, { ...cairn.credentials, secretAccessKey: "wrong-secret-wrong-secret-wrong-secret00" }));
    assert.equal(res.status, 400);
    const e = errorOf(res);
    assert.equal(e.type, "InvalidSignatureException");
    assert.match(e.message, /signature we calculated does not match/);
  });

  test("an unknown access key is UnrecognizedClientException", async () => {
    const res = await send(await listNamespaces({}, { accessKeyId: "AKIAUNKNOWNUNKNOWN00", secretAccessKey: cairn.credentials.secretAccessKey }));
    assert.equal(res.status, 400);
    assert.equal(errorOf(res).type, "UnrecognizedClientException");
  });

  test("a signature older than the allowed skew is refused as expired", async () => {
    const res = await send(await listNamespaces({ signingDate: new Date(Date.now() - 20 * 60_000) }));
    assert.equal(res.status, 400);
    const e = errorOf(res);
    assert.equal(e.type, "InvalidSignatureException");
    assert.match(e.message, /Signature expired/);
  });

  test("a body changed after signing is InvalidSignatureException", async () => {
    const req = await listNamespaces();
    req.body = JSON.stringify({ MaxResults: 5 });
    req.headers["content-length"] = String(Buffer.byteLength(req.body));
    const res = await send(req);
    assert.equal(errorOf(res).type, "InvalidSignatureException");
  });

  test("no Authorization header is MissingAuthenticationTokenException", async () => {
    const req = await listNamespaces();
    delete req.headers.authorization;
    const res = await send(req);
    assert.equal(res.status, 400);
    assert.equal(errorOf(res).type, "MissingAuthenticationTokenException");
  });

  test("an Authorization header without a signature is IncompleteSignatureException", async () => {
    const req = await listNamespaces();
    req.headers.authorization = req.headers.authorization!.replace(/, Signature=[0-9a-f]+/, "");
    const res = await send(req);
    assert.equal(errorOf(res).type, "IncompleteSignatureException");
  });

  test("a missing X-Amz-Date is IncompleteSignatureException", async () => {
    const req = await listNamespaces();
    delete req.headers["x-amz-date"];
    const res = await send(req);
    assert.equal(errorOf(res).type, "IncompleteSignatureException");
  });

  test("a credential scoped to another service is refused", async () => {
    const res = await send(await listNamespaces({ service: "cloudtrail" }));
    assert.equal(errorOf(res).type, "InvalidSignatureException");
  });

  test("the Host header is verified as received, including a data- prefix", async () => {
    const res = await send(await listNamespaces({ host: `data-127.0.0.1:${cairn.port}` }));
    assert.equal(res.status, 200);
  });
});
