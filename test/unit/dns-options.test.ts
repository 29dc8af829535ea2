import { test } from "node:test";
import assert from "node:assert/strict";
import { serveConfig } from "../../src/cli/serve-options.js";

test("DNS limits: rate limiting on at 100/s, TCP idle 10 s and 256 connections by default", () => {
  const config = serveConfig({}, {});
  assert.deepEqual([config.dnsRateLimit, config.dnsTcpIdleTimeoutSeconds, config.dnsTcpConnections], [100, 10, 256]);
});

test("DNS limits: flags win over CAIRN_DNS_*; 0 turns rate limiting off", () => {
  const env = { CAIRN_DNS_RATE_LIMIT: "0", CAIRN_DNS_TCP_IDLE_TIMEOUT: "2.5", CAIRN_DNS_TCP_CONNECTIONS: "16" };
  const fromEnv = serveConfig({}, env);
  assert.deepEqual([fromEnv.dnsRateLimit, fromEnv.dnsTcpIdleTimeoutSeconds, fromEnv.dnsTcpConnections], [0, 2.5, 16]);
  const fromFlags = serveConfig({ dnsRateLimit: "500", dnsTcpIdleTimeout: "30", dnsTcpConnections: "1000" }, env);
  assert.deepEqual([fromFlags.dnsRateLimit, fromFlags.dnsTcpIdleTimeoutSeconds, fromFlags.dnsTcpConnections], [500, 30, 1000]);
});

test("DNS limits: bad values are refused with the flag's name", () => {
  assert.throws(() => serveConfig({ dnsRateLimit: "-1" }, {}), /--dns-rate-limit must be an integer from 0/);
  assert.throws(() => serveConfig({ dnsRateLimit: "lots" }, {}), /--dns-rate-limit/);
  assert.throws(() => serveConfig({ dnsTcpIdleTimeout: "0" }, {}), /--dns-tcp-idle-timeout/);
  assert.throws(() => serveConfig({ dnsTcpConnections: "0" }, {}), /--dns-tcp-connections/);
});
