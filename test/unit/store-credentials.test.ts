import { after, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { SecretBox } from "../../src/auth/secret-box.js";
import { StoreCredentialResolver } from "../../src/auth/store-credentials.js";
import type { KyselyStore } from "../../src/store/kysely-store.js";
import { TEST_STORE } from "../support/postgres.js";
import { openTestStore, testStoreUrl } from "../support/stores.js";

const stores: KyselyStore[] = [];
after(async () => {
  for (const s of stores) await s.close();
});

/** Deactivates the key behind Cairn's back, the way another node's IAM call would: straight in the database. */
async function deactivate(url: string, accessKeyId: string): Promise<void> {
  if (url.startsWith("sqlite:")) {
    const db = new BetterSqlite3(url.slice("sqlite:".length));
    db.prepare("update access_keys set status = 'Inactive' where access_key_id = ?").run(accessKeyId);
    db.close();
    return;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query("update access_keys set status = 'Inactive' where access_key_id = $1", [accessKeyId]);
  await client.end();
}

async function eventually(what: string, probe: () => Promise<boolean>, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test(`a cached access key changed elsewhere is read again (${TEST_STORE})`, async () => {
  const url = await testStoreUrl();
  const store = await openTestStore(url);
  stores.push(store);
  const box = SecretBox.open(fs.mkdtempSync(path.join(os.tmpdir(), "cairn-box-")));
  await store.transaction(async (tx) => {
    await tx.accounts.createAccount("123456789012", new Date());
    await tx.accounts.createAccessKey({ accessKeyId: "AKIACACHED", accountId: "123456789012", secretAccessKey: box.seal("s3cret-s3cret-s3cret"), status: "Active", createdAt: new Date() });
  });
  // PostgreSQL: the notification makes the resolver forget the key at once, long before the cache age (1 minute
  // here) would. SQLite has no other node to hear from: the cache age is the bound there.
  const resolver = new StoreCredentialResolver(store, box, TEST_STORE === "postgres" ? 60_000 : 300);
  const first = await resolver.resolve("AKIACACHED");
  assert.equal(first?.active, true);
  assert.equal(first?.secretAccessKey, "s3cret-s3cret-s3cret");
  await deactivate(url, "AKIACACHED");
  await eventually("the key to read as inactive", async () => (await resolver.resolve("AKIACACHED"))?.active === false, 10_000);
  resolver.close();
});
