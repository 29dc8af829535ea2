import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import dgram from "node:dgram";
import net from "node:net";
import * as packet from "dns-packet";
import { startDnsServer, type DnsServer } from "../../src/dns/server.js";
import type { DnsObserver } from "../../src/dns/observer.js";
import { DiscoveryView } from "../../src/view/discovery-view.js";
import { namespaceRecord } from "../support/view-records.js";

const view = new DiscoveryView();
view.putNamespace(namespaceRecord({ id: "ns-1", name: "zone.test", type: "DNS_PUBLIC" }));
const seen: string[] = [];
const observer: DnsObserver = {
  answered: (transport, r) => seen.push(`${transport} ${r.qtype} ${r.rcode}`),
  rateLimited: (action) => seen.push(`rate-limited ${action}`),
  tcpClosed: (reason) => seen.push(`tcp closed ${reason}`),
};
const options = { host: "127.0.0.1", port: 0, tcp: { idleMs: 10_000, maxConnections: 256 }, rateLimit: 0 };
let server: DnsServer;

before(async () => {
  server = await startDnsServer(view, options, observer);
});
after(async () => {
  await server.close();
});

const query = (id: number, name: string, type: "SOA" | "NS" | "A") => packet.encode({ id, type: "query", questions: [{ name, type }] });

function framed(q: Buffer): Buffer {
  const prefix = Buffer.alloc(2);
  prefix.writeUInt16BE(q.length);
  return Buffer.concat([prefix, q]);
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("DNS listeners", () => {
  test("UDP and TCP share one port; the observer sees each answer's transport, type and rcode", async () => {
    const udp = dgram.createSocket("udp4");
    const answer = await new Promise<Buffer>((resolve) => {
      udp.once("message", resolve);
      udp.send(query(1, "zone.test", "SOA"), server.port, "127.0.0.1");
    });
    udp.close();
    assert.equal(packet.decode(answer).answers![0]!.type, "SOA");
    assert.deepEqual(seen.splice(0), ["udp SOA NOERROR"]);
  });

  test("TCP: pipelined queries in one write, split across reads, are answered in order", async () => {
    const socket = net.connect(server.port, "127.0.0.1");
    const framed3 = Buffer.concat([query(1, "zone.test", "NS"), query(2, "x.zone.test", "A"), query(3, "example.org", "A")].map(framed));
    const answers = new Promise<number[]>((resolve) => {
      let data = Buffer.alloc(0);
      const ids: number[] = [];
      socket.on("data", (chunk: Buffer) => {
        data = Buffer.concat([data, chunk]);
        while (data.length >= 2 && data.length >= 2 + data.readUInt16BE(0)) {
          ids.push(packet.decode(data.subarray(2, 2 + data.readUInt16BE(0))).id!);
          data = data.subarray(2 + data.readUInt16BE(0));
        }
        if (ids.length === 3) resolve(ids);
      });
    });
    socket.write(framed3.subarray(0, 5));
    socket.write(framed3.subarray(5));
    assert.deepEqual(await answers, [1, 2, 3]);
    socket.destroy();
    assert.deepEqual(seen.splice(0), ["tcp NS NOERROR", "tcp A NXDOMAIN", "tcp A REFUSED"]);
  });

  test("close() returns although a client keeps its TCP connection open", async () => {
    const other = await startDnsServer(view, options);
    const socket = net.connect(other.port, "127.0.0.1");
    await new Promise((resolve) => socket.once("connect", resolve));
    await other.close();
    await new Promise((resolve) => socket.once("close", resolve));
  });

  test("TCP: a client that does not read its answers is no longer read; once it reads, every query is answered", async () => {
    const socket = net.connect(server.port, "127.0.0.1");
    socket.pause();
    const count = 200_000;
    const one = framed(query(1, "zone.test", "SOA"));
    socket.write(Buffer.concat(Array.from({ length: count }, () => one)));
    const answered = (): number => seen.filter((line) => line === "tcp SOA NOERROR").length;
    let before = -1;
    while (answered() !== before) {
      before = answered();
      await pause(200);
    }
    assert.ok(before < count / 2, `only some queries are answered while the client does not read (${before})`);
    socket.resume();
    while (answered() < count) await pause(50);
    assert.equal(answered(), count);
    socket.destroy();
    seen.splice(0);
  });

  test("TCP: idle connections are closed after the idle time, connections over the limit at once", async () => {
    const other = await startDnsServer(view, { ...options, tcp: { idleMs: 200, maxConnections: 1 } }, observer);
    const first = net.connect(other.port, "127.0.0.1");
    await new Promise((resolve) => first.once("connect", resolve));
    const second = net.connect(other.port, "127.0.0.1");
    second.on("error", () => {});
    await new Promise((resolve) => second.once("close", resolve));
    const started = Date.now();
    await new Promise((resolve) => first.once("close", resolve));
    assert.ok(Date.now() - started >= 100);
    assert.deepEqual(seen.splice(0), ["tcp closed limit", "tcp closed idle"]);
    await other.close();
  });
});
