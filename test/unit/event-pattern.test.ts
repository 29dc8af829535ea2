/**
 * EventBridge's event pattern language, case by case: AWS's documented examples (content filtering, arrays, null and
 * empty values, $or, wildcards), the behaviour AWS shows at its edges, and invalid patterns with the exact reason and
 * location AWS answers with.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ServiceError } from "../../src/protocol/errors.js";
import { matchesPattern, parseEventPattern, testEventPattern } from "../../src/services/events/pattern/index.js";

/** The envelope of AWS's EC2 example event; cases put their own `detail` (and other fields) over it. */
const envelope = {
  version: "0",
  id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
  "detail-type": "EC2 Instance State-change Notification",
  source: "aws.ec2",
  account: "123456789012",
  time: "2017-10-02T18:43:48Z",
  region: "us-east-1",
  resources: ["arn:aws:ec2:us-east-1:123456789012:instance/i-02ebd4584a2ebd341"],
};

/** The event of AWS's content-filtering examples. */
const ec2 = {
  ...envelope,
  detail: { "instance-id": "i-02ebd4584a2ebd341", state: "running", "c-count": 5, "d-count": 3, "x-limit": 301.8, "source-ip": "10.0.0.123" },
};

const withDetail = (detail: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ ...envelope, ...extra, detail });

type MatchCase = [name: string, pattern: unknown, event: unknown, matches: boolean];

