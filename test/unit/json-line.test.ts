import { test } from "node:test";
import assert from "node:assert/strict";
import { pino } from "pino";
import { createLogger, type LogFields } from "../../src/observability/logger.js";
import { fieldsJson } from "../../src/observability/json-line.js";

/** pino itself, with createLogger's options: what every line must stay byte for byte. */
function pinoLines(): { lines: string[]; log: pino.Logger } {
  const lines: string[] = [];
  const log = pino(
    { level: "debug", base: undefined, messageKey: "msg", timestamp: pino.stdTimeFunctions.isoTime, formatters: { level: (label) => ({ level: label }) } },
    { write: (line: string) => void lines.push(line) },
  );
  return { lines, log };
}

/** The time differs between two calls; everything else must not. */
const timeless = (line: string) => line.replace(/"time":"[^"]*"/, '"time":"T"');

const awkward: LogFields[] = [
  {},
  { requestId: "0f8fad5b-d9cb-469f-a165-70867728950e", api: "servicediscovery", status: 200, errorCode: undefined, durationMs: 1.23 },
  { quote: 'say "hi"', backslash: "a\\b", control: "tab\tnew\nline\u0001", unicode: "é ☃ 𝄞", del: "\u007f" },
  { zero: 0, negZero: -0, nan: NaN, inf: Infinity, big: 1e21, small: 1e-7, yes: true, no: false, nothing: null },
  { "odd key\"": "v", long: "x".repeat(300) + '"' },
];

test("lines without an error are the bytes pino writes, for the root and for children", () => {
  const reference = pinoLines();
  const ours: string[] = [];
  const logger = createLogger({ level: "debug", destination: { write: (line: string) => void ours.push(line) } });
  const child = logger.child({ job: "retention", n: 2, gone: undefined });
  const pinoChild = reference.log.child({ job: "retention", n: 2, gone: undefined });
  for (const fields of awkward) {
    logger.info("request", fields);
    reference.log.info(fields, "request");
    logger.warn("a \"quoted\" message", fields);
    reference.log.warn(fields, 'a "quoted" message');
    child.debug("swept", fields);
    pinoChild.debug(fields, "swept");
  }
  logger.error("no fields");
  reference.log.error({}, "no fields");
  assert.deepEqual(ours.map(timeless), reference.lines.map(timeless));
});

test("a lone surrogate is escaped, as JSON.stringify does (pino writes it raw before Node 25, where it becomes U+FFFD)", () => {
  assert.equal(fieldsJson({ lone: "\ud800x" }), ',"lone":"\\ud800x"');
});

test("only own fields that are not undefined are written", () => {
  const inherited = Object.create({ hidden: "x" }) as LogFields;
  inherited.shown = 1;
  inherited.skipped = undefined;
  assert.equal(fieldsJson(inherited), ',"shown":1');
});

test("the level still gates the fast lines", () => {
  const lines: string[] = [];
  const logger = createLogger({ level: "warn", destination: { write: (line: string) => void lines.push(line) } });
  logger.debug("d");
  logger.info("i");
  logger.child({ job: "x" }).info("i");
  logger.warn("w");
  assert.deepEqual(lines.map((l) => JSON.parse(l).msg), ["w"]);
});
