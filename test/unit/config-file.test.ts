import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { configFileEnv, withConfigFile } from "../../src/cli/config-file.js";
import { serveConfig, type ServeFlags } from "../../src/cli/serve-options.js";
import { CLI } from "../support/cairn-process.js";

/** `cairn serve`'s flags, as its help lists them: a flag added later must get a sample below. */
const FLAGS = [...spawnSync(process.execPath, [CLI, "serve", "--help"], { encoding: "utf8" }).stdout.matchAll(/^\s+(?:-\w, )?--([a-z0-9-]+)/gm)].map((m) => m[1]!);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cairn-config-"));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A value for each flag, as the command line gives it and as the file may write it. */
const SAMPLES: Record<string, { cli: string | true; file: unknown }> = {
  host: { cli: "127.0.0.2", file: "127.0.0.2" },
  port: { cli: "4700", file: 4700 },
  "dns-port": { cli: "0", file: 0 },
  "dns-rate-limit": { cli: "7", file: 7 },
  "dns-tcp-idle-timeout": { cli: "2.5", file: 2.5 },
  "dns-tcp-connections": { cli: "9", file: 9 },
  "data-dir": { cli: path.join(dir, "data"), file: "data" },
  store: { cli: "sqlite:/tmp/elsewhere.db", file: "sqlite:/tmp/elsewhere.db" },
  region: { cli: "eu-west-1", file: "eu-west-1" },
  regions: { cli: "moon-east-1,moon-west-1", file: ["moon-east-1", "moon-west-1"] },
  "buckets-dir": { cli: path.join(dir, "buckets"), file: "buckets" },
  "s3-endpoint": { cli: "http://127.0.0.1:9000", file: "http://127.0.0.1:9000" },
  "delivery-interval": { cli: "5", file: 5 },
  "digest-interval": { cli: "50", file: 50 },
  "trusted-proxies": { cli: "10.0.0.0/8,127.0.0.1", file: ["10.0.0.0/8", "127.0.0.1"] },
  "event-retention-days": { cli: "7", file: 7 },
  "health-interval": { cli: "0.5", file: 0.5 },
  "health-check-targets": { cli: "127.0.0.0/8", file: ["127.0.0.0/8"] },
  "tls-cert": { cli: path.join(dir, "cert.pem"), file: "cert.pem" },
  "tls-key": { cli: path.join(dir, "key.pem"), file: "key.pem" },
  "log-level": { cli: "warn", file: "warn" },
  throttle: { cli: true, file: true },
  "max-connections": { cli: "50", file: 50 },
  ephemeral: { cli: true, file: true },
  init: { cli: path.join(dir, "init.json"), file: "init.json" },
  "allow-reset": { cli: true, file: true },
};
/** Flags that go together; `config` is the file itself. */
const COMPANION: Record<string, string> = { "tls-cert": "tls-key", "tls-key": "tls-cert" };

const camel = (flag: string): keyof ServeFlags => flag.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()) as keyof ServeFlags;

/** What the file sets, for comparing: a temporary data dir differs from start to start. */
function comparable(config: ReturnType<typeof serveConfig>): object {
  return config.ephemeral ? { ...config, dataDir: "tmp", store: "tmp", bucketsDir: "tmp" } : config;
}

test("every flag of cairn serve can be set in the config file, with the same effect", () => {
  assert.ok(FLAGS.length > 20, FLAGS.join(" "));
  assert.deepEqual(FLAGS.filter((f) => f !== "config" && f !== "help" && !(f in SAMPLES)), [], "a sample for every flag");
  const file = path.join(dir, "cairn.json");
  for (const flag of FLAGS.filter((f) => f in SAMPLES)) {
    const set = [flag, ...(COMPANION[flag] ? [COMPANION[flag]] : [])];
    const flags: ServeFlags = Object.fromEntries(set.map((f) => [camel(f), SAMPLES[f]!.cli]));
    fs.writeFileSync(file, JSON.stringify(Object.fromEntries(set.map((f) => [f, SAMPLES[f]!.file]))));
    const fromFile = serveConfig({}, withConfigFile({}, configFileEnv(file, FLAGS)));
    const fromFlags = serveConfig(flags, {});
    assert.deepEqual(comparable(fromFile), comparable(fromFlags), flag);
    for (const made of [fromFile, fromFlags]) if (made.ephemeral) fs.rmSync(made.dataDir, { recursive: true, force: true });
  }
});

test("limits are set by name; flags, then the environment, win over the file", () => {
  const file = path.join(dir, "limits.json");
  fs.writeFileSync(file, JSON.stringify({ port: 4700, region: "eu-west-1", limits: { instancesPerService: 5000 } }));
  const env = withConfigFile({ CAIRN_REGION: "eu-central-1", CAIRN_PORT: "" }, configFileEnv(file, FLAGS));
  const config = serveConfig({ region: "us-west-2" }, env);
  assert.equal(config.limits.instancesPerService, 5000);
  assert.equal(config.region, "us-west-2");
  assert.equal(serveConfig({}, env).region, "eu-central-1");
  assert.equal(config.port, 4700, "an empty variable does not hide the file");
});

test("unknown settings, bad values and bad JSON are refused with the file's name", () => {
  const file = path.join(dir, "bad.json");
  const cases: Array<[string, RegExp]> = [
    ['{"prot": 1}', /--config \S+bad\.json: unknown setting "prot" \(settings are host, port/],
    ['{"config": "x.json"}', /unknown setting "config"/],
    ['{"limits": {"instancesPerServce": 1}}', /unknown limit "instancesPerServce"/],
    ['{"port": {"n": 1}}', /"port" must be a string, a number/],
    ["[1]", /must be a JSON object/],
    ["{port: 1}", /--config \S+bad\.json: .*JSON/],
  ];
  for (const [content, message] of cases) {
    fs.writeFileSync(file, content);
    assert.throws(() => configFileEnv(file, FLAGS), message, content);
  }
});