const matching: MatchCase[] = [
  // Exact values, fields ANDed, values ORed.
  ["source equals", { source: ["aws.ec2"] }, ec2, true],
  ["source differs", { source: ["aws.s3"] }, ec2, false],
  ["one of several values", { source: ["aws.s3", "aws.ec2"] }, ec2, true],
  ["all fields must match", { source: ["aws.ec2"], "detail-type": ["Object Created"] }, ec2, false],
  ["nested field", { detail: { state: ["running"] } }, ec2, true],
  ["values are case-sensitive", { detail: { state: ["Running"] } }, ec2, false],
  ["field names are case-sensitive", { detail: { State: ["running"] } }, ec2, false],
  ["field missing from the event", { detail: { "no-such-field": ["running"] } }, ec2, false],
  ["number equals", { detail: { "c-count": [5] } }, ec2, true],
  ["number written differently", { detail: { "x-limit": [3.018e2] } }, ec2, true],
  ["string \"5\" is not number 5", { detail: { "c-count": ["5"] } }, ec2, false],
  ["number 5 is not string \"5\"", { detail: { n: [5] } }, withDetail({ n: "5" }), false],
  ["true", { detail: { on: [true] } }, withDetail({ on: true }), true],
  ["true is not \"true\"", { detail: { on: ["true"] } }, withDetail({ on: true }), false],
  ["false is not null", { detail: { on: [null] } }, withDetail({ on: false }), false],
  // Null and empty values (AWS's example event: "eventVersion": "", "responseElements": null).
  ["null matches null", { detail: { responseElements: [null] } }, withDetail({ eventVersion: "", responseElements: null }), true],
  ["empty string matches empty string", { detail: { eventVersion: [""] } }, withDetail({ eventVersion: "", responseElements: null }), true],
  ["null is not the empty string", { detail: { responseElements: [""] } }, withDetail({ eventVersion: "", responseElements: null }), false],
  ["null does not match a missing field", { detail: { missing: [null] } }, withDetail({ eventVersion: "" }), false],
  // Arrays: a match if the pattern's values and the event's values meet.
  ["event array meets pattern values", { resources: ["arn:aws:ec2:us-east-1:123456789012:instance/i-02ebd4584a2ebd341", "arn:x"] }, ec2, true],
  ["event array misses pattern values", { resources: ["arn:x", "arn:y"] }, ec2, false],
  ["nested arrays are looked through", { detail: { ids: ["c"] } }, withDetail({ ids: [["a", ["b", "c"]]] }), true],
  ["an empty event array matches no value", { resources: [null] }, { ...ec2, resources: [] }, false],
  ["objects inside arrays", { detail: { items: { name: ["b"] } } }, withDetail({ items: [{ name: "a" }, { name: "b" }] }), true],
  ["conditions on an array's objects hold in one element", { detail: { items: { name: ["a"], size: [2] } } }, withDetail({ items: [{ name: "a", size: 1 }, { name: "b", size: 2 }] }), false],
  ["both conditions in the same element", { detail: { items: { name: ["b"], size: [2] } } }, withDetail({ items: [{ name: "a", size: 1 }, { name: "b", size: 2 }] }), true],
  // Only leaves are values.
  ["a pattern value never matches an object", { detail: [{ exists: true }] }, ec2, false],
  ["an object pattern never matches a scalar", { detail: { state: { name: ["running"] } } }, ec2, false],
  ["a field of an object inside a string is not a field", { detail: { "my-key": ["my-value"] } }, withDetail('{"my-key": "my-value"}'), false],
  // Dots join path segments, in the pattern and in the event.
  ["dotted pattern name", { detail: { "state.status": ["running"] } }, withDetail({ state: { status: "running" } }), true],
  ["dotted event key", { detail: { state: { status: ["running"] } } }, withDetail({ "state.status": "running" }), true],
  ["dotted pattern name at the top", { "detail.state": ["running"] }, ec2, true],
  // prefix, suffix and their ignore-case forms.
  ["prefix", { time: [{ prefix: "2017-10-02" }] }, ec2, true],
  ["prefix differs", { time: [{ prefix: "2017-10-03" }] }, ec2, false],
  ["prefix on regions", { source: ["aws.ec2"], region: [{ prefix: "eu-" }] }, ec2, false],
  ["prefix is for strings only", { detail: { "c-count": [{ prefix: "5" }] } }, ec2, false],
  ["prefix ignoring case", { detail: { service: [{ prefix: { "equals-ignore-case": "EventB" } }] } }, withDetail({ service: "eventbridge" }), true],
  ["prefix ignoring case differs", { detail: { service: [{ prefix: { "equals-ignore-case": "EventB" } }] } }, withDetail({ service: "events" }), false],
  ["suffix", { detail: { FileName: [{ suffix: ".png" }] } }, withDetail({ FileName: "image.png" }), true],
  ["suffix is case-sensitive", { detail: { FileName: [{ suffix: ".png" }] } }, withDetail({ FileName: "image.PNG" }), false],
  ["suffix ignoring case", { detail: { FileName: [{ suffix: { "equals-ignore-case": ".png" } }] } }, withDetail({ FileName: "image.PNG" }), true],
  // equals-ignore-case.
  ["equals-ignore-case", { "detail-type": [{ "equals-ignore-case": "ec2 instance state-change notification" }] }, ec2, true],
  ["equals-ignore-case still needs equal text", { "detail-type": [{ "equals-ignore-case": "ec2 instance state-change" }] }, ec2, false],
  ["exactly", { detail: { state: [{ exactly: "running" }] } }, ec2, true],
  // anything-but.
  ["anything-but a string", { detail: { state: [{ "anything-but": "initializing" }] } }, ec2, true],
  ["anything-but the value", { detail: { state: [{ "anything-but": "running" }] } }, ec2, false],
  ["anything-but a number", { detail: { "x-limit": [{ "anything-but": 123 }] } }, ec2, true],
  ["anything-but a list of strings", { detail: { state: [{ "anything-but": ["stopped", "overloaded"] }] } }, ec2, true],
  ["anything-but a list naming the value", { detail: { state: [{ "anything-but": ["stopped", "running"] }] } }, ec2, false],
  ["anything-but a list of numbers", { detail: { "x-limit": [{ "anything-but": [100, 200, 300] }] } }, withDetail({ "x-limit": 200 }), false],
  ["anything-but numbers compares numerically", { detail: { "x-limit": [{ "anything-but": [2e2] }] } }, withDetail({ "x-limit": 200.0 }), false],
  ["anything-but matches null", { detail: { state: [{ "anything-but": "initializing" }] } }, withDetail({ state: null }), true],
  ["anything-but needs the field", { detail: { state: [{ "anything-but": "initializing" }] } }, withDetail({}), false],
  ["anything-but 0 matches other numbers", { detail: { "x-limit": [{ "anything-but": 0 }] } }, withDetail({ "x-limit": 789 }), true],
  ["anything-but excludes CloudTrail calls", { "detail-type": [{ "anything-but": "AWS API Call via CloudTrail" }] }, ec2, true],
  ["anything-but on an array: another element matches", { detail: { state: [{ "anything-but": "running" }] } }, withDetail({ state: ["running", "stopped"] }), true],
  ["anything-but prefix", { source: [{ "anything-but": { prefix: "aws." } }] }, ec2, false],
  ["anything-but prefix, other prefix", { detail: { state: [{ "anything-but": { prefix: "init" } }] } }, ec2, true],
  ["anything-but prefix matches a number", { detail: { state: [{ "anything-but": { prefix: "init" } }] } }, withDetail({ state: 12 }), true],
  ["anything-but prefix list", { detail: { state: [{ "anything-but": { prefix: ["init", "run"] } }] } }, ec2, false],
  ["anything-but suffix", { detail: { FileName: [{ "anything-but": { suffix: ".txt" } }] } }, withDetail({ FileName: "notes.txt" }), false],
  ["anything-but suffix, other suffix", { detail: { FileName: [{ "anything-but": { suffix: ".txt" } }] } }, withDetail({ FileName: "photo.png" }), true],
  ["anything-but equals-ignore-case", { detail: { state: [{ "anything-but": { "equals-ignore-case": "Stopped" } }] } }, withDetail({ state: "STOPPED" }), false],
  ["anything-but equals-ignore-case list", { detail: { state: [{ "anything-but": { "equals-ignore-case": ["Stopped", "OverLoaded"] } }] } }, ec2, true],
  ["anything-but wildcard", { detail: { FilePath: [{ "anything-but": { wildcard: "*/lib/*" } }] } }, withDetail({ FilePath: "/usr/lib/x.so" }), false],
  ["anything-but wildcard, other path", { detail: { FilePath: [{ "anything-but": { wildcard: ["*/lib/*", "*/bin/*"] } }] } }, withDetail({ FilePath: "/home/a.txt" }), true],
  // numeric.
  ["numeric ranges, all true", { detail: { "c-count": [{ numeric: [">", 0, "<=", 5] }], "d-count": [{ numeric: ["<", 10] }], "x-limit": [{ numeric: ["=", 3.018e2] }] } }, ec2, true],
  ["numeric upper bound excluded", { detail: { "c-count": [{ numeric: [">", 0, "<", 5] }] } }, ec2, false],
  ["numeric lower bound included", { detail: { "c-count": [{ numeric: [">=", 5] }] } }, ec2, true],
  ["numeric is for numbers only", { detail: { n: [{ numeric: [">", 0] }] } }, withDetail({ n: "7" }), false],
  ["numeric does not match null", { detail: { n: [{ numeric: [">", 0] }] } }, withDetail({ n: null }), false],
  ["numeric int against float", { detail: { n: [{ numeric: ["=", 5] }] } }, withDetail({ n: 5.0 }), true],
  ["numeric negative", { detail: { n: [{ numeric: ["<", -1.5] }] } }, withDetail({ n: -2 }), true],
  ["numeric beyond AWS's range never matches", { detail: { n: [{ numeric: [">", 0] }] } }, withDetail({ n: 6e9 }), false],
  // cidr.
  ["cidr IPv4", { detail: { "source-ip": [{ cidr: "10.0.0.0/24" }] } }, ec2, true],
  ["cidr IPv4 outside", { detail: { "source-ip": [{ cidr: "10.0.1.0/24" }] } }, ec2, false],
  ["cidr IPv6", { detail: { "source-ip": [{ cidr: "2001:db8::/64" }] } }, withDetail({ "source-ip": "2001:db8::1234:5678" }), true],
  ["cidr IPv6 outside", { detail: { "source-ip": [{ cidr: "2001:db8::/64" }] } }, withDetail({ "source-ip": "2001:db9::1" }), false],
  ["cidr against a number", { detail: { "source-ip": [{ cidr: "10.0.0.0/24" }] } }, withDetail({ "source-ip": 123 }), false],
  ["cidr against a host name", { detail: { "source-ip": [{ cidr: "10.0.0.0/24" }] } }, withDetail({ "source-ip": "example.com" }), false],
  ["an address value matches the same address written otherwise", { detail: { ip: ["2001:db8::1"] } }, withDetail({ ip: "2001:0db8:0:0:0:0:0:1" }), true],
  // exists.
  ["exists true", { detail: { state: [{ exists: true }] } }, ec2, true],
  ["exists true, missing", { detail: { description: [{ exists: true }] } }, ec2, false],
  ["exists true on null", { detail: { responseElements: [{ exists: true }] } }, withDetail({ responseElements: null }), true],
  ["exists false, missing", { detail: { "c-count": [{ exists: false }] } }, withDetail({ state: ["initializing", "running"] }), true],
  ["exists false on an intermediate node", { detail: { "c-count": [{ exists: false }] } }, withDetail({ state: ["initializing", "running"], "c-count": { c1: 100 } }), true],
  ["exists false, present", { detail: { state: [{ exists: false }] } }, ec2, false],
  ["exists false below a scalar", { detail: { state: { level: [{ exists: false }] } } }, ec2, true],
  ["exists false, deep path present", { detail: { a: { b: { c: [{ exists: false }] } } } }, withDetail({ a: { b: { c: "x" } } }), false],
  ["exists true on an empty array", { resources: [{ exists: true }] }, { ...ec2, resources: [] }, false],
  ["exists false on an empty array", { resources: [{ exists: false }] }, { ...ec2, resources: [] }, true],
  ["exists on an intermediate node is not a leaf", { dynamodb: { presentKey: [{ exists: true }] } }, { ...envelope, dynamodb: { presentKey: { S: "test123" } } }, false],
  ["exists false or anything-but", { detail: { homemade: { S: [{ "anything-but": ["roses"] }, { exists: false }] } } }, withDetail({ purchased: { N: "789" } }), true],
  // wildcard.
  ["wildcard", { EventBusArn: [{ wildcard: "arn:aws:events:us-east-1:*:event-bus/*" }] }, { ...envelope, EventBusArn: "arn:aws:events:us-east-1:123456789012:event-bus/orders" }, true],
  ["wildcard differs", { EventBusArn: [{ wildcard: "arn:aws:events:us-west-2:*:event-bus/*" }] }, { ...envelope, EventBusArn: "arn:aws:events:us-east-1:123456789012:event-bus/orders" }, false],
  ["wildcard with several stars", { detail: { FilePath: [{ wildcard: "*/lib/*.so" }] } }, withDetail({ FilePath: "/usr/lib/libc.so" }), true],
  ["wildcard must reach the end", { detail: { FilePath: [{ wildcard: "*/lib/*.so" }] } }, withDetail({ FilePath: "/usr/lib/libc.so.6" }), false],
  ["wildcard escaped star is literal", { detail: { name: [{ wildcard: "a\\*b" }] } }, withDetail({ name: "a*b" }), true],
  ["wildcard escaped star matches only a star", { detail: { name: [{ wildcard: "a\\*b" }] } }, withDetail({ name: "axb" }), false],
  ["wildcard ? is literal", { detail: { name: [{ wildcard: "a?c" }] } }, withDetail({ name: "abc" }), false],
  ["wildcard escaped backslash", { detail: { name: [{ wildcard: "a\\\\*" }] } }, withDetail({ name: "a\\b" }), true],
  ["wildcard only for strings", { detail: { n: [{ wildcard: "*" }] } }, withDetail({ n: 5 }), false],
  // $or.
  [
    "$or at the top",
    { source: ["aws.ec2"], $or: [{ detail: { "c-count": [{ numeric: [">", 10] }] } }, { detail: { "d-count": [{ numeric: ["<", 10] }] } }] },
    ec2,
    true,
  ],
  ["$or inside detail", { detail: { $or: [{ "c-count": [{ numeric: [">", 10] }] }, { "d-count": [{ numeric: ["<", 1] }] }] } }, ec2, false],
  ["$or with exists", { detail: { $or: [{ "c-count": [{ exists: false }] }, { state: ["stopped"] }] } }, ec2, false],
  [
    "$or nested in $or",
    { $or: [{ source: ["aws.s3"] }, { $or: [{ region: ["eu-west-1"] }, { detail: { state: ["running"] } }] }] },
    ec2,
    true,
  ],
];

