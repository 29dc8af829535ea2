// The suite's second run: every test again, on PostgreSQL (CAIRN_TEST_STORE=postgres). Skipped, saying so, when no
// PostgreSQL answers at CAIRN_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test).
import { spawnSync } from "node:child_process";
import pg from "pg";

const url = process.env.CAIRN_TEST_POSTGRES_URL || "postgres://postgres@127.0.0.1:5432/test";
const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
try {
  await client.connect();
  await client.end();
} catch (error) {
  console.log(`\nSKIPPED: the PostgreSQL run of the test suite: no PostgreSQL reachable at ${url} (${error.message}).`);
  console.log("Start one, or point CAIRN_TEST_POSTGRES_URL at one, to run the suite on PostgreSQL too.\n");
  process.exit(0);
}
console.log(`\nRunning the test suite on PostgreSQL at ${url}\n`);
const run = spawnSync(process.execPath, ["--test", "--test-concurrency=2", "dist/test/"], {
  stdio: "inherit",
  env: { ...process.env, CAIRN_TEST_STORE: "postgres", CAIRN_TEST_POSTGRES_URL: url, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
});
process.exit(run.status ?? 1);
