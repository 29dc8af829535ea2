import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startCairn, type CairnProcess } from "../support/cairn-process.js";
import { cloudTrail, lookupAll, recordOf, type TrailRecord } from "../support/cloudtrail.js";
import { send, signedCloudMapRequest, type RawRequest } from "../support/raw.js";

let plain: CairnProcess;
let proxied: CairnProcess;

before(async () => {
  [plain, proxied] = await Promise.all([startCairn(), startCairn({ env: { CAIRN_TRUSTED_PROXIES: "127.0.0.1, 10.0.0.0/8" } })]);
});
after(async () => {
  await Promise.all([plain.stop(), proxied.stop()]);
});

async function recordFor(cairn: CairnProcess, requestId: string): Promise<TrailRecord | undefined> {
  const events = await lookupAll(cloudTrail(cairn), { LookupAttributes: [{ AttributeKey: "EventSource", AttributeValue: "servicediscovery.amazonaws.com" }] });
  return events.map(recordOf).find((r) => r.requestID === requestId);
}

async function call(req: RawRequest, extraHeaders: Record<string, string> = {}): Promise<string> {
  const res = await send({ ...req, headers: { ...req.headers, ...extraHeaders } });
  return String(res.headers["x-amzn-requestid"]);
}

const listNamespaces = (cairn: CairnProcess, credentials = cairn.credentials, options: Parameters<typeof signedCloudMapRequest>[4] = {}) =>
  signedCloudMapRequest(cairn.url, credentials, "ListNamespaces", {}, options);

describe("who made the call", () => {
  test("a call that fails authentication writes no event; an authenticated one writes exactly one", async () => {
    const good = await call(await listNamespaces(plain));
    const refused = [
      await call(await listNamespaces(plain, { ...plain.credentials, secretAccessKey: "wrong-secret-wrong-secret-wrong-secret00" })),
      await call(await listNamespaces(plain, { accessKeyId: "AKIAUNKNOWNUNKNOWN00", secretAccessKey: plain.credentials.secretAccessKey })),
      await call(await listNamespaces(plain, plain.credentials, { signingDate: new Date(Date.now() - 20 * 60_000) })),
      await call({ ...(await listNamespaces(plain)), headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "Route53AutoNaming_v20170314.ListNamespaces" } }),
    ];
    const events = (await lookupAll(cloudTrail(plain))).map(recordOf);
    const recorded = new Set(events.map((r) => r.requestID));
    assert.ok(recorded.has(good));
    for (const requestId of refused) assert.ok(!recorded.has(requestId), `no event for refused request ${requestId}`);
    assert.equal(events.filter((r) => r.eventName === "ListNamespaces").length, 1);
  });

  test("sourceIPAddress is the socket's address; X-Forwarded-For is ignored unless the proxy is trusted", async () => {
    const requestId = await call(await listNamespaces(plain), { "x-forwarded-for": "203.0.113.9" });
    assert.equal((await recordFor(plain, requestId))?.sourceIPAddress, "127.0.0.1");
  });

  test("behind a trusted proxy, the nearest address that is not a trusted proxy is the caller's", async () => {
    const cases: Array<[string | undefined, string]> = [
      ["203.0.113.9", "203.0.113.9"],
      ["198.51.100.1, 203.0.113.9", "203.0.113.9"],
      ["203.0.113.9, 10.1.2.3", "203.0.113.9"],
      ["203.0.113.9:5050, 10.1.2.3", "203.0.113.9"],
      ["2001:db8::7", "2001:db8::7"],
      ["not-an-address", "127.0.0.1"],
      [undefined, "127.0.0.1"],
    ];
    for (const [forwarded, expected] of cases) {
      const requestId = await call(await listNamespaces(proxied), forwarded === undefined ? {} : { "x-forwarded-for": forwarded });
      assert.equal((await recordFor(proxied, requestId))?.sourceIPAddress, expected, `X-Forwarded-For: ${forwarded}`);
    }
  });

  test("userAgent is the raw User-Agent header, absent when the request had none", async () => {
    const withAgent = await call(await listNamespaces(plain), { "user-agent": "my-tool/1.0 (custom)" });
    assert.equal((await recordFor(plain, withAgent))?.userAgent, "my-tool/1.0 (custom)");
    const without = await call(await listNamespaces(plain));
    const r = await recordFor(plain, without);
    assert.ok(r);
    assert.equal("userAgent" in r, false);
  });
});