describe("matchesPattern: AWS's examples and edges", () => {
  for (const [name, pattern, event, matches] of matching) {
    test(`${name} → ${matches}`, () => assert.equal(matchesPattern(parseEventPattern(JSON.stringify(pattern)), event), matches));
  }

  test("a later value list for the same field replaces the earlier one (AWS's complex example)", () => {
    const pattern = parseEventPattern('{"detail": {"location": [{"prefix": "us-"}], "location": [{"anything-but": "us-east"}]}}');
    assert.equal(matchesPattern(pattern, withDetail({ location: "eu-central-1" })), true);
    assert.equal(matchesPattern(pattern, withDetail({ location: "us-east" })), false);
  });

  test("a key named like an Object.prototype member is just a field", () => {
    const pattern = parseEventPattern('{"detail": {"constructor": [{"exists": false}], "__proto__": ["x"]}}');
    assert.equal(matchesPattern(pattern, JSON.parse('{"detail": {"__proto__": "x"}}')), true);
    assert.equal(matchesPattern(pattern, withDetail({})), false);
  });

  test("hostile inputs stay linear: 2,000 stars against 100,000 characters, 100,000-deep arrays", () => {
    const pattern = parseEventPattern(JSON.stringify({ detail: { v: [{ wildcard: `${"*a".repeat(2000)}*b` }] } }));
    assert.equal(matchesPattern(pattern, withDetail({ v: "a".repeat(100_000) })), false);
    assert.equal(matchesPattern(pattern, withDetail({ v: `${"a".repeat(100_000)}b` })), true);
    let deep: unknown = "x";
    for (let i = 0; i < 100_000; i++) deep = [deep];
    assert.equal(matchesPattern(parseEventPattern('{"detail": {"v": ["x"]}}'), withDetail({ v: deep })), true);
  });
});

