/**
 * EventBridge event patterns, in-process (issue 20): how many (pattern, event) matches a second, how long one
 * CloudTrail event takes against 100 rules, what compiling a pattern costs, and hostile wildcards. The anchor is
 * JSON.parse of the same event in the same run, so figures read as ratios on a machine of any speed or load.
 *
 *   node dist/bench/event-pattern.js [--seconds 2]
 */
import os from "node:os";
import { performance } from "node:perf_hooks";
import { matchesPattern, parseEventPattern, type EventPattern } from "../src/services/events/pattern/index.js";
import { benchFlags } from "./support.js";

const flags = benchFlags({ seconds: "2" });
const SECONDS = Number(flags.seconds);

/** Calls a second of `run`, over about SECONDS seconds after a warm-up. */
function rate(run: () => unknown): number {
  const warmUntil = performance.now() + 200;
  while (performance.now() < warmUntil) run();
  let calls = 0;
  const started = performance.now();
  const until = started + SECONDS * 1000;
  let now = started;
  while (now < until) {
    for (let i = 0; i < 100; i++) run();
    calls += 100;
    now = performance.now();
  }
  return (calls * 1000) / (now - started);
}

/** A management event as it reaches the default bus: the envelope around a CloudTrail record. */
function cloudTrailEvent(i: number): Record<string, unknown> {
  const names = ["RegisterInstance", "DeregisterInstance", "CreateService", "GetInstance", "ListInstances", "UpdateService"];
  return {
    version: "0",
    id: `6a7e8feb-b491-4cf7-a9f1-${String(i).padStart(12, "0")}`,
    "detail-type": "AWS API Call via CloudTrail",
    source: "aws.servicediscovery",
    account: "111122223333",
    time: "2026-12-07T21:00:00Z",
    region: i % 7 === 0 ? "eu-west-1" : "us-east-1",
    resources: [],
    detail: {
      eventVersion: "1.09",
      userIdentity: { type: "IAMUser", principalId: "AIDAEXAMPLE", arn: `arn:aws:iam::111122223333:user/user${i % 50}`, accountId: "111122223333", accessKeyId: "AKIAEXAMPLE", userName: `user${i % 50}` },
      eventTime: "2026-12-07T21:00:00Z",
      eventSource: "servicediscovery.amazonaws.com",
      eventName: names[i % names.length],
      awsRegion: "us-east-1",
      sourceIPAddress: `10.0.${i % 256}.${(i * 7) % 256}`,
      userAgent: "aws-sdk-js/3.1137.0 ua/2.1 os/linux lang/js md/nodejs#20.20.2",
      requestParameters: { serviceId: `srv-${i % 5000}`, instanceId: `i-${i}`, attributes: { AWS_INSTANCE_IPV4: "10.0.0.1", AWS_INSTANCE_PORT: `${8000 + (i % 100)}` } },
      responseElements: { operationId: `op-${i}` },
      requestID: `req-${i}`,
      eventID: `evt-${i}`,
      readOnly: false,
      eventType: "AwsApiCall",
      managementEvent: true,
      recipientAccountId: "111122223333",
      eventCategory: "Management",
    },
  };
}

/** 100 rules of the kinds people write for CloudTrail events: most name the source, some dig into the record. */
function rules(): string[] {
  const out: string[] = [];
  for (let i = 0; i < 100; i++) {
    const base = { source: ["aws.servicediscovery"], "detail-type": ["AWS API Call via CloudTrail"] };
    const detail = [
      { eventName: ["RegisterInstance", "DeregisterInstance"] },
      { eventName: [{ prefix: "Create" }], userIdentity: { userName: [`user${i % 50}`] } },
      { requestParameters: { serviceId: [`srv-${i}`] } },
      { sourceIPAddress: [{ cidr: `10.0.${i}.0/24` }] },
      { requestParameters: { attributes: { AWS_INSTANCE_PORT: [{ "anything-but": ["8080"] }] } }, readOnly: [false] },
      { userIdentity: { arn: [{ wildcard: `arn:aws:iam::*:user/user${i % 50}` }] } },
      { errorCode: [{ exists: false }], eventName: [{ "equals-ignore-case": "updateservice" }] },
      { $or: [{ eventName: ["GetInstance"] }, { requestParameters: { instanceId: [{ suffix: `${i}` }] } }] },
      { requestParameters: { attributes: { AWS_INSTANCE_PORT: [{ numeric: [">", 8000, "<=", 8000 + i] }] } } },
      { eventSource: [{ "anything-but": { prefix: "iam." } }], awsRegion: ["us-east-1"] },
    ][i % 10];
    out.push(JSON.stringify(i % 4 === 3 ? { source: [{ prefix: "aws." }], detail } : { ...base, detail }));
  }
  return out;
}

