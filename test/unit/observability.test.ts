import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { instrumentStore } from "../../src/observability/instrumented-store.js";
import { openSqliteStore } from "../../src/store/sqlite/open.js";
import type { Store, StoreTx, TransactionOptions } from "../../src/store/store.js";
import { createLogger, parseLogLevel } from "../../src/observability/logger.js";
import { Metrics, outcomeOf } from "../../src/observability/metrics.js";
import { prettyLine } from "../../src/observability/pretty-log.js";

function captured(level: Parameters<typeof createLogger>[0]["level"]) {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ level, destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } });
  return { logger, lines };
}

test("log lines are JSON with time, level name, msg and the given fields; below the level nothing is written", () => {
  const { logger, lines } = captured("info");
  logger.debug("hidden");
  logger.info("request", { requestId: "r-1", status: 200 });
  logger.child({ job: "retention" }).error("purge failed", { deleted: 0 }, new Error("disk"));
  assert.equal(lines.length, 2);
  assert.equal(lines[0]!.level, "info");
  assert.equal(lines[0]!.msg, "request");
  assert.equal(lines[0]!.requestId, "r-1");
  assert.match(String(lines[0]!.time), /^\d{4}-\d\d-\d\dT/);
  assert.equal(lines[1]!.job, "retention");
  assert.equal((lines[1]!.err as { message: string }).message, "disk");
  const silent = captured("silent");
  silent.logger.error("nothing");
  assert.equal(silent.lines.length, 0);
});

test("--log-level accepts the five levels only", () => {
  assert.equal(parseLogLevel("WARN"), "warn");
  assert.throws(() => parseLogLevel("verbose"), /debug, info, warn, error, silent/);
});

test("terminal lines are one readable line per entry", () => {
  const line = prettyLine(JSON.stringify({ level: "info", time: "2026-01-02T03:04:05.678Z", msg: "request", operation: "ListServices", status: 200 }));
  assert.equal(line, "03:04:05.678 INFO  request  operation=ListServices status=200\n");
  assert.equal(prettyLine("not json\n"), "not json\n");
});

test("outcomes: success, client_error, throttled, server_error", () => {
  assert.equal(outcomeOf(200, undefined), "success");
  assert.equal(outcomeOf(400, "InvalidInput"), "client_error");
  assert.equal(outcomeOf(400, "ThrottlingException"), "throttled");
  assert.equal(outcomeOf(400, "RequestLimitExceeded"), "throttled");
  assert.equal(outcomeOf(503, "ServiceUnavailable"), "server_error");
});

test("the feature hooks move their metrics", async () => {
  const metrics = new Metrics({ processMetrics: false });
  metrics.dnsQuery("SRV", "NOERROR");
  metrics.dnsQuery("SRV", "NOERROR");
  metrics.healthTransition("UNHEALTHY");
  metrics.trailDeliveryLag("arn:aws:cloudtrail:us-east-1:111111111111:trail/t", 12.5);
  metrics.trailFileDelivered("digest");
  const { body } = await metrics.exposition();
  assert.match(body, /^cairn_dns_queries_total\{qtype="SRV",rcode="NOERROR"\} 2$/m);
  assert.match(body, /^cairn_health_transitions_total\{to="UNHEALTHY"\} 1$/m);
  assert.match(body, /^cairn_trail_delivery_lag_seconds\{trail="arn:aws:cloudtrail:us-east-1:111111111111:trail\/t"\} 12\.5$/m);
  assert.match(body, /^cairn_trail_files_delivered_total\{kind="digest"\} 1$/m);
  assert.doesNotMatch(body, /cairn_process_/);
});

test("the instrumented store hands a transaction's options (read-only) on to the store", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cairn-instrumented-"));
  const store = await openSqliteStore(path.join(dir, "cairn.db"));
  try {
    const seen: Array<TransactionOptions | undefined> = [];
    const watched = Object.create(store) as Store;
    watched.transaction = <T>(fn: (tx: StoreTx) => Promise<T>, options?: TransactionOptions): Promise<T> => {
      seen.push(options);
      return store.transaction(fn, options);
    };
    const instrumented = instrumentStore(watched, new Metrics());
    assert.equal(await instrumented.transaction(async () => "read", { readOnly: true }), "read");
    await instrumented.transaction(async () => "write");
    assert.deepEqual(seen, [{ readOnly: true }, undefined]);
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
