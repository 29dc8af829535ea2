import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { CreateHttpNamespaceCommand, ListNamespacesCommand, ServiceDiscoveryClient } from "@aws-sdk/client-servicediscovery";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { queryUdp } from "../support/dns.js";
import { startEmbedded } from "../support/embedded.js";

const refused = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test("startCairn serves the AWS APIs and DNS on free ports, and stop() leaves nothing behind", async () => {
  const cairn = await startEmbedded({ region: "eu-west-1" });
  const other = await startEmbedded();
  try {
    assert.notEqual(cairn.endpoint, other.endpoint);
    assert.equal(cairn.region, "eu-west-1");
    const sts = new STSClient({ endpoint: cairn.endpoint, region: cairn.region, credentials: cairn.credentials });
    const me = await sts.send(new GetCallerIdentityCommand({}));
    assert.equal(me.Account, cairn.accountId);
    assert.match(cairn.accountId, /^\d{12}$/);
    const cloudMap = new ServiceDiscoveryClient({ endpoint: cairn.endpoint, region: cairn.region, credentials: cairn.credentials });
    await cloudMap.send(new CreateHttpNamespaceCommand({ Name: "embedded" }));
    const listed = await cloudMap.send(new ListNamespacesCommand({}));
    assert.deepEqual(listed.Namespaces?.map((n) => n.Name), ["embedded"]);
    // Each server has its own store: the other one saw nothing.
    const otherMap = new ServiceDiscoveryClient({ endpoint: other.endpoint, region: other.region, credentials: other.credentials });
    assert.deepEqual((await otherMap.send(new ListNamespacesCommand({}))).Namespaces, []);
    assert.ok(cairn.dnsPort, "DNS is on by default");
    const answer = await queryUdp(cairn.dnsPort, { questions: [{ type: "A", name: "nothing.example" }] });
    assert.equal(answer.rcode, "REFUSED");
  } finally {
    await other.stop();
  }
  const port = Number(new URL(cairn.endpoint).port);
  assert.ok(fs.existsSync(cairn.dataDir));
  await cairn.stop();
  await cairn.stop(); // a second stop is harmless
  assert.equal(alive(cairn.pid), false, "the server process is gone");
  assert.equal(fs.existsSync(cairn.dataDir), false, "the temporary data dir is removed");
  assert.equal(await refused(port), true, "the HTTP port is closed");
  assert.equal(await refused(cairn.dnsPort), true, "the DNS port is closed");
});

test("startCairn takes chosen credentials and can leave DNS off", async () => {
  const credentials = { accessKeyId: "AKIAEMBEDDEDTEST0001", secretAccessKey: "s".repeat(40) };
  const cairn = await startEmbedded({ accountId: "210987654321", credentials, dns: false });
  try {
    assert.equal(cairn.dnsPort, undefined);
    const sts = new STSClient({ endpoint: cairn.endpoint, region: cairn.region, credentials });
    assert.equal((await sts.send(new GetCallerIdentityCommand({}))).Arn, "arn:aws:iam::210987654321:root");
  } finally {
    await cairn.stop();
  }
});

test("startCairn with allowReset and an init file: reset() empties the server between tests", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cairn-embedded-init-"));
  const init = path.join(dir, "init.json");
  fs.writeFileSync(init, JSON.stringify({ namespaces: [{ Name: "seeded" }] }));
  const cairn = await startEmbedded({ allowReset: true, init, dns: false });
  const plain = await startEmbedded({ dns: false });
  try {
    const cloudMap = new ServiceDiscoveryClient({ endpoint: cairn.endpoint, region: cairn.region, credentials: cairn.credentials });
    const names = async () => (await cloudMap.send(new ListNamespacesCommand({}))).Namespaces?.map((n) => n.Name);
    assert.deepEqual(await names(), ["seeded"]);
    await cairn.reset();
    assert.deepEqual(await names(), []);
    await assert.rejects(plain.reset(), /needs startCairn\(\{ allowReset: true \}\)/);
  } finally {
    await Promise.all([cairn.stop(), plain.stop()]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a server that cannot start fails startCairn with its output, and leaves no data dir", async () => {
  const before = new Set(fs.readdirSync(process.env.TMPDIR ?? "/tmp"));
  await assert.rejects(startEmbedded({ args: ["--region", "xx-nowhere-1"] }), /exited with 1 before listening:[\s\S]*not a served region/);
  const left = fs.readdirSync(process.env.TMPDIR ?? "/tmp").filter((f) => !before.has(f) && /^cairn-[A-Za-z0-9]{6}$/.test(f));
  assert.deepEqual(left, []);
});
