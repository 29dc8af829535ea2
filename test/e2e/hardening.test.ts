import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { ListNamespacesCommand } from "@aws-sdk/client-servicediscovery";
import { startCairn, type CairnProcess } from "../support/cairn-process.js";
import { cloudMap } from "../support/clients.js";

const MAX_CONNECTIONS = 6;
let cairn: CairnProcess;

/** Writes `bytes` on a fresh connection and reads until the server closes it. */
function exchange(bytes: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(cairn.port, "127.0.0.1", () => socket.write(bytes));
    let text = "";
    socket.on("data", (d: Buffer) => (text += d.toString("latin1")));
    socket.on("error", reject);
    socket.on("close", () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), body: text.slice(text.indexOf("\r\n\r\n") + 4) }));
  });
}

function connect(): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(cairn.port, "127.0.0.1", () => resolve(socket));
    socket.on("error", reject);
  });
}

before(async () => {
  cairn = await startCairn({ args: ["--max-connections", String(MAX_CONNECTIONS)] });
});
after(async () => {
  await cairn.stop();
});

describe("hardening", () => {
  test("malformed HTTP gets an AWS-shaped JSON error, never Node's bare 400", async () => {
    const head = "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.1\r\n";
    const chunked = await exchange(`${head}Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`);
    assert.equal(chunked.status, 400);
    assert.equal(JSON.parse(chunked.body).__type, "SerializationException");
    const huge = await exchange(`${head}X-Padding: ${"a".repeat(20_000)}\r\n\r\n`);
    assert.equal(huge.status, 431);
    assert.equal(JSON.parse(huge.body).__type, "RequestHeaderFieldsTooLarge");
    const garbage = await exchange("\x16\x03\x01 not http at all\r\n\r\n");
    assert.equal(garbage.status, 400);
    assert.equal(typeof JSON.parse(garbage.body).Message, "string");
  });

  test("unknown Cairn paths and methods answer AWS-shaped errors", async () => {
    for (const [method, path] of [["GET", "/_cairn/nope"], ["POST", "/_cairn/metrics"], ["DELETE", "/"], ["GET", "/anything"]] as const) {
      const res = await fetch(`${cairn.url}${path}`, { method });
      assert.equal(res.status, 404, `${method} ${path}`);
      const body = (await res.json()) as { __type: string; Message: string };
      assert.equal(body.__type, "UnknownOperationException");
      assert.equal(typeof body.Message, "string");
    }
  });

  test("a client that never finishes its headers does not hold up others", async () => {
    const slow = await connect();
    slow.write("POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: ");
    const sd = cloudMap(cairn);
    for (let i = 0; i < 5; i++) await sd.send(new ListNamespacesCommand({}));
    assert.equal(slow.destroyed, false, "the slow client is still waiting (Cairn drops it after --headers timeout)");
    slow.destroy();
  });

  test("connections beyond --max-connections are refused; the server serves again once some close", async () => {
    const held = await Promise.all(Array.from({ length: MAX_CONNECTIONS }, () => connect()));
    const extra = await connect();
    const refused = await new Promise<boolean>((resolve) => {
      extra.on("close", () => resolve(true));
      extra.write("GET /_cairn/health HTTP/1.1\r\nHost: x\r\n\r\n");
    });
    assert.ok(refused, "the extra connection was closed without an answer");
    for (const socket of held) socket.destroy();
    // The server notices the closes asynchronously: ask until it answers.
    let status = 0;
    for (let attempt = 0; attempt < 100 && status !== 200; attempt++) {
      status = (await exchange("GET /_cairn/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").catch(() => ({ status: 0 }))).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(status, 200);
  });
});
