import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import net from "node:net";
import * as packet from "dns-packet";
import type { CairnProcess, SpawnedCairn } from "../support/cairn-process.js";
import { cloudMap } from "../support/clients.js";
import { queryTcp, question, startCairnWithDns } from "../support/dns.js";
import { parseExposition } from "../support/prometheus.js";
import { namespace, register, service } from "../support/registry.js";

/**
 * DNS over TCP against a client that abuses it (RFC 7766 §6): pipelining without reading the answers, holding
 * connections open, opening more than the server allows. The server must push back and stay small.
 */

type DnsCairn<C = CairnProcess> = C & { dnsPort: number };
const MB = 1024 * 1024;

/** The child's resident memory, from the kernel (what an operator's `top` shows). */
function rss(pid: number): number {
  const line = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  assert.ok(line, "VmRSS in /proc/PID/status");
  return Number(line[1]) * 1024;
}

function framed(name: string, id = 1): Buffer {
  const query = packet.encode({ id, type: "query", questions: [{ name, type: "A" }] });
  const prefix = Buffer.alloc(2);
  prefix.writeUInt16BE(query.length);
  return Buffer.concat([prefix, query]);
}

async function connect(port: number): Promise<net.Socket> {
  const socket = net.connect(port, "127.0.0.1");
  socket.on("error", () => {});
  await new Promise((resolve) => socket.once("connect", resolve));
  return socket;
}

/** Resolves with the milliseconds until the server closes `socket`, or rejects after `timeoutMs`. */
function closedWithin(socket: net.Socket, timeoutMs: number): Promise<number> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`connection still open after ${timeoutMs} ms`)), timeoutMs);
    socket.once("close", () => {
      clearTimeout(timer);
      resolve(Date.now() - started);
    });
    socket.resume(); // read (and drop) whatever comes, so that the end of the stream is seen
  });
}

/** One query on an open connection: its answer's ID, or undefined when the server closed the connection instead. */
function ask(socket: net.Socket, name: string, id: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    let data = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      data = Buffer.concat([data, chunk]);
      if (data.length >= 2 && data.length >= 2 + data.readUInt16BE(0)) {
        socket.off("data", onData);
        resolve(packet.decode(data.subarray(2, 2 + data.readUInt16BE(0))).id);
      }
    };
    socket.on("data", onData);
    socket.once("close", () => resolve(undefined));
    socket.write(framed(name, id));
  });
}

async function metric(cairn: CairnProcess, name: string, labels: Record<string, string>): Promise<number> {
  return parseExposition(await (await fetch(`${cairn.url}/_cairn/metrics`)).text()).value(name, labels);
}

