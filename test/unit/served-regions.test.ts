import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { AWS_PARTITION_REGIONS } from "../../src/generated/regions.js";
import { parseExtraRegions, servedRegions } from "../../src/server/served-regions.js";
import { serveConfig } from "../../src/cli/serve-options.js";

test("the aws partition's regions, and only real ones", () => {
  for (const region of ["us-east-1", "us-west-2", "eu-central-1", "ap-southeast-7", "il-central-1", "mx-central-1"]) assert.ok(AWS_PARTITION_REGIONS.includes(region), region);
  for (const region of ["aws-global", "cn-north-1", "us-gov-west-1", "us-iso-east-1", "eusc-de-east-1"]) assert.ok(!AWS_PARTITION_REGIONS.includes(region), region);
});

test("--regions adds names; served regions are sorted and unique", () => {
  assert.deepEqual(parseExtraRegions(" local-1, eu-future-7 ,,local-1"), ["local-1", "eu-future-7"]);
  assert.deepEqual(parseExtraRegions(""), []);
  const served = servedRegions(["local-1", "us-east-1"]);
  assert.deepEqual(served, [...new Set(served)].sort());
  assert.equal(served.length, AWS_PARTITION_REGIONS.length + 1);
});

test("--regions refuses names that are not region names or belong to another partition", () => {
  for (const name of ["../etc", "Local-1", "local", "-1", "a b-1", "x".repeat(33) + "1", "local-1/x"]) {
    assert.throws(() => parseExtraRegions(name), /is not a region name/, name);
  }
  for (const [name, partition] of [["cn-north-1", "aws-cn"], ["us-gov-west-1", "aws-us-gov"], ["us-isob-east-1", "aws-iso-b"]] as const) {
    assert.throws(() => parseExtraRegions(name), new RegExp(`${name} belongs to the ${partition} partition`));
  }
});

test("the default --region must be served", () => {
  assert.equal(serveConfig({}, {}).region, "us-east-1");
  assert.deepEqual(serveConfig({ region: "local-1", regions: "local-1" }, {}).regions, ["local-1"]);
  assert.deepEqual(serveConfig({}, { CAIRN_REGIONS: "on-prem-1", CAIRN_REGION: "on-prem-1" }).region, "on-prem-1");
  assert.throws(() => serveConfig({ region: "xx-fake-1" }, {}), /--region xx-fake-1 is not a served region/);
  assert.throws(() => serveConfig({ region: "cn-north-1" }, {}), /not a served region/);
});

test("regenerating the regions reproduces the committed src/generated/regions.ts", () => {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", ".."); // dist/test/unit → repo
  const script = path.join(root, "scripts", "generate-regions.mjs");
  assert.ok(existsSync(script), script);
  const out = mkdtempSync(path.join(tmpdir(), "cairn-regions-"));
  try {
    execFileSync(process.execPath, [script], { cwd: root, env: { ...process.env, CAIRN_GENERATED_OUT_DIR: out }, stdio: "pipe" });
    const fresh = readFileSync(path.join(out, "regions.ts"), "utf8");
    const committed = readFileSync(path.join(root, "src", "generated", "regions.ts"), "utf8");
    assert.ok(fresh === committed, "src/generated/regions.ts is stale: run npm run generate");
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