const texts = rules();
const patterns: EventPattern[] = texts.map(parseEventPattern);
const eventTexts = Array.from({ length: 1000 }, (_, i) => JSON.stringify(cloudTrailEvent(i)));
const events = eventTexts.map((text) => JSON.parse(text) as unknown);

let sink = 0;
let e = 0;
let p = 0;
const parseRate = rate(() => {
  sink += (JSON.parse(eventTexts[e++ % eventTexts.length]!) as { id: string }).id.length;
});
const matchRate = rate(() => {
  if (matchesPattern(patterns[p++ % patterns.length]!, events[(p >>> 7) % events.length])) sink++;
});
const hundredRate = rate(() => {
  const event = events[e++ % events.length];
  for (const pattern of patterns) if (matchesPattern(pattern, event)) sink++;
});
const compileRate = rate(() => {
  sink += parseEventPattern(texts[p++ % texts.length]!).root.fields.size;
});
const matchedShare = events.reduce<number>((n, event) => n + patterns.filter((pattern) => matchesPattern(pattern, event)).length, 0) / (events.length * patterns.length);

// Ends and starts pass the quick checks; 1,000 pieces are found one by one, then "c" is looked for to the end.
const hostile = parseEventPattern(JSON.stringify({ detail: { v: [{ wildcard: `${"*a".repeat(1000)}*c*b` }] } }));
const hostileEvent = { detail: { v: `${"a".repeat(100_000)}b` } };
const hostileRate = rate(() => {
  if (matchesPattern(hostile, hostileEvent)) sink++;
});
const longPattern = parseEventPattern(JSON.stringify({ detail: { v: [{ wildcard: `*${"ab".repeat(1000)}c*` }] } }));
const longPieceEvent = { detail: { v: "ab".repeat(50_000) } };
const longPieceRate = rate(() => {
  if (matchesPattern(longPattern, longPieceEvent)) sink++;
});

const fmt = (n: number): string => Math.round(n).toLocaleString("en-US");
console.log(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")} on ${os.cpus().length} CPUs; ${SECONDS} s a row\n`);
console.log("| case | per second | vs JSON.parse of one event |");
console.log("| --- | ---: | ---: |");
console.log(`| anchor: JSON.parse of one CloudTrail event (${eventTexts[0]!.length} bytes) | ${fmt(parseRate)} | 1 |`);
console.log(`| one pattern against one event (${(matchedShare * 100).toFixed(0)} % match) | ${fmt(matchRate)} | ${(matchRate / parseRate).toFixed(1)} |`);
console.log(`| one event against all 100 rules | ${fmt(hundredRate)} | ${(hundredRate / parseRate).toFixed(2)} |`);
console.log(`| parseEventPattern of one rule | ${fmt(compileRate)} | ${(compileRate / parseRate).toFixed(1)} |`);
console.log(`| hostile: wildcard *a*a…*a*c*b (1,002 stars) against 100,000 × a + b (no match) | ${fmt(hostileRate)} | ${(hostileRate / parseRate).toFixed(3)} |`);
console.log(`| hostile: one 2,001-character piece *abab…abc* against 100,000 × ab (no match) | ${fmt(longPieceRate)} | ${(longPieceRate / parseRate).toFixed(3)} |`);
if (sink === -1) console.log(sink);
