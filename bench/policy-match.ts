/**
 * Wildcard and condition matching under adversarial policies (issue 14, point 5). In-process, no server: each case
 * is timed call by call and reported as median / p99 / max. Then, for the record, the backtracking regex that
 * Cairn used before (`*` → `[\s\S]*`) on the same kind of pattern against short values, to show why it had to go.
 *
 *   node dist/bench/policy-match.js [--runs 2000] [--regex-max 32]
 *
 * The regex's time grows four- to tenfold with every two more characters: `--regex-max 34` takes over a second.
 */
import { performance } from "node:perf_hooks";
import { conditionHolds, type ConditionKeys } from "../src/auth/conditions.js";
import { evaluate } from "../src/auth/evaluate.js";
import { globMatch } from "../src/auth/glob.js";
import { parsePolicy } from "../src/auth/policy.js";
import { benchFlags, percentile } from "./support.js";

const flags = benchFlags({ runs: "2000", "regex-max": "32" });
const RUNS = Number(flags.runs);
const REGEX_MAX = Number(flags["regex-max"]);

const LONG = "a".repeat(10_000);
const ARN = "arn:aws:servicediscovery:us-east-1:111122223333:service/srv-abcdefghijklmnop";

function time(run: () => unknown, runs = RUNS): { median: number; p99: number; max: number } {
  for (let i = 0; i < Math.min(20, runs - 1); i++) run();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    run();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { median: percentile(samples, 50), p99: percentile(samples, 99), max: samples[samples.length - 1]! };
}

const us = (ms: number): string => `${(ms * 1000).toFixed(1)} µs`;

function row(name: string, run: () => unknown, runs?: number): void {
  const t = time(run, runs);
  console.log(`| ${name} | ${us(t.median)} | ${us(t.p99)} | ${us(t.max)} |`);
}

const keys = (entries: Record<string, string>): ConditionKeys => new Map(Object.entries(entries).map(([k, v]) => [k.toLowerCase(), [v]]));

console.log(`Wildcards and conditions, ${RUNS} calls each\n`);
console.log("| case | median | p99 | max |");
console.log("| --- | ---: | ---: | ---: |");
row("action `servicediscovery:Get*` (any case)", () => globMatch("servicediscovery:get*", "ServiceDiscovery:GetService", true));
row("resource `arn:aws:servicediscovery:*:*:service/*`", () => globMatch("arn:aws:servicediscovery:*:*:service/*", ARN, false));
// Patterns end in `*` so that no quick suffix test settles them: every piece is searched for along the value.
row("25 stars `*a*a…*a*b*`, 10,000 × `a` (no match)", () => globMatch(`${"*a".repeat(23)}*b*`, LONG, false));
row("25 stars `*a*a…*a*b*`, 9,999 × `a` + `b` (match)", () => globMatch(`${"*a".repeat(23)}*b*`, `${LONG.slice(1)}b`, false));
row("25 stars with `?`: `*a?*a?…*b?*`, 10,000 × `a`", () => globMatch(`${"*a?".repeat(23)}*b?*`, LONG, false));
row("one 101-char `?` piece `*a?a?…b*`, 10,000 × `a`", () => globMatch(`*${"a?".repeat(50)}b*`, LONG, false));
row("500 stars `*a*a…*b*`, 10,000 × `a`", () => globMatch(`${"*a".repeat(499)}*b*`, LONG, false));
row("200 `?` `*???…?b*`, 10,000 × `a`", () => globMatch(`*${"?".repeat(200)}b*`, LONG, false));
const hostile = Array.from({ length: 10 }, (_, i) => `${"*a".repeat(20 + i)}*b*`);
row("StringLike, 10 hostile patterns, 10,000-char value", () => conditionHolds("StringLike", "aws:RequestTag/team", hostile, keys({ "aws:RequestTag/team": LONG })));
const cidrs = Array.from({ length: 50 }, (_, i) => `10.${i}.0.0/16`);
row("IpAddress, 50 CIDRs, no match", () => conditionHolds("IpAddress", "aws:SourceIp", cidrs, keys({ "aws:SourceIp": "192.0.2.1" })));
const policy = parsePolicy(
  JSON.stringify({
    Version: "2012-10-17",
    Statement: Array.from({ length: 10 }, (_, i) => ({
      Effect: "Allow",
      Action: `servicediscovery:${"*?".repeat(5)}${i}`,
      Resource: `${"*a".repeat(23)}*b*`,
      Condition: { StringLike: { "aws:RequestTag/team": hostile }, IpAddress: { "aws:SourceIp": cidrs } },
    })),
  }),
  "identity",
);
const hostileRequest = { action: "servicediscovery:CreateService0", resource: LONG, keys: keys({ "aws:RequestTag/team": LONG, "aws:SourceIp": "10.3.2.1" }) };
row("evaluate: 10 hostile statements, 10,000-char resource", () => evaluate([policy], hostileRequest));

// The matcher this replaced, kept here only to measure it.
function regexMatch(pattern: string, value: string): boolean {
  const body = pattern.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\\\*/g, "[\\s\\S]*").replace(/\\\?/g, "[\\s\\S]");
  return new RegExp(`^${body}$`).test(value);
}

console.log(`\nThe former backtracking regex, 25-star \`*a*a…*b\` against n × \`a\` (one call each)\n`);
console.log("| n | regex | linear matcher |");
console.log("| ---: | ---: | ---: |");
for (let n = 24; n <= REGEX_MAX; n += 2) {
  const pattern = `${"*a".repeat(24)}*b`;
  const value = "a".repeat(n);
  const regex = time(() => regexMatch(pattern, value), 1);
  const linear = time(() => globMatch(pattern, value, false), 1);
  console.log(`| ${n} | ${(regex.median).toFixed(1)} ms | ${us(linear.median)} |`);
}
