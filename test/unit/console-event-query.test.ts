import { test } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_QUERY, InvalidSearch, lookupInput, parseQuery, serializeQuery } from "../../web/src/lib/event-query.js";

const now = new Date("2026-03-04T05:06:07Z");

test("an empty URL is AWS's default search, Read-only = false over any time", () => {
  assert.deepEqual(parseQuery(""), DEFAULT_QUERY);
  assert.deepEqual(lookupInput(DEFAULT_QUERY, now), { LookupAttributes: [{ AttributeKey: "ReadOnly", AttributeValue: "false" }] });
});

test("a search survives the URL round trip; unknown attributes and ranges fall back", () => {
  const query = { attr: "EventName" as const, value: "CreateTrail", range: "custom", start: "2026-01-01T00:00:00.000Z", end: "2026-01-02T00:00:00.000Z" };
  assert.deepEqual(parseQuery(serializeQuery(query)), query);
  assert.equal(serializeQuery({ ...query, range: "1h" }).includes("start"), false, "a relative range keeps no instants");
  assert.deepEqual(parseQuery("attr=Bogus&value=x&range=forever"), { attr: "ReadOnly", value: "x", range: "any", start: "", end: "" });
});

test("relative ranges end now and reach back 30 minutes to 7 days", () => {
  for (const [range, minutes] of [["30m", 30], ["1h", 60], ["3h", 180], ["12h", 720], ["1d", 1440], ["3d", 4320], ["7d", 10080]] as const) {
    const input = lookupInput({ ...DEFAULT_QUERY, range }, now);
    assert.equal(input.EndTime?.getTime(), now.getTime());
    assert.equal(now.getTime() - input.StartTime!.getTime(), minutes * 60_000, range);
  }
});

test("From after To, or a date that is not one, is refused before anything is sent", () => {
  const custom = { ...DEFAULT_QUERY, range: "custom" };
  assert.throws(() => lookupInput({ ...custom, start: "2026-01-03T00:00:00Z", end: "2026-01-02T00:00:00Z" }, now), (e: unknown) => e instanceof InvalidSearch && e.field === "end-time");
  assert.throws(() => lookupInput({ ...custom, start: "soon" }, now), (e: unknown) => e instanceof InvalidSearch && e.field === "start-time");
  const equal = lookupInput({ ...custom, start: "2026-01-02T00:00:00Z", end: "2026-01-02T00:00:00Z" }, now);
  assert.equal(equal.StartTime?.getTime(), equal.EndTime?.getTime(), "From = To is a valid (one-instant) range");
});
