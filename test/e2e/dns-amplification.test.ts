import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import dgram from "node:dgram";
import * as packet from "dns-packet";
import type { CairnProcess } from "../support/cairn-process.js";
import { cloudMap } from "../support/clients.js";
import { queryTcp, queryUdp, question, startCairnWithDns, type DnsResponse } from "../support/dns.js";
import { parseExposition } from "../support/prometheus.js";
import { namespace, register, service, type TestNamespace } from "../support/registry.js";

/**
 * Cairn's UDP port as a reflector: an attacker spoofs a victim's address and wants many large answers sent
 * there. ANY gets a minimal answer (RFC 8482) and answers per client prefix are rate-limited, with every
 * second limited answer sent empty with TC=1 so that a real client behind the prefix retries over TCP.
 */

type DnsCairn = CairnProcess & { dnsPort: number };

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends `count` copies of a query from `from`, ten every 2 ms (so that no socket buffer overflows), and collects
 * every answer arriving within `waitMs` after the last; `seconds` is how long the sending took.
 */
async function burst(port: number, query: Buffer, count: number, from = "127.0.0.1", waitMs = 500): Promise<DnsResponse[] & { seconds: number }> {
  const socket = dgram.createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, from, () => resolve()));
  const answers: DnsResponse[] = [];
  socket.on("message", (msg) => answers.push(packet.decode(msg) as DnsResponse));
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    if (i > 0 && i % 10 === 0) await pause(2);
    socket.send(query, port, "127.0.0.1");
  }
  const seconds = (performance.now() - started) / 1000;
  await pause(waitMs);
  socket.close();
  return Object.assign(answers, { seconds });
}

const isTruncated = (a: DnsResponse): boolean => ((a.flags ?? 0) & packet.TRUNCATED_RESPONSE) !== 0;

async function metric(cairn: CairnProcess, name: string, labels: Record<string, string>): Promise<number> {
  return parseExposition(await (await fetch(`${cairn.url}/_cairn/metrics`)).text()).value(name, labels);
}

