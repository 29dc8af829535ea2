import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { decodeLookupToken, encodeLookupToken, parametersHash, type LookupParameters } from "../../src/services/cloudtrail/lookup-token.js";

const params: LookupParameters = { accountId: "123456789012", region: "us-east-1", attribute: { key: "EventName", value: "GetNamespace" }, startTime: 1000 };

describe("LookupEvents NextToken", () => {
  test("round-trips its cursor for the same parameters", () => {
    const token = encodeLookupToken(params, { time: 1_700_000_000_000, seq: 42 });
    assert.match(token, /^[A-Za-z0-9_-]+$/);
    assert.deepEqual(decodeLookupToken(token, { ...params }), { time: 1_700_000_000_000, seq: 42 });
  });

  test("is refused for any other parameters", () => {
    const token = encodeLookupToken(params, { time: 5, seq: 6 });
    const others: LookupParameters[] = [
      { ...params, accountId: "210987654321" },
      { ...params, region: "us-west-2" },
      { ...params, attribute: { key: "EventName", value: "ListNamespaces" } },
      { ...params, attribute: { key: "EventSource", value: "GetNamespace" } },
      { ...params, attribute: undefined },
      { ...params, startTime: 1001 },
      { ...params, startTime: undefined },
      { ...params, endTime: 2000 },
      { ...params, eventCategory: "insight" },
    ];
    for (const other of others) assert.throws(() => decodeLookupToken(token, other), { code: "InvalidNextTokenException" }, JSON.stringify(other));
  });

  test("garbage and tampered tokens are InvalidNextTokenException", () => {
    const token = encodeLookupToken(params, { time: 5, seq: 6 });
    const tampered = Buffer.from(JSON.stringify([1, parametersHash(params), 5, "6"])).toString("base64url");
    for (const bad of ["", "!!!", "bm90LWEtdG9rZW4", Buffer.from("[1,2,3]").toString("base64url"), tampered, token.slice(0, -3), `${token}x`]) {
      assert.throws(() => decodeLookupToken(bad, params), { code: "InvalidNextTokenException" }, bad);
    }
  });

  test("the parameter digest separates values that would collide if concatenated", () => {
    assert.notEqual(
      parametersHash({ accountId: "1", region: "us-east-1", attribute: { key: "EventName", value: "a" } }),
      parametersHash({ accountId: "1", region: "us-east-1", attribute: { key: "EventNam", value: "ea" } }),
    );
  });
});