type InvalidCase = [pattern: string, reason: string];

/** Reasons as AWS words them, locations included (Jackson's, 1-based). */
const at = (pattern: string, column: number): string => `\n at [Source: (String)"${pattern}"; line: 1, column: ${column}]`;
const invalid: InvalidCase[] = [
  ['{"int": 42}', `"int" must be an object or an array${at('{"int": 42}', 11)}`],
  ['{"string": "my-value"}', `"string" must be an object or an array${at('{"string": "my-value"}', 13)}`],
  ['{"resources": []}', `Empty arrays are not allowed${at('{"resources": []}', 17)}`],
  ['{"source": ["aws.health"], "detail": {}}', `Empty objects are not allowed${at('{"source": ["aws.health"], "detail": {}}', 40)}`],
  ['{"detail": {"equal": [{"NUMERIC": ["=", 5]}]}}', `Unrecognized match type NUMERIC${at('{"detail": {"equal": [{"NUMERIC": ["=", 5]}]}}', 36)}`],
  ['{"my_key": [{"EXISTS": true}]}', `Unrecognized match type EXISTS${at('{"my_key": [{"EXISTS": true}]}', 28)}`],
  ['{"a": [{"exists": "yes"}]}', `exists match pattern must be either true or false.${at('{"a": [{"exists": "yes"}]}', 20)}`],
  ['{"a": [{"prefix": "x", "suffix": "y"}]}', `Only one key allowed in match expression${at('{"a": [{"prefix": "x", "suffix": "y"}]}', 35)}`],
  ['{"a": [{}]}', `Match expression name not found${at('{"a": [{}]}', 10)}`],
  ['{"a": [[1]]}', `Match value must be String, number, true, false, or null${at('{"a": [[1]]}', 9)}`],
  ['{"time": [{"prefix": ["2022-07-13"]}]}', `prefix match pattern must be a string${at('{"time": [{"prefix": ["2022-07-13"]}]}', 23)}`],
  ['{"time": [{"prefix": 123}]}', `prefix match pattern must be a string${at('{"time": [{"prefix": 123}]}', 25)}`],
  ['{"FileName": [{"suffix": 123}]}', `suffix match pattern must be a string${at('{"FileName": [{"suffix": 123}]}', 29)}`],
  ['{"a": [{"prefix": {"ignore-case": "x"}}]}', `Unsupported prefix pattern: ignore-case${at('{"a": [{"prefix": {"ignore-case": "x"}}]}', 36)}`],
  [
    '{"detail-type": [{"equals-ignore-case": ["ec2 instance state-change notification"]}]}',
    `equals-ignore-case match pattern must be a string${at('{"detail-type": [{"equals-ignore-case": ["ec2 instance state-change notification"]}]}', 42)}`,
  ],
  ['{"detail": {"c-count": [{"numeric": [">", 0, ">", 0]}]}}', `Bad numeric range operator: >${at('{"detail": {"c-count": [{"numeric": [">", 0, ">", 0]}]}}', 49)}`],
  ['{"detail": {"c-count": [{"numeric": [">", 0, "<"]}]}}', `Value of < must be numeric${at('{"detail": {"c-count": [{"numeric": [">", 0, "<"]}]}}', 50)}`],
  ['{"a": [{"numeric": ["=", "5"]}]}', `Value of equals must be numeric${at('{"a": [{"numeric": ["=", "5"]}]}', 27)}`],
  ['{"a": [{"numeric": ["!=", 5]}]}', `Unrecognized numeric range operator: !=${at('{"a": [{"numeric": ["!=", 5]}]}', 28)}`],
  ['{"a": [{"numeric": [5]}]}', `Invalid member in numeric match: 5${at('{"a": [{"numeric": [5]}]}', 22)}`],
  ['{"a": [{"numeric": ">"}]}', `Value of numeric must be an array.${at('{"a": [{"numeric": ">"}]}', 21)}`],
  ['{"a": [{"numeric": ["<", 5, 6]}]}', `Too many elements in numeric expression${at('{"a": [{"numeric": ["<", 5, 6]}]}', 30)}`],
  ['{"a": [{"numeric": [">", 0, "<", 5, 6]}]}', `Too many terms in numeric range expression${at('{"a": [{"numeric": [">", 0, "<", 5, 6]}]}', 38)}`],
  ['{"a": [{"numeric": [">", 5, "<", 5]}]}', `Bottom must be less than top${at('{"a": [{"numeric": [">", 5, "<", 5]}]}', 36)}`],
  ['{"a": [{"numeric": [">", 6e9]}]}', `Value must be between -5.0E9 and 5.0E9, inclusive${at('{"a": [{"numeric": [">", 6e9]}]}', 30)}`],
  ['{"a": [{"anything-but": 6e9}]}', "Value must be between -5.0E9 and 5.0E9, inclusive"],
  ['{"a": [{"anything-but": true}]}', `Value of anything-but must be an array or single string/number value.${at('{"a": [{"anything-but": true}]}', 29)}`],
  [
    '{"a": [{"anything-but": ["x", 1]}]}',
    `Inside anything but list, either all values are number or string, mixed type is not supported${at('{"a": [{"anything-but": ["x", 1]}]}', 33)}`,
  ],
  [
    '{"a": [{"anything-but": [null]}]}',
    `Inside anything but list, start|null|boolean is not supported.${at('{"a": [{"anything-but": [null]}]}', 30)}${at('{"a": [{"anything-but": [null]}]}', 30)}`,
  ],
  ['{"a": [{"anything-but": {"exists": true}}]}', `Unsupported anything-but pattern: exists${at('{"a": [{"anything-but": {"exists": true}}]}', 40)}`],
  [
    '{"detail": {"state": [{"anything-but": {"equals-ignore-case": 123}}]}}',
    `Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.${at('{"detail": {"state": [{"anything-but": {"equals-ignore-case": 123}}]}}', 66)}`,
  ],
  [
    '{"detail": {"state": [{"anything-but": {"equals-ignore-case": [123, 456]}}]}}',
    `Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.${at('{"detail": {"state": [{"anything-but": {"equals-ignore-case": [123, 456]}}]}}', 67).repeat(2)}`,
  ],
  [
    '{"detail": {"FileName": [{"anything-but": {"suffix": [123, ".txt"]}}]}}',
    `prefix/suffix match pattern must be a string${at('{"detail": {"FileName": [{"anything-but": {"suffix": [123, ".txt"]}}]}}', 58).repeat(2)}`,
  ],
  [
    '{"detail": {"state": [{"anything-but": {"prefix": 123}}]}}',
    `prefix/suffix match pattern must be a string${at('{"detail": {"state": [{"anything-but": {"prefix": 123}}]}}', 54)}`,
  ],
  ['{"a": [{"anything-but": {"prefix": ""}}]}', `Null prefix/suffix not allowed${at('{"a": [{"anything-but": {"prefix": ""}}]}', 38)}`],
  [
    '{"detail": {"FileName": [{"anything-but": {"prefix": {"equals-ignore-case": "file"}}}]}}',
    `Value of anything-but must be an array or single string/number value.${at('{"detail": {"FileName": [{"anything-but": {"prefix": {"equals-ignore-case": "file"}}}]}}', 55)}`,
  ],
  [
    '{"detail": {"FilePath": [{"anything-but": {"wildcard": 123}}]}}',
    `wildcard match pattern must be a string${at('{"detail": {"FilePath": [{"anything-but": {"wildcard": 123}}]}}', 59)}`,
  ],
  ['{"EventBusArn": [{"wildcard": 123}]}', `wildcard match pattern must be a string${at('{"EventBusArn": [{"wildcard": 123}]}', 34)}`],
  [
    '{"EventBusArn": [{"wildcard": "arn:aws:events:us-east-1:**:event-bus/*"}]}',
    `Consecutive wildcard characters at pos 26${at('{"EventBusArn": [{"wildcard": "arn:aws:events:us-east-1:**:event-bus/*"}]}', 72)}`,
  ],
  ['{"a": [{"wildcard": "a\\\\b"}]}', `Invalid escape character at pos 2${at('{"a": [{"wildcard": "a\\\\b"}]}', 27)}`],
  ['{"detail": {"sourceIPAddress": [{"cidr": "bad-value"}]}}', "Malformed CIDR, one '/' required"],
  ['{"detail": {"sourceIPAddress": [{"cidr": "10.0.0.0/xx"}]}}', "Malformed CIDR, mask bits must be an integer"],
  ['{"detail": {"sourceIPAddress": [{"cidr": "xx.11.xx/24"}]}}', "Nonstandard IP address: xx.11.xx"],
  ['{"detail": {"sourceIPAddress": [{"cidr": "xxxx:db8:1234:1a00::/64"}]}}', "Nonstandard IP address: xxxx:db8:1234:1a00::"],
  ['{"a": [{"cidr": "10.0.0.0/32"}]}', "IPv4 mask bits must be < 32"],
  ['{"a": [{"cidr": "10.0.0.0/-1"}]}', "Malformed CIDR, mask bits must not be negative"],
  [
    '{"detail": {"sourceIPAddress": [{"cidr": ["bad-type"]}]}}',
    `prefix match pattern must be a string${at('{"detail": {"sourceIPAddress": [{"cidr": ["bad-type"]}]}}', 43)}`,
  ],
  ['{"$or": {"a": ["b"]}}', `It must be an Array followed with $or.${at('{"$or": {"a": ["b"]}}', 10)}`],
  ['{"$or": [{"a": ["b"]}]}', `There must have at least 2 Objects in $or relationship.${at('{"$or": [{"a": ["b"]}]}', 23)}`],
  ['{"$or": [{"a": ["b"]}, "c"]}', `Only JSON object is allowed in array of $or relationship.${at('{"$or": [{"a": ["b"]}, "c"]}', 25)}`],
  ['{"$or": [{"a": ["b"]}, {"numeric": [1]}]}', `numeric is Ruler reserved fieldName which cannot be used inside $or.${at('{"$or": [{"a": ["b"]}, {"numeric": [1]}]}', 37)}`],
  // Not JSON, or not an object: Jackson's own words.
  ['this is valid json but not a dict', `Unrecognized token 'this': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')${at("this is valid json but not a dict", 5)}`],
  ["{'bad': 'quotation'}", `Unexpected character (''' (code 39)): was expecting double-quote to start field name${at("{'bad': 'quotation'}", 2)}`],
  ['{"not": closed mark"', `Unrecognized token 'closed': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')${at('{"not": closed mark"', 15)}`],
  ['["not", "a", "dict", "but valid json"]', `Filter is not an object${at('["not", "a", "dict", "but valid json"]', 2)}`],
  ['{"a": [1,', `Unexpected end-of-input within/between Array entries${at('{"a": [1,', 10)}`],
  ['{"a": [1', `Unexpected end-of-input: expected close marker for Array (start marker at [Source: (String)"{"a": [1"; line: 1, column: 7])${at('{"a": [1', 9)}`],
  ['{"a": [1 2]}', `Unexpected character ('2' (code 50)): was expecting comma to separate Array entries${at('{"a": [1 2]}', 10)}`],
  ['{"a": [01]}', `Invalid numeric value: Leading zeroes not allowed${at('{"a": [01]}', 9)}`],
];

