import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startCairn, type CairnProcess } from "../support/cairn-process.js";
import { CLOUD_MAP_TARGET, send, signedCloudMapRequest } from "../support/raw.js";

let cairn: CairnProcess;

before(async () => {
  cairn = await startCairn();
});
after(async () => {
  await cairn.stop();
});

describe("awsJson protocol errors", () => {
  test("malformed JSON is SerializationException (400), never a 500", async () => {
    const res = await send(await signedRawBody("{not json"));
    assert.equal(res.status, 400);
    assert.equal(res.json().__type, "SerializationException");
    const array = await send(await signedRawBody("[1,2]"));
    assert.equal(array.json().__type, "SerializationException");
  });

  test("a JSON value of the wrong type is SerializationException", async () => {
    const res = await send(await signedCloudMapRequest(cairn.url, cairn.credentials, "ListNamespaces", { MaxResults: "ten" }));
    assert.equal(res.status, 400);
    assert.equal(res.json().__type, "SerializationException");
  });

  test("an unknown operation is UnknownOperationException", async () => {
    const res = await send(await signedCloudMapRequest(cairn.url, cairn.credentials, "NoSuchOperation", {}));
    assert.equal(res.status, 400);
    assert.equal(res.json().__type, "UnknownOperationException");
    assert.ok(res.headers["x-amzn-requestid"]);
  });

  test("a request without X-Amz-Target is UnknownOperationException", async () => {
    const res = await send({ url: cairn.url, headers: { "content-type": "application/x-amz-json-1.1" }, body: "{}" });
    assert.equal(res.status, 400);
    assert.equal(res.json().__type, "UnknownOperationException");
  });

  test("a wrong content type is refused with 415", async () => {
    const res = await send({
      url: cairn.url,
      headers: { "content-type": "text/plain", "x-amz-target": `${CLOUD_MAP_TARGET}.ListNamespaces` },
      body: "{}",
    });
    assert.equal(res.status, 415);
    assert.equal(res.json().__type, "UnsupportedMediaTypeException");
  });

  test("a body over the 1 MiB limit is refused with 413 before it is read", async () => {
    const res = await send({
      url: cairn.url,
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": `${CLOUD_MAP_TARGET}.ListNamespaces` },
      body: Buffer.alloc(1024 * 1024 + 1, 0x20),
    });
    assert.equal(res.status, 413);
    assert.equal(res.json().__type, "RequestEntityTooLargeException");
  });

  test("an empty body is read as {}", async () => {
    const res = await send(await signedRawBody(""));
    assert.equal(res.status, 200);
    assert.deepEqual(res.json(), { Namespaces: [] });
  });

  test("the server is still healthy after all of that", async () => {
    const res = await send({ url: `${cairn.url}/_cairn/health`, method: "GET", headers: {}, body: "" });
    assert.equal(res.status, 200);
    assert.equal(res.json().status, "ok");
  });
});

function signedRawBody(body: string) {
  return signedCloudMapRequest(cairn.url, cairn.credentials, "ListNamespaces", undefined, { rawBody: body });
}
