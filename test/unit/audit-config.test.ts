import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { serveConfig } from "../../src/cli/serve-options.js";

describe("audit settings of cairn serve", () => {
  test("defaults: no trusted proxies, 90 days of Event history, recording on", () => {
    const config = serveConfig({}, {});
    assert.deepEqual(config.trustedProxies, []);
    assert.equal(config.eventRetentionDays, 90);
    assert.equal(config.recordEvents, undefined);
  });

  test("CAIRN_TRUSTED_PROXIES and CAIRN_EVENT_RETENTION_DAYS", () => {
    const config = serveConfig({}, { CAIRN_TRUSTED_PROXIES: "10.0.0.0/8, 127.0.0.1", CAIRN_EVENT_RETENTION_DAYS: "30" });
    assert.deepEqual(config.trustedProxies, ["10.0.0.0/8", "127.0.0.1"]);
    assert.equal(config.eventRetentionDays, 30);
  });

  test("bad values are refused at startup", () => {
    assert.throws(() => serveConfig({}, { CAIRN_TRUSTED_PROXIES: "proxy.internal" }), /CAIRN_TRUSTED_PROXIES/);
    for (const days of ["0", "-1", "1.5", "ninety"]) {
      assert.throws(() => serveConfig({}, { CAIRN_EVENT_RETENTION_DAYS: days }), /CAIRN_EVENT_RETENTION_DAYS/, days);
    }
  });
});