describe("parseEventPattern: invalid patterns get AWS's reason", () => {
  for (const [pattern, reason] of invalid) {
    test(pattern, () =>
      assert.throws(
        () => parseEventPattern(pattern),
        (error: unknown) => {
          assert.ok(error instanceof ServiceError);
          assert.equal(error.code, "InvalidEventPatternException");
          assert.equal(error.httpStatus, 400);
          assert.equal(error.message, `Event pattern is not valid. Reason: ${reason}`);
          return true;
        },
      ),
    );
  }

  test("locations count lines and quote at most 500 characters of the pattern", () => {
    const long = `{\n  "a": [{"nope": 1}],\n  "pad": ["${"x".repeat(600)}"]\n}`;
    assert.throws(
      () => parseEventPattern(long),
      (error: ServiceError) => error.message.endsWith(`"[truncated ${long.length - 500} chars]; line: 2, column: 19]`),
    );
  });

  test("nesting deeper than Jackson's 1,000 levels is refused", () => {
    // Objects and the innermost array, `levels` deep.
    const deep = (levels: number): string => `${'{"a":'.repeat(levels - 2)}{"b": [1]}${"}".repeat(levels - 2)}`;
    assert.equal(matchesPattern(parseEventPattern(deep(1000)), { a: { a: {} } }), false);
    assert.throws(() => parseEventPattern(deep(1001)), {
      message: "Event pattern is not valid. Reason: Document nesting depth (1001) exceeds the maximum allowed (1000, from `StreamReadConstraints.getMaxNestingDepth()`)",
    });
  });

  test("nothing after the pattern's closing brace is read, as on AWS", () => {
    assert.equal(matchesPattern(parseEventPattern('{"source": ["aws.ec2"]} trailing'), ec2), true);
  });
});