describe("DNS over TCP with the default limits", () => {
  let cairn: DnsCairn<SpawnedCairn>;
  let name: string;

  before(async () => {
    // Its own process: the test reads the server's resident memory.
    cairn = await startCairnWithDns({ spawn: true });
    const sd = cloudMap(cairn);
    const zone = await namespace(sd, "private");
    const web = await service(sd, { NamespaceId: zone.id, Name: "web", DnsConfig: { RoutingPolicy: "MULTIVALUE", DnsRecords: [{ Type: "A", TTL: 60 }] } });
    for (let i = 1; i <= 8; i++) await register(sd, web.Id!, `w${i}`, { AWS_INSTANCE_IPV4: `10.9.0.${i}` });
    name = `web.${zone.name}`;
  });
  after(async () => {
    await cairn?.stop();
  });

  /** Writes 50 MB of queries on one connection and never reads; returns the peak RSS seen and what the server took. */
  async function abuse(pid: number, baseline: number): Promise<{ peak: number; taken: number; unread: number }> {
    const socket = await connect(cairn.dnsPort);
    // Never read: past the client's own small buffer, answers pile up in the kernel and then at the server.
    const one = framed(name);
    const megabyte = Buffer.concat(Array.from({ length: Math.floor(MB / one.length) }, () => one));
    for (let i = 0; i < 50; i++) socket.write(megabyte);
    const written = 50 * megabyte.length;

    let peak = baseline;
    let last = socket.writableLength;
    let stillFor = 0;
    const deadline = Date.now() + 30_000;
    // Until the server has stopped taking queries for 2 s, or has grown past the bound, or has taken them all.
    while (stillFor < 2000 && peak - baseline < 50 * MB && socket.writableLength > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      peak = Math.max(peak, rss(pid));
      stillFor = socket.writableLength === last ? stillFor + 100 : 0;
      last = socket.writableLength;
    }
    const unread = socket.writableLength;
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 500));
    return { peak, taken: written - unread, unread };
  }

  test("50 MB of pipelined queries never read: the server stops reading, its memory stays bounded and is reused", async (t) => {
    const pid = cairn.child.pid!;
    assert.equal((await queryTcp(cairn.dnsPort, question(name, "A"))).answers!.length, 8);
    const baseline = rss(pid);

    // Three rounds: a connection's buffers that outlived it would add up from one round to the next. Whether V8
    // hands freed pages back to the kernel within a second is its own business, so the test does not ask that.
    const rounds = [];
    for (let round = 0; round < 3; round++) {
      const { peak, taken, unread } = await abuse(pid, baseline);
      rounds.push(peak);
      t.diagnostic(`round ${round + 1}: took ${(taken / MB).toFixed(1)} MB of queries; RSS +${((peak - baseline) / MB).toFixed(1)} MB at most`);
      assert.ok(peak - baseline < 50 * MB, `RSS grew by ${((peak - baseline) / MB).toFixed(1)} MB after ${(taken / MB).toFixed(1)} MB of queries`);
      assert.ok(unread > 40 * MB, `the server stopped reading: it took only ${(taken / MB).toFixed(1)} MB`);
    }
    const growth = rounds[2]! - rounds[0]!;
    assert.ok(growth < 15 * MB, `RSS peak grew by ${(growth / MB).toFixed(1)} MB from the first round to the third`);
    // Other clients were served all along.
    assert.equal((await queryTcp(cairn.dnsPort, question(name, "A"))).answers!.length, 8);
  });

  test("at most 256 connections at once: one more is closed unanswered; once one ends, a new one is served", async () => {
    const open = await Promise.all(Array.from({ length: 256 }, () => connect(cairn.dnsPort)));
    try {
      assert.equal(await ask(open[0]!, name, 7), 7);
      assert.equal(await ask(open[255]!, name, 8), 8);
      const extra = await connect(cairn.dnsPort);
      assert.equal(await ask(extra, name, 9), undefined);
      const closedBefore = await metric(cairn, "cairn_dns_tcp_connections_closed_total", { reason: "limit" });
      assert.ok(closedBefore >= 1);

      open.pop()!.destroy();
      await new Promise((resolve) => setTimeout(resolve, 200));
      const next = await connect(cairn.dnsPort);
      assert.equal(await ask(next, name, 10), 10);
      next.destroy();
    } finally {
      for (const socket of open) socket.destroy();
    }
  });
});

describe("DNS over TCP with --dns-tcp-idle-timeout and --dns-tcp-connections", () => {
  let cairn: DnsCairn;

  before(async () => {
    cairn = await startCairnWithDns({ args: ["--dns-tcp-idle-timeout", "1", "--dns-tcp-connections", "2"] });
  });
  after(async () => {
    await cairn?.stop();
  });

  test("an idle connection is closed after the idle timeout, one that asked and read too", async () => {
    const silent = await connect(cairn.dnsPort);
    const talked = await connect(cairn.dnsPort);
    assert.equal(await ask(talked, "example.org", 3), 3);
    const [a, b] = await Promise.all([closedWithin(silent, 5000), closedWithin(talked, 5000)]);
    assert.ok(a >= 800 && b >= 800, `closed after ${a} and ${b} ms, not before the 1 s timeout`);
    assert.ok((await metric(cairn, "cairn_dns_tcp_connections_closed_total", { reason: "idle" })) >= 2);
  });

  test("a connection that keeps asking outlives the idle timeout", async () => {
    const socket = await connect(cairn.dnsPort);
    for (let i = 1; i <= 8; i++) {
      assert.equal(await ask(socket, "example.org", i), i);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    assert.equal(socket.destroyed, false);
    socket.destroy();
  });

  test("a client that never reads its answers is closed once it stalls for the idle timeout", async () => {
    const socket = await connect(cairn.dnsPort);
    const one = framed("example.org");
    socket.write(Buffer.concat(Array.from({ length: Math.floor((8 * MB) / one.length) }, () => one)));
    await closedWithin(socket, 10_000);
  });

  test("the third connection is refused while two are open", async () => {
    const first = await connect(cairn.dnsPort);
    const second = await connect(cairn.dnsPort);
    const third = await connect(cairn.dnsPort);
    assert.equal(await ask(third, "example.org", 1), undefined);
    assert.equal(await ask(first, "example.org", 2), 2);
    assert.equal(await ask(second, "example.org", 3), 3);
    first.destroy();
    second.destroy();
  });
});
