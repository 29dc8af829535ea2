import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createPrivateFile, makePrivateDir } from "../../src/private-files.js";
import { SecretBox } from "../../src/auth/secret-box.js";
import { openSqliteStore } from "../../src/store/sqlite/open.js";

const mode = (p: string) => fs.statSync(p).mode & 0o777;

test("Cairn's directories are 0700 and its files 0600, whatever a looser umask says", async () => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), "cairn-private-"));
  const previous = process.umask(0o022);
  try {
    const dataDir = path.join(base, "a", "b");
    makePrivateDir(dataDir);
    assert.equal(mode(dataDir), 0o700);
    assert.equal(mode(path.dirname(dataDir)), 0o700);
    SecretBox.open(dataDir);
    assert.equal(mode(path.join(dataDir, "secrets.key")), 0o600);
    const store = await openSqliteStore(path.join(dataDir, "cairn.db"));
    await store.transaction((tx) => tx.accounts.createAccount("111111111111", new Date()));
    for (const f of ["cairn.db", "cairn.db-wal", "cairn.db-shm"]) assert.equal(mode(path.join(dataDir, f)), 0o600, f);
    await store.close();
  } finally {
    process.umask(previous);
  }
});

test("a stricter umask is respected, and an existing file is left as it is", () => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), "cairn-private-"));
  const previous = process.umask(0o277);
  try {
    createPrivateFile(path.join(base, "strict"));
    assert.equal(mode(path.join(base, "strict")), 0o400);
  } finally {
    process.umask(previous);
  }
  fs.writeFileSync(path.join(base, "kept"), "x", { mode: 0o640 });
  createPrivateFile(path.join(base, "kept"));
  assert.equal(fs.readFileSync(path.join(base, "kept"), "utf8"), "x");
});
