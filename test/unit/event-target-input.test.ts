import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { BusEvent } from "../../src/services/events/envelope.js";
import { checkTargetInput, parseJsonPath, targetBody } from "../../src/services/events/target-input.js";

const event: BusEvent = {
  version: "0",
  id: "e-1",
  "detail-type": "AWS API Call via CloudTrail",
  source: "aws.servicediscovery",
  account: "123456789012",
  time: "2026-12-07T00:00:00Z",
  region: "us-east-1",
  resources: [],
  detail: { eventName: "CreateHttpNamespace", requestParameters: { name: 'a "quoted" name', tags: [{ key: "k" }] }, count: 3 },
};
const rule = { name: "r1", arn: "arn:aws:events:us-east-1:123456789012:rule/r1" };
const body = (target: object) => targetBody({ Id: "t", Arn: "a", ...target }, event, rule, "2026-12-07T00:00:01Z");

describe("target input", () => {
  it("sends the whole event by default, Input as given, and InputPath's selection", () => {
    assert.deepEqual(JSON.parse(body({})), event);
    assert.equal(body({ Input: '{"fixed":true}' }), '{"fixed":true}');
    assert.deepEqual(JSON.parse(body({ InputPath: "$.detail.requestParameters" })), { name: 'a "quoted" name', tags: [{ key: "k" }] });
    assert.equal(body({ InputPath: "$.detail.requestParameters.tags[0]['key']" }), '"k"');
    assert.equal(body({ InputPath: "$.detail.missing" }), "null");
  });

  it("substitutes InputTransformer values as JSON outside strings and escaped text inside them", () => {
    const out = body({
      InputTransformer: {
        InputPathsMap: { name: "$.detail.requestParameters.name", n: "$.detail.count", params: "$.detail.requestParameters" },
        InputTemplate: '{"name": <name>, "n": <n>, "text": "<name> x<n>", "params": <params>, "rule": "<aws.events.rule-arn>", "keep": "<notavar>"}',
      },
    });
    assert.deepEqual(JSON.parse(out), {
      name: 'a "quoted" name',
      n: 3,
      text: 'a "quoted" name x3',
      params: { name: 'a "quoted" name', tags: [{ key: "k" }] },
      rule: rule.arn,
      keep: "<notavar>",
    });
    assert.equal(body({ InputTransformer: { InputPathsMap: { s: "$.source" }, InputTemplate: '"from <s>"' } }), '"from aws.servicediscovery"');
  });

  it("refuses what AWS refuses", () => {
    assert.throws(() => checkTargetInput({ Id: "t", Arn: "a", Input: "{}", InputPath: "$" }), /Only one of Input, InputPath, or InputTransformer/);
    assert.throws(() => checkTargetInput({ Id: "t", Arn: "a", Input: "{oops" }), /Input is not valid JSON/);
    assert.throws(() => checkTargetInput({ Id: "t", Arn: "a", InputPath: "detail" }), /not a valid JSON path/);
    assert.throws(() => checkTargetInput({ Id: "t", Arn: "a", InputTransformer: { InputPathsMap: { "aws.events.x": "$" }, InputTemplate: "{}" } }), /reserved/);
    assert.equal(parseJsonPath("$.a..b"), undefined);
    assert.deepEqual(parseJsonPath("$.a[2]['b c']"), ["a", 2, "b c"]);
  });
});
