import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { serveConfig } from "../../src/cli/serve-options.js";

describe("--health-interval", () => {
  test("defaults to Route 53's 30 seconds; the flag wins over CAIRN_HEALTH_INTERVAL; fractions are allowed", () => {
    assert.equal(serveConfig({}, {}).healthIntervalSeconds, 30);
    assert.equal(serveConfig({}, { CAIRN_HEALTH_INTERVAL: "10" }).healthIntervalSeconds, 10);
    assert.equal(serveConfig({ healthInterval: "0.5" }, { CAIRN_HEALTH_INTERVAL: "10" }).healthIntervalSeconds, 0.5);
  });

  test("values that are not a number of seconds from 0.1 to 86400 are refused at startup", () => {
    for (const value of ["0", "0.05", "-1", "abc", " ", "90000"]) {
      assert.throws(() => serveConfig({ healthInterval: value }, {}), /--health-interval must be a number of seconds/, value);
    }
  });
});
