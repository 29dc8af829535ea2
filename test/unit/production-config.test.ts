import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { serveConfig } from "../../src/cli/serve-options.js";

test("production flags default to plain HTTP, info logs, no throttling and Node-safe limits", () => {
  const config = serveConfig({}, {});
  assert.equal(config.tls, undefined);
  assert.equal(config.logLevel, "info");
  assert.equal(config.throttleScale, 0);
  assert.equal(config.maxConnections, 10_000);
  assert.equal(config.maxHeaderBytes, 16 * 1024);
  assert.ok(config.headersTimeoutMs < config.requestTimeoutMs);
});

test("flags win over CAIRN_TLS_*, CAIRN_LOG_LEVEL, CAIRN_THROTTLE and CAIRN_MAX_CONNECTIONS", () => {
  const env = { CAIRN_TLS_CERT: "env.crt", CAIRN_TLS_KEY: "env.key", CAIRN_LOG_LEVEL: "warn", CAIRN_THROTTLE: "0.5", CAIRN_MAX_CONNECTIONS: "100" };
  const fromEnv = serveConfig({}, env);
  assert.deepEqual(fromEnv.tls, { certFile: path.resolve("env.crt"), keyFile: path.resolve("env.key") });
  assert.equal(fromEnv.logLevel, "warn");
  assert.equal(fromEnv.throttleScale, 0.5);
  assert.equal(fromEnv.maxConnections, 100);
  const fromFlags = serveConfig({ tlsCert: "a.crt", tlsKey: "a.key", logLevel: "debug", throttle: true, maxConnections: "7" }, env);
  assert.equal(fromFlags.tls?.certFile, path.resolve("a.crt"));
  assert.equal(fromFlags.logLevel, "debug");
  assert.equal(fromFlags.throttleScale, 1, "--throttle alone is on");
  assert.equal(fromFlags.maxConnections, 7);
  assert.equal(serveConfig({ throttle: "off" }, env).throttleScale, 0);
});

test("bad production settings are refused with a message", () => {
  assert.throws(() => serveConfig({ tlsCert: "a.crt" }, {}), /--tls-cert and --tls-key go together/);
  assert.throws(() => serveConfig({ logLevel: "loud" }, {}), /--log-level/);
  assert.throws(() => serveConfig({ throttle: "maybe" }, {}), /--throttle/);
  assert.throws(() => serveConfig({ maxConnections: "0" }, {}), /--max-connections/);
});