describe("testEventPattern", () => {
  const event = JSON.stringify(ec2);

  test("answers whether the event matches", () => {
    assert.equal(testEventPattern('{"source": ["aws.ec2"]}', event), true);
    assert.equal(testEventPattern('{"source": ["aws.s3"]}', event), false);
  });

  test("resources is not required", () => {
    const { resources: _resources, ...withoutResources } = ec2;
    assert.equal(testEventPattern('{"source": ["aws.ec2"]}', JSON.stringify(withoutResources)), true);
  });

  const invalidEvents: Array<[name: string, event: string]> = [
    ["not JSON", "{not json"],
    ["a plain string", '"hello"'],
    ["an array", "[]"],
    ["null", "null"],
    ...["id", "account", "source", "time", "region", "detail-type"].map((field): [string, string] => {
      const copy: Record<string, unknown> = { ...ec2 };
      delete copy[field];
      return [`without ${field}`, JSON.stringify(copy)];
    }),
  ];
  for (const [name, badEvent] of invalidEvents) {
    test(`an event ${name} is refused with ValidationException`, () =>
      assert.throws(() => testEventPattern('{"source": ["aws.ec2"]}', badEvent), { code: "ValidationException", httpStatus: 400, message: "Parameter Event is not valid." }));
  }

  test("the pattern is checked before the event", () =>
    assert.throws(() => testEventPattern('{"source": "aws.ec2"}', "{not json"), { code: "InvalidEventPatternException" }));
});

