import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { attributeWeight, planLookup, type LookupScope } from "../../src/services/cloudtrail/lookup-query.js";
import { encodeLookupToken } from "../../src/services/cloudtrail/lookup-token.js";

const now = new Date("2026-03-04T05:06:07Z");
const scope: LookupScope = { accountId: "123456789012", region: "us-east-1", now, retentionDays: 90 };
const DAY = 86_400_000;

describe("planLookup", () => {
  test("defaults: the last 90 days up to now, 50 events, no filter", () => {
    const { query } = planLookup({}, scope);
    assert.deepEqual(query, { accountId: scope.accountId, region: scope.region, from: new Date(now.getTime() - 90 * DAY), to: now, limit: 50 });
  });

  test("the retention window bounds even an explicit StartTime; EndTime and MaxResults are taken as given", () => {
    const { query } = planLookup({ StartTime: new Date(0), EndTime: new Date(now.getTime() - DAY), MaxResults: 7 }, { ...scope, retentionDays: 30 });
    assert.equal(query!.from.getTime(), now.getTime() - 30 * DAY);
    assert.equal(query!.to.getTime(), now.getTime() - DAY);
    assert.equal(query!.limit, 7);
  });

  test("each attribute becomes the store's filter; ReadOnly becomes a boolean", () => {
    for (const key of ["EventId", "EventName", "EventSource", "Username", "AccessKeyId", "ResourceType", "ResourceName"] as const) {
      assert.deepEqual(planLookup({ LookupAttributes: [{ AttributeKey: key, AttributeValue: "v" }] }, scope).query!.filter, { key, value: "v" });
    }
    assert.deepEqual(planLookup({ LookupAttributes: [{ AttributeKey: "ReadOnly", AttributeValue: "true" }] }, scope).query!.filter, { key: "ReadOnly", value: true });
    assert.deepEqual(planLookup({ LookupAttributes: [{ AttributeKey: "ReadOnly", AttributeValue: "False" }] }, scope).query!.filter, { key: "ReadOnly", value: false });
    assert.throws(() => planLookup({ LookupAttributes: [{ AttributeKey: "ReadOnly", AttributeValue: "1" }] }, scope), { code: "InvalidLookupAttributesException" });
  });

  test("at most one attribute", () => {
    assert.equal(planLookup({ LookupAttributes: [] }, scope).query!.filter, undefined);
    assert.throws(
      () =>
        planLookup(
          {
            LookupAttributes: [
              { AttributeKey: "EventName", AttributeValue: "a" },
              { AttributeKey: "EventName", AttributeValue: "b" },
            ],
          },
          scope,
        ),
      { code: "InvalidLookupAttributesException" },
    );
  });

  test("underscore, space, comma and newline weigh two toward the 2000 limit", () => {
    assert.equal(attributeWeight("a_b c,d\ne"), 13);
    assert.doesNotThrow(() => planLookup({ LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "_".repeat(1000) }] }, scope));
    assert.throws(() => planLookup({ LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "_".repeat(1000) + "x" }] }, scope), {
      code: "InvalidLookupAttributesException",
    });
  });

  test("a start after the end is InvalidTimeRangeException; equal bounds are fine", () => {
    assert.throws(() => planLookup({ StartTime: new Date(2000), EndTime: new Date(1000) }, scope), { code: "InvalidTimeRangeException" });
    const t = new Date(now.getTime() - DAY);
    const { query } = planLookup({ StartTime: t, EndTime: t }, scope);
    assert.deepEqual([query!.from, query!.to], [t, t]);
  });

  test("a NextToken resumes after its cursor, only with the parameters it was issued for", () => {
    const input = { LookupAttributes: [{ AttributeKey: "EventName" as const, AttributeValue: "GetNamespace" }] };
    const first = planLookup(input, scope);
    const token = encodeLookupToken(first.params, { time: 123_000, seq: 9 });
    assert.deepEqual(planLookup({ ...input, NextToken: token, MaxResults: 3 }, scope).query!.after, { time: 123_000, seq: 9 });
    assert.throws(() => planLookup({ NextToken: token }, scope), { code: "InvalidNextTokenException" });
    assert.throws(() => planLookup({ ...input, NextToken: token }, { ...scope, region: "eu-west-1" }), { code: "InvalidNextTokenException" });
  });

  test("Insights events: nothing to query", () => {
    assert.equal(planLookup({ EventCategory: "insight" }, scope).query, undefined);
  });
});
