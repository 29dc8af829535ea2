import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as packet from "dns-packet";
import { reply, slipped } from "../../src/dns/message.js";
import { DiscoveryView } from "../../src/view/discovery-view.js";
import { namespaceRecord, serviceRecord } from "../support/view-records.js";

/** A long service name, so that eight AAAA records (dns-packet does not compress names) exceed 512 bytes. */
const LONG = `many-${"x".repeat(40)}`;
const view = new DiscoveryView();
view.putNamespace(namespaceRecord({ id: "ns-1", name: "zone.test", type: "DNS_PRIVATE", soaTtl: 30 }));
view.putService(
  serviceRecord({ id: "srv-1", namespaceId: "ns-1", name: LONG, type: "DNS_HTTP", dnsConfig: { RoutingPolicy: "MULTIVALUE", DnsRecords: [{ Type: "AAAA", TTL: 60 }] } }),
  Array.from({ length: 8 }, (_, i) => ({
    serviceId: "srv-1",
    id: `i${i}`,
    namespaceId: "ns-1",
    attributes: { AWS_INSTANCE_IPV6: `2001:db8::${i + 1}` },
    createdByAccount: "111111111111",
    healthStatus: "UNKNOWN" as const,
    createDate: new Date(0),
    updateDate: new Date(0),
  })),
);

const ask = (p: packet.Packet, transport: "udp" | "tcp" = "udp") => {
  const out = reply(view, packet.encode({ id: 7, type: "query", flags: packet.RECURSION_DESIRED, ...p }), transport);
  return out && { ...out, decoded: packet.decode(out.bytes) as packet.DecodedPacket & { rcode: string } };
};

describe("DNS messages", () => {
  test("an answer echoes ID, question and RD, is authoritative, and does not offer recursion", () => {
    const out = ask({ questions: [{ name: "zone.test", type: "SOA" }] })!;
    assert.equal(out.decoded.id, 7);
    assert.deepEqual(out.decoded.questions, [{ name: "zone.test", type: "SOA", class: "IN" }]);
    assert.equal(out.decoded.flag_rd, true);
    assert.equal(out.decoded.flag_aa, true);
    assert.equal(out.decoded.flag_ra, false);
    assert.equal(out.decoded.answers![0]!.type === "SOA" && out.decoded.answers![0]!.data.minimum, 30);
    assert.deepEqual([out.qtype, out.rcode, out.truncated], ["SOA", "NOERROR", false]);
  });

  test("eight AAAA records (over 512 bytes) are truncated over plain UDP only", () => {
    const udp = ask({ questions: [{ name: `${LONG}.zone.test`, type: "AAAA" }] })!;
    assert.equal(udp.bytes.length <= 512, true);
    assert.equal(udp.decoded.flag_tc, true);
    assert.equal(udp.decoded.answers!.length, 0);
    assert.equal(udp.truncated, true);
    assert.equal(ask({ questions: [{ name: `${LONG}.zone.test`, type: "AAAA" }] }, "tcp")!.decoded.answers!.length, 8);
  });

  test("a message with a readable header but a broken body gets FORMERR; shorter garbage gets nothing", () => {
    const broken = Buffer.from([0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0x05, 0x61]);
    const out = reply(view, broken, "udp")!;
    assert.equal(out.rcode, "FORMERR");
    assert.equal(out.bytes.readUInt16BE(0), 0x1234);
    assert.equal(out.bytes.readUInt16BE(2) & 0x800f, 0x8001);
    assert.equal(reply(view, Buffer.from([1, 2, 3]), "udp"), undefined);
  });

  test("responses are ignored; other opcodes get NOTIMP; two questions FORMERR; class CH REFUSED", () => {
    assert.equal(reply(view, packet.encode({ type: "response", questions: [{ name: "zone.test", type: "A" }] }), "udp"), undefined);
    const status = ask({ flags: 2 << 11, questions: [{ name: "zone.test", type: "A" }] })!;
    assert.equal(status.rcode, "NOTIMP");
    assert.equal(((status.decoded.flags ?? 0) >> 11) & 15, 2, "the opcode is echoed");
    assert.equal(ask({ questions: [{ name: "zone.test", type: "A" }, { name: "zone.test", type: "NS" }] })!.rcode, "FORMERR");
    assert.equal(ask({ questions: [] })!.rcode, "FORMERR");
    assert.equal(ask({ questions: [{ name: "zone.test", type: "A", class: "CH" }] })!.rcode, "REFUSED");
  });

  test("ANY at the apex gives the SOA alone (RFC 8482)", () => {
    const out = ask({ questions: [{ name: "zone.test", type: "ANY" as packet.RecordType }] })!;
    assert.deepEqual(out.decoded.answers!.map((a) => a.type), ["SOA"]);
  });

  test("a slipped answer is the header with TC=1 and RD echoed, and the question, nothing else", () => {
    const query = packet.encode({ id: 9, type: "query", flags: packet.RECURSION_DESIRED, questions: [{ name: `${LONG}.zone.test`, type: "AAAA" }] });
    const out = packet.decode(slipped(query)!);
    assert.deepEqual([out.id, out.type, out.flag_tc, out.flag_rd], [9, "response", true, true]);
    assert.deepEqual(out.questions, [{ name: `${LONG}.zone.test`, type: "AAAA", class: "IN" }]);
    assert.equal(out.answers!.length + out.authorities!.length + out.additionals!.length, 0);
    assert.equal(slipped(Buffer.from([1, 2, 3])), undefined);
  });
});
