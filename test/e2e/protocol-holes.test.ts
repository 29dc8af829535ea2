import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { GetUserCommand, NoSuchEntityException } from "@aws-sdk/client-iam";
import { startCairn, type CairnProcess } from "../support/cairn-process.js";
import { iam } from "../support/identity.js";
import { CLOUD_MAP_TARGET, send, signedPost, type RawRequest } from "../support/raw.js";
import { storeHolds } from "../support/store-contents.js";

/** Characters XML 1.0 cannot carry at all, not even as character references. */
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

describe("protocol holes", () => {
  let cairn: CairnProcess;
  before(async () => {
    cairn = await startCairn();
  });
  after(async () => {
    await cairn.stop();
  });

  /** A request signed over `signedBody` with this x-amz-content-sha256 header, then sent with `sentBody` instead. */
  async function swapped(service: string, headers: Record<string, string>, contentSha256: string, signedBody: string, sentBody: string): Promise<RawRequest> {
    const req = await signedPost(cairn.url, cairn.credentials, signedBody, { ...headers, "x-amz-content-sha256": contentSha256 }, { service });
    req.headers["content-length"] = String(Buffer.byteLength(sentBody));
    return { ...req, body: sentBody };
  }

  const cloudMapJson = { "content-type": "application/x-amz-json-1.1", "x-amz-target": `${CLOUD_MAP_TARGET}.CreateHttpNamespace` };
  const queryForm = { "content-type": "application/x-www-form-urlencoded; charset=utf-8" };

  test("awsJson: a body signed as UNSIGNED-PAYLOAD cannot be swapped", async () => {
    const signedBody = JSON.stringify({ Name: "signed-namespace" });
    for (const claim of ["UNSIGNED-PAYLOAD", "STREAMING-UNSIGNED-PAYLOAD-TRAILER", createHash("sha256").update(signedBody).digest("hex")]) {
      const res = await send(await swapped("servicediscovery", cloudMapJson, claim, signedBody, JSON.stringify({ Name: "swapped-namespace" })));
      assert.equal(res.status, 400, claim);
      assert.equal(res.json().__type, "InvalidSignatureException", claim);
    }
    assert.equal(await storeHolds(cairn, "swapped-namespace"), false, "no namespace and no event were written");
  });

  test("awsJson: UNSIGNED-PAYLOAD is no payload hash at all, even with the body unchanged", async () => {
    const body = JSON.stringify({ Name: "unsigned-namespace" });
    const res = await send(await swapped("servicediscovery", cloudMapJson, "UNSIGNED-PAYLOAD", body, body));
    assert.equal(res.json().__type, "InvalidSignatureException");
    assert.equal(await storeHolds(cairn, "unsigned-namespace"), false);
  });

  test("awsQuery: a form signed as UNSIGNED-PAYLOAD cannot be swapped for another action", async () => {
    const res = await send(
      await swapped("iam", queryForm, "UNSIGNED-PAYLOAD", "Action=ListUsers&Version=2010-05-08", "Action=CreateUser&Version=2010-05-08&UserName=swapped-mallory"),
    );
    assert.equal(res.status, 403);
    assert.match(res.body, /<Code>SignatureDoesNotMatch<\/Code>/);
    assert.equal(await storeHolds(cairn, "swapped-mallory"), false, "no user was created");
  });

  test("a correctly signed x-amz-content-sha256 still works", async () => {
    const body = "Action=GetUser&Version=2010-05-08";
    const req = await signedPost(cairn.url, cairn.credentials, body, { ...queryForm, "x-amz-content-sha256": createHash("sha256").update(body).digest("hex") }, { service: "iam" });
    assert.equal((await send(req)).status, 200);
  });

  test("awsQuery errors never carry characters XML forbids", async () => {
    const name = "ctl\u0001\u0008\u001b\uffffname";
    for (const form of <Record<string, string>[]>[
      { Action: "GetUser", Version: "2010-05-08", UserName: name },
      { Action: `No\u0002Such\u0000Action`, Version: "2010-05-08" },
    ]) {
      const body = new URLSearchParams(form).toString();
      const res = await send(await signedPost(cairn.url, cairn.credentials, body, queryForm, { service: "iam" }));
      assert.equal(res.status, 400, res.body);
      assert.match(res.body, /^<ErrorResponse /);
      assert.ok(!XML_FORBIDDEN.test(res.body), `forbidden character in ${JSON.stringify(res.body)}`);
      assert.ok(res.body.includes("\ufffd"), "each forbidden character is replaced by U+FFFD");
    }
    // The SDK reads the error as usual.
    await assert.rejects(iam(cairn).send(new GetUserCommand({ UserName: "nobody\u0007" })), (e: Error) => {
      assert.ok(!(e instanceof NoSuchEntityException));
      assert.equal(e.name, "ValidationError");
      assert.ok(!XML_FORBIDDEN.test(e.message), e.message);
      return true;
    });
  });
});