describe("DNS amplification", () => {
  let cairn: DnsCairn;
  let zone: TestNamespace;
  let web: string;

  before(async () => {
    // Its own process, as in every rate-limit test here: the limits count real time, which a server sharing the
    // sending test's event loop would see stretched.
    cairn = await startCairnWithDns({ spawn: true });
    const sd = cloudMap(cairn);
    zone = await namespace(sd, "private");
    const s = await service(sd, {
      NamespaceId: zone.id,
      Name: "web",
      DnsConfig: { RoutingPolicy: "MULTIVALUE", DnsRecords: [{ Type: "A", TTL: 60 }, { Type: "AAAA", TTL: 60 }] },
    });
    for (let i = 1; i <= 8; i++) await register(sd, s.Id!, `w${i}`, { AWS_INSTANCE_IPV4: `10.7.0.${i}`, AWS_INSTANCE_IPV6: `2001:db8::7:${i}` });
    web = `web.${zone.name}`;
  });
  after(async () => {
    await cairn?.stop();
  });

  test("ANY gets one RRset (RFC 8482): the A records at a service, the SOA at the apex", async () => {
    const any = await queryUdp(cairn.dnsPort, question(web, "ANY" as "A"));
    assert.equal(any.rcode, "NOERROR");
    assert.deepEqual(new Set(any.answers!.map((a) => a.type)), new Set(["A"]));
    const a = await queryUdp(cairn.dnsPort, question(web, "A"));
    assert.equal(packet.encode(any).length, packet.encode(a).length, "ANY is no bigger than A");
    const apex = await queryUdp(cairn.dnsPort, question(zone.name, "ANY" as "A"));
    assert.deepEqual(apex.answers!.map((r) => r.type), ["SOA"]);
    // The other types are still there for whoever asks for them.
    assert.equal((await queryUdp(cairn.dnsPort, question(web, "AAAA"))).answers!.length, 8);
    assert.deepEqual((await queryUdp(cairn.dnsPort, question(zone.name, "NS"))).answers!.map((r) => r.type), ["NS"]);
  });

  test("a burst from one /24 gets 100 answers; of the rest every second one is truncated and empty, the others dropped", async () => {
    await pause(1100); // a full bucket
    const query = packet.encode({ id: 77, type: "query", questions: [{ name: web, type: "A" }] });
    const answers = await burst(cairn.dnsPort, query, 400);
    const full = answers.filter((a) => !isTruncated(a));
    const slipped = answers.filter(isTruncated);
    // One second's worth at once, then 100 a second: what the time spent sending adds.
    const refill = Math.ceil(answers.seconds * 100) + 2;
    assert.ok(full.length >= 100 && full.length <= 100 + refill, `${full.length} full answers in ${answers.seconds.toFixed(2)} s`);
    for (const a of full) assert.equal(a.answers!.length, 8);
    for (const a of slipped) {
      assert.equal(a.id, 77);
      assert.equal(a.type, "response");
      assert.deepEqual(a.questions, [{ name: web, type: "A", class: "IN" }]);
      assert.equal(a.answers!.length + a.authorities!.length + a.additionals!.length, 0);
    }
    const limited = 400 - full.length;
    assert.ok(Math.abs(slipped.length - limited / 2) <= 3, `${slipped.length} truncated of ${limited} limited`);
    assert.ok((await metric(cairn, "cairn_dns_rate_limited_total", { action: "slip" })) >= slipped.length);
    assert.ok((await metric(cairn, "cairn_dns_rate_limited_total", { action: "drop" })) >= limited - slipped.length - 2);

    // Meanwhile: another prefix is answered in full, and TCP (where the truncated answers send clients) too.
    const other = await burst(cairn.dnsPort, query, 5, "127.0.1.1", 300);
    assert.equal(other.filter((a) => !isTruncated(a) && a.answers!.length === 8).length, 5);
    assert.equal((await queryTcp(cairn.dnsPort, question(web, "A"))).answers!.length, 8);
  });

  test("the same /24 from other source addresses shares the limit; a second later answers flow again", async () => {
    await pause(1100);
    const query = packet.encode({ id: 78, type: "query", questions: [{ name: web, type: "A" }] });
    const first = await burst(cairn.dnsPort, query, 100, "127.0.0.1", 200);
    assert.ok(first.every((a) => !isTruncated(a)));
    const second = await burst(cairn.dnsPort, query, 40, "127.0.0.2", 300);
    assert.ok(second.filter((a) => !isTruncated(a)).length <= 40 - 10, "127.0.0.2 is limited with 127.0.0.1");
    await pause(1100);
    assert.equal((await burst(cairn.dnsPort, query, 50, "127.0.0.3", 300)).filter((a) => !isTruncated(a)).length, 50);
  });
});

describe("DNS rate limiting turned off (CAIRN_DNS_RATE_LIMIT=0) or set (--dns-rate-limit)", () => {
  let off: DnsCairn;
  let low: DnsCairn;

  before(async () => {
    [off, low] = await Promise.all([startCairnWithDns({ spawn: true, env: { CAIRN_DNS_RATE_LIMIT: "0" } }), startCairnWithDns({ spawn: true, args: ["--dns-rate-limit", "10"] })]);
  });
  after(async () => {
    await Promise.all([off?.stop(), low?.stop()]);
  });

  test("0: every query of a burst is answered in full", async () => {
    const query = packet.encode({ id: 5, type: "query", questions: [{ name: "example.org", type: "A" }] });
    const answers = await burst(off.dnsPort, query, 300);
    assert.equal(answers.filter((a) => !isTruncated(a) && a.rcode === "REFUSED").length, 300);
  });

  test("10: ten answers per second", async () => {
    const query = packet.encode({ id: 6, type: "query", questions: [{ name: "example.org", type: "A" }] });
    const answers = await burst(low.dnsPort, query, 40, "127.0.0.1", 300);
    const full = answers.filter((a) => !isTruncated(a)).length;
    assert.ok(full >= 10 && full <= 10 + Math.ceil(answers.seconds * 10) + 1, `${full} full answers`);
    assert.ok(Math.abs(answers.length - full - (40 - full) / 2) <= 1, `${answers.length - full} truncated`);
  });
});