/**
 * AWS's rule compiler reads a pattern as alternatives (one per `$or` branch) of field paths joined with dots, each
 * with its value list, and an event as the leaves at each dotted path. This plain reading, written independently
 * of the module, must agree with the module on random patterns and events (without arrays of objects, where the
 * module also keeps conditions on one element together).
 */
describe("matchesPattern agrees with the flattened reading of patterns and events", () => {
  type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
  type Branch = Map<string, { values: Json[]; scope: string }>;

  let seed = 20;
  const random = (): number => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
  const keys = ["a", "b", "c", "a.b", "b.c"];
  const strings = ["x", "xy", "yx", "", "X"];
  const scalars: Json[] = [...strings, 1, 2.5, true, false, null];

  function randomValue(): Json {
    return pick<() => Json>([
      () => pick(scalars),
      () => ({ prefix: pick(strings) }),
      () => ({ suffix: pick(strings) }),
      () => ({ "anything-but": pick(strings) }),
      () => ({ "equals-ignore-case": pick(strings) }),
      () => ({ wildcard: pick(["*", "x*", "*y", "x*y", "*x*"]) }),
      () => ({ numeric: pick([[">", 1], ["<=", 2.5], ["=", 1], [">=", 0, "<", 2]]) }),
      () => ({ exists: pick([true, false]) }),
    ])();
  }
  function randomPattern(depth: number): { [key: string]: Json } {
    const out: { [key: string]: Json } = {};
    for (let i = 0; i < 1 + Math.floor(random() * 3); i++) {
      if (depth < 2 && random() < 0.15) out.$or = [randomPattern(depth + 1), randomPattern(depth + 1)];
      else out[pick(keys)] = depth < 2 && random() < 0.3 ? randomPattern(depth + 1) : Array.from({ length: 1 + Math.floor(random() * 2) }, randomValue);
    }
    return out;
  }
  function randomEvent(depth: number): Json {
    if (depth > 2 || random() < 0.3) return random() < 0.2 ? [pick(scalars), [pick(scalars)]] : pick(scalars);
    const out: { [key: string]: Json } = {};
    for (let i = 0; i < Math.floor(random() * 4); i++) out[pick(keys)] = randomEvent(depth + 1);
    return out;
  }

  /**
   * Alternatives of path → value list, in document order; a later list for a path replaces an earlier one given in
   * the same scope. Undefined when a path is given both inside a `$or` alternative and outside it: AWS then lets the
   * later list replace the earlier in that alternative only, where the module requires both (a known difference).
   */
  function branches(pattern: { [key: string]: Json }, prefix: string, scope: string, from: Branch[]): Branch[] | undefined {
    let out = from;
    let group = 0;
    for (const [key, value] of Object.entries(pattern)) {
      if (key === "$or") {
        const next: Branch[] = [];
        group++;
        for (const [index, alternative] of (value as { [key: string]: Json }[]).entries()) {
          const more = branches(alternative, prefix, `${scope}/${prefix}${group}:${index}`, out.map((b) => new Map(b)));
          if (!more) return undefined;
          next.push(...more);
        }
        out = next;
      } else if (Array.isArray(value)) {
        for (const branch of out) {
          const given = branch.get(prefix + key);
          if (given && given.scope !== scope) return undefined;
          branch.set(prefix + key, { values: value, scope });
        }
      } else {
        const nested = branches(value as { [key: string]: Json }, `${prefix}${key}.`, scope, out);
        if (!nested) return undefined;
        out = nested;
      }
    }
    return out;
  }
  function leaves(event: Json, path: string, into: Map<string, Json[]>): void {
    if (Array.isArray(event)) for (const element of event) leaves(element, path, into);
    else if (event !== null && typeof event === "object") for (const [key, value] of Object.entries(event)) leaves(value, path ? `${path}.${key}` : key, into);
    else into.set(path, [...(into.get(path) ?? []), event]);
  }
  function valueMatches(test: Json, leaf: Json): boolean {
    if (test === null || typeof test !== "object" || Array.isArray(test)) return leaf === test;
    const [operator, operand] = Object.entries(test)[0]!;
    const text = typeof leaf === "string" ? leaf : undefined;
    switch (operator) {
      case "prefix":
        return text !== undefined && text.startsWith(operand as string);
      case "suffix":
        return text !== undefined && text.endsWith(operand as string);
      case "anything-but":
        return leaf !== operand;
      case "equals-ignore-case":
        return text !== undefined && text.toLowerCase() === (operand as string).toLowerCase();
      case "wildcard":
        return text !== undefined && new RegExp(`^${(operand as string).split("*").join(".*")}$`, "s").test(text);
      case "numeric": {
        if (typeof leaf !== "number") return false;
        const terms = operand as (string | number)[];
        const ops: Record<string, (a: number, b: number) => boolean> = { ">": (a, b) => a > b, ">=": (a, b) => a >= b, "<": (a, b) => a < b, "<=": (a, b) => a <= b, "=": (a, b) => a === b };
        for (let i = 0; i < terms.length; i += 2) if (!ops[terms[i] as string]!(leaf, terms[i + 1] as number)) return false;
        return true;
      }
      default:
        throw new Error(operator);
    }
  }
  function reference(pattern: { [key: string]: Json }, event: Json): boolean | undefined {
    const alternatives = branches(pattern, "", "", [new Map()]);
    if (!alternatives) return undefined;
    const values = new Map<string, Json[]>();
    leaves(event, "", values);
    return alternatives.some((branch) =>
      [...branch].every(([path, { values: tests }]) => {
        const found = values.get(path) ?? [];
        return tests.some((test) => {
          if (test !== null && typeof test === "object" && "exists" in test) return (found.length > 0) === test.exists;
          return found.some((leaf) => valueMatches(test, leaf));
        });
      }),
    );
  }

  test("on 3,000 random patterns, each against 5 random events", () => {
    let compared = 0;
    for (let i = 0; i < 3000; i++) {
      const pattern = randomPattern(0);
      const compiled = parseEventPattern(JSON.stringify(pattern));
      for (let j = 0; j < 5; j++) {
        const event = randomEvent(0);
        const expected = reference(pattern, event);
        if (expected === undefined) continue;
        compared++;
        assert.equal(matchesPattern(compiled, event), expected, `${JSON.stringify(pattern)} against ${JSON.stringify(event)}`);
      }
    }
    assert.ok(compared > 10_000, `compared ${compared}`);
  });
});
