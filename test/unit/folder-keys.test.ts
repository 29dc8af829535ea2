import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { keyToNames, namesToKey } from "../../src/delivery/folder-keys.js";
import { FolderSink } from "../../src/delivery/folder-sink.js";

describe("folder bucket keys", () => {
  test("ordinary keys map to themselves", () => {
    const key = "ct/AWSLogs/123456789012/CloudTrail/us-east-1/2026/01/01/123456789012_CloudTrail_us-east-1_20260101T0000Z_abcdefABCDEF0123.json.gz";
    assert.deepEqual(keyToNames(key), key.split("/"));
  });

  test("dot segments, empty segments, % and NUL are escaped; no name leaves its folder", () => {
    assert.deepEqual(keyToNames("../x"), ["%2E%2E", "x"]);
    assert.deepEqual(keyToNames("/abs//y/."), ["%", "abs", "%", "y", "%2E"]);
    assert.deepEqual(keyToNames("100%/a\0b"), ["100%25", "a%00b"]);
    assert.deepEqual(keyToNames(".tmp-1/x.metadata.json"), ["%2Etmp-1", "x%2Emetadata.json"], "the sink's own names are never produced");
    for (const name of keyToNames("../../../etc/passwd/./..//%")) {
      assert.ok(name !== "." && name !== ".." && name !== "" && !name.includes("/") && !name.includes("\0"), name);
    }
  });

  test("long names are cut into pieces a file system accepts", () => {
    const key = `${"€".repeat(200)}/${"%".repeat(200)}/end`;
    const names = keyToNames(key);
    for (const name of names) assert.ok(Buffer.byteLength(name) <= 200, `${Buffer.byteLength(name)} bytes`);
    assert.ok(names.length > 3);
    assert.equal(namesToKey(names), key);
  });

  test("the mapping is one-to-one: names map back to the key", () => {
    const keys = ["", "/", "//", ".", "..", "%", "%25", "%2E", "a/%/b", "../x", "/abs", "a/./b/../%", ".tmp-x", "y.metadata.json", "a\0b", "ü/😀/x", "x%", "%%/%2E%2E"];
    const seen = new Map<string, string>();
    for (const key of keys) {
      const names = keyToNames(key);
      assert.equal(namesToKey(names), key, JSON.stringify(key));
      const joined = names.join("/");
      assert.equal(seen.get(joined), undefined, `${JSON.stringify(key)} and ${JSON.stringify(seen.get(joined))} collide`);
      seen.set(joined, key);
    }
  });
});

describe("folder sink", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "cairn-folder-"));
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), "cairn-outside-"));
  fs.mkdirSync(path.join(root, "b"));
  const sink = new FolderSink(root);

  test("escaping keys are written inside the bucket, read back and listed under their own key", async () => {
    await sink.put("b", "../x/f", Buffer.from("1"), { signature: "s" });
    await sink.put("b", "/abs/f", Buffer.from("2"));
    assert.ok(fs.existsSync(path.join(root, "b", "%2E%2E", "x", "f")));
    assert.ok(fs.existsSync(path.join(root, "b", "%", "abs", "f")));
    assert.deepEqual(await sink.get("b", "../x/f"), { body: Buffer.from("1"), metadata: { signature: "s" } });
    assert.deepEqual(await sink.list("b", ""), ["../x/f", "/abs/f"]);
    assert.deepEqual(await sink.list("b", "../x/"), ["../x/f"]);
    assert.equal(fs.statSync(path.join(root, "b", "%", "abs", "f")).mode & 0o777, 0o600);
  });

  test("symbolic links inside the buckets dir are never followed", async () => {
    fs.symlinkSync(outside, path.join(root, "b", "link"));
    await assert.rejects(sink.put("b", "link/f", Buffer.from("x")), { code: "AccessDenied" });
    await assert.rejects(sink.get("b", "link/f"), { code: "AccessDenied" });
    fs.writeFileSync(path.join(outside, "secret"), "s");
    fs.symlinkSync(path.join(outside, "secret"), path.join(root, "b", "file-link"));
    await assert.rejects(sink.get("b", "file-link"), /ELOOP/);
    await sink.put("b", "file-link", Buffer.from("new"));
    assert.equal(fs.readFileSync(path.join(outside, "secret"), "utf8"), "s", "the link was replaced, not written through");
    assert.deepEqual(fs.readdirSync(outside), ["secret"]);
    fs.symlinkSync(outside, path.join(root, "linked-bucket"));
    assert.equal(await sink.bucketExists("linked-bucket"), false);
    assert.ok(!(await sink.list("b", "")).some((k) => k.startsWith("link/")));
  });
});
