import { test } from "node:test";
import assert from "node:assert/strict";
import { Sha256 } from "@aws-crypto/sha256-js";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { sigV4Headers } from "../../src/embed/sign.js";

test("startCairn's signer signs a body-less POST as the AWS SDK's signer does", async () => {
  const credentials = { accessKeyId: "AKIAEXAMPLE000000001", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
  const now = new Date("2026-12-07T18:00:00Z");
  const url = new URL("http://127.0.0.1:4640/_cairn/reset");
  const ours = sigV4Headers("POST", url, credentials, "eu-west-1", "cairn", now);
  const request = new HttpRequest({
    method: "POST",
    protocol: "http:",
    hostname: "127.0.0.1",
    port: 4640,
    path: "/_cairn/reset",
    headers: { host: url.host, "x-amz-content-sha256": ours["x-amz-content-sha256"]! },
    body: "",
  });
  const sdk = await new SignatureV4({ credentials, region: "eu-west-1", service: "cairn", sha256: Sha256 }).sign(request, { signingDate: now });
  assert.equal(ours.authorization, sdk.headers.authorization);
  assert.equal(ours["x-amz-date"], sdk.headers["x-amz-date"]);
});
