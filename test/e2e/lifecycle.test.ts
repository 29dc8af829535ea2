import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { CreateHttpNamespaceCommand, GetNamespaceCommand, ListNamespacesCommand, ServiceDiscoveryClient } from "@aws-sdk/client-servicediscovery";
import { CLI, startCairn, tempDataDir, testAccount } from "../support/cairn-process.js";
import { cloudMap } from "../support/clients.js";
import { createdNamespaceId, uniqueName } from "../support/cloudmap.js";
import { send } from "../support/raw.js";

describe("cairn serve", () => {
  test("--help documents every flag of the interface", () => {
    const out = spawnSync(process.execPath, [CLI, "serve", "--help"], { encoding: "utf8" }).stdout;
    for (const flag of ["--host", "--port", "--dns-port", "--data-dir", "--store", "--region", "--buckets-dir", "--s3-endpoint", "--delivery-interval", "--digest-interval"]) {
      assert.ok(out.includes(flag), `help mentions ${flag}`);
    }
    assert.match(spawnSync(process.execPath, [CLI, "--help"], { encoding: "utf8" }).stdout, /serve/);
  });

  test("a first start without chosen credentials generates them, prints them once and writes them 0600", async () => {
    const dataDir = tempDataDir();
    const child = spawn(process.execPath, [CLI, "serve", "--port", "0", "--dns-port", "0", "--data-dir", dataDir], {
      env: { ...process.env, CAIRN_ACCOUNT_ID: "", CAIRN_ROOT_ACCESS_KEY_ID: "", CAIRN_ROOT_SECRET_ACCESS_KEY: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        const m = /cairn listening on (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once("exit", () => reject(new Error(out)));
    });
    const file = path.join(dataDir, "root-credentials.json");
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    const creds = JSON.parse(fs.readFileSync(file, "utf8")) as { accountId: string; accessKeyId: string; secretAccessKey: string };
    assert.match(creds.accountId, /^\d{12}$/);
    assert.match(creds.accessKeyId, /^AKIA[A-Z2-7]{16}$/);
    assert.equal(creds.secretAccessKey.length, 40);
    assert.ok(out.includes(creds.secretAccessKey), "the secret is printed on first start");
    assert.ok(!fs.readFileSync(path.join(dataDir, "cairn.db")).includes(Buffer.from(creds.secretAccessKey)), "the database does not hold the secret in the clear");

    const sd = new ServiceDiscoveryClient({ endpoint: url, region: "us-east-1", credentials: creds, disableHostPrefix: true });
    assert.deepEqual((await sd.send(new ListNamespacesCommand({}))).Namespaces, []);
    const code = new Promise<number | null>((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    assert.equal(await code, 0, "SIGTERM drains and exits 0");

    const again = await startCairn({ spawn: true, dataDir, account: { accountId: creds.accountId, credentials: creds }, env: { CAIRN_ACCOUNT_ID: "", CAIRN_ROOT_ACCESS_KEY_ID: "", CAIRN_ROOT_SECRET_ACCESS_KEY: "" } });
    assert.ok(!again.output().includes(creds.secretAccessKey), "a restart never prints the secret again");
    await again.stop();
  });

  test("GET /_cairn/health answers 200 with JSON", async () => {
    const cairn = await startCairn({ spawn: true });
    const res = await send({ url: `${cairn.url}/_cairn/health`, method: "GET", headers: {}, body: "" });
    assert.equal(res.status, 200);
    assert.equal(res.json().status, "ok");
    assert.equal(await cairn.stop(), 0);
  });
});

describe("durability", () => {
  test("namespaces survive a clean restart", async () => {
    const account = testAccount();
    const first = await startCairn({ spawn: true, account });
    const id = await createdNamespaceId(cloudMap(first), new CreateHttpNamespaceCommand({ Name: uniqueName("persist"), Description: "kept" }));
    assert.equal(await first.stop(), 0);
    const second = await startCairn({ spawn: true, dataDir: first.dataDir, account });
    const ns = (await cloudMap(second).send(new GetNamespaceCommand({ Id: id }))).Namespace!;
    assert.equal(ns.Description, "kept");
    await second.stop();
  });

  test("every acknowledged create is there after kill -9", async () => {
    const account = testAccount();
    const first = await startCairn({ spawn: true, account });
    const sd = cloudMap(first);
    const names = Array.from({ length: 25 }, () => uniqueName("crash"));
    await Promise.all(names.map((Name) => sd.send(new CreateHttpNamespaceCommand({ Name }))));
    await first.kill();
    const second = await startCairn({ spawn: true, dataDir: first.dataDir, account });
    const listed = (await cloudMap(second).send(new ListNamespacesCommand({}))).Namespaces!.map((n) => n.Name);
    for (const name of names) assert.ok(listed.includes(name), `${name} survived`);
    await second.stop();
  });
});
