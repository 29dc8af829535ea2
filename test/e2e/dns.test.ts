import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Resolver } from "node:dns/promises";
import {
  DeregisterInstanceCommand,
  ServiceDiscoveryClient,
  UpdateInstanceCustomHealthStatusCommand,
  UpdateServiceCommand,
  type CreateServiceCommandInput,
} from "@aws-sdk/client-servicediscovery";
import type { CairnProcess } from "../support/cairn-process.js";
import { cloudMap } from "../support/clients.js";
import { uniqueName } from "../support/cloudmap.js";
import { ednsQuestion, eventually, queryTcp, queryUdp, question, resolverFor, startCairnWithDns } from "../support/dns.js";
import { namespace, register, service, type TestNamespace } from "../support/registry.js";

let cairn: CairnProcess & { dnsPort: number };
let sd: ServiceDiscoveryClient;
let resolver: Resolver;
let zone: TestNamespace;

const dnsService = (name: string, records: ("A" | "AAAA" | "SRV" | "CNAME")[], policy: "MULTIVALUE" | "WEIGHTED" = "MULTIVALUE", extra: Partial<CreateServiceCommandInput> = {}) =>
  service(sd, { NamespaceId: zone.id, Name: name, DnsConfig: { RoutingPolicy: policy, DnsRecords: records.map((Type) => ({ Type, TTL: 42 })) }, ...extra });

/** Asks `times` times and collects every distinct answer seen. */
async function distinct(times: number, ask: () => Promise<string[]>): Promise<{ sizes: Set<number>; values: Set<string> }> {
  const sizes = new Set<number>();
  const values = new Set<string>();
  for (let i = 0; i < times; i++) {
    const answer = await ask();
    sizes.add(answer.length);
    for (const v of answer) values.add(v);
  }
  return { sizes, values };
}

before(async () => {
  cairn = await startCairnWithDns();
  sd = cloudMap(cairn);
  resolver = resolverFor(cairn.dnsPort);
  zone = await namespace(sd, "private");
});
after(async () => {
  await cairn.stop();
});

describe("records per instance", () => {
  test("A: the service name answers its instances' IPv4 addresses with the service's TTL", async () => {
    const s = await dnsService("web", ["A"]);
    await register(sd, s.Id!, "w1", { AWS_INSTANCE_IPV4: "10.0.0.1" });
    await register(sd, s.Id!, "w2", { AWS_INSTANCE_IPV4: "10.0.0.2" });
    const answer = await resolver.resolve4(`web.${zone.name}`, { ttl: true });
    assert.deepEqual(answer.map((a) => a.address).sort(), ["10.0.0.1", "10.0.0.2"]);
    assert.deepEqual(answer.map((a) => a.ttl), [42, 42]);
  });

  test("names are case-insensitive", async () => {
    const answer = await resolver.resolve4(`WEB.${zone.name.toUpperCase()}`);
    assert.deepEqual(answer.sort(), ["10.0.0.1", "10.0.0.2"]);
  });

  test("AAAA, and A + AAAA for whichever addresses an instance has", async () => {
    const v6 = await dnsService("v6", ["AAAA"]);
    await register(sd, v6.Id!, "a", { AWS_INSTANCE_IPV6: "2001:db8::1" });
    assert.deepEqual(await resolver.resolve6(`v6.${zone.name}`), ["2001:db8::1"]);

    const dual = await dnsService("dual", ["A", "AAAA"]);
    await register(sd, dual.Id!, "both", { AWS_INSTANCE_IPV4: "10.0.1.1", AWS_INSTANCE_IPV6: "2001:db8::11" });
    await register(sd, dual.Id!, "v4only", { AWS_INSTANCE_IPV4: "10.0.1.2" });
    assert.deepEqual((await resolver.resolve4(`dual.${zone.name}`)).sort(), ["10.0.1.1", "10.0.1.2"]);
    assert.deepEqual(await resolver.resolve6(`dual.${zone.name}`), ["2001:db8::11"]);
  });

  test("SRV: 1 1 <port> <instance>.<service>.<namespace>, and each target resolves", async () => {
    const s = await dnsService("_api._tcp", ["SRV"]);
    await register(sd, s.Id!, "api-1", { AWS_INSTANCE_IPV4: "10.0.2.1", AWS_INSTANCE_PORT: "8001" });
    await register(sd, s.Id!, "api-2", { AWS_INSTANCE_IPV6: "2001:db8::21", AWS_INSTANCE_PORT: "8002" });
    const srv = (await resolver.resolveSrv(`_api._tcp.${zone.name}`)).sort((a, b) => a.port - b.port);
    assert.deepEqual(srv, [
      { name: `api-1._api._tcp.${zone.name}`, port: 8001, priority: 1, weight: 1 },
      { name: `api-2._api._tcp.${zone.name}`, port: 8002, priority: 1, weight: 1 },
    ]);
    assert.deepEqual(await resolver.resolve4(`api-1._api._tcp.${zone.name}`), ["10.0.2.1"]);
    assert.deepEqual(await resolver.resolve6(`api-2._api._tcp.${zone.name}`), ["2001:db8::21"]);
    const raw = await queryUdp(cairn.dnsPort, question(`api-1._api._tcp.${zone.name}`, "A"));
    const [address] = raw.answers!;
    assert.equal(address?.type === "A" && address.ttl, 42, "the target's address has the SRV record's TTL");
  });

  test("CNAME (WEIGHTED): the instance's CNAME, also as the answer to other types at that name", async () => {
    const s = await dnsService("alias", ["CNAME"], "WEIGHTED");
    await register(sd, s.Id!, "c1", { AWS_INSTANCE_CNAME: "backend.example.com" });
    assert.deepEqual(await resolver.resolveCname(`alias.${zone.name}`), ["backend.example.com"]);
    const raw = await queryUdp(cairn.dnsPort, question(`alias.${zone.name}`, "A"));
    assert.equal(raw.rcode, "NOERROR");
    assert.deepEqual(raw.answers!.map((a) => [a.type, a.type === "CNAME" ? a.data : undefined]), [["CNAME", "backend.example.com"]]);
  });

  test("public DNS namespaces are served too", async () => {
    const pub = await namespace(sd, "public");
    const s = await service(sd, { NamespaceId: pub.id, Name: "www", DnsConfig: { RoutingPolicy: "MULTIVALUE", DnsRecords: [{ Type: "A", TTL: 300 }] } });
    await register(sd, s.Id!, "p1", { AWS_INSTANCE_IPV4: "192.0.2.10" });
    assert.deepEqual(await resolver.resolve4(`www.${pub.name}`), ["192.0.2.10"]);
  });
});

describe("routing policies and health", () => {
  test("MULTIVALUE: at most 8 values, a different random subset from query to query", async () => {
    const s = await dnsService("many", ["A"]);
    for (let i = 1; i <= 12; i++) await register(sd, s.Id!, `m${i}`, { AWS_INSTANCE_IPV4: `10.1.0.${i}` });
    const seen = await distinct(40, () => resolver.resolve4(`many.${zone.name}`));
    assert.deepEqual([...seen.sizes], [8]);
    assert.equal(seen.values.size, 12, "every instance appears in some answer");
  });

  test("WEIGHTED: exactly one value, chosen at random", async () => {
    const s = await dnsService("one", ["A"], "WEIGHTED");
    for (let i = 1; i <= 3; i++) await register(sd, s.Id!, `o${i}`, { AWS_INSTANCE_IPV4: `10.2.0.${i}` });
    const seen = await distinct(40, () => resolver.resolve4(`one.${zone.name}`));
    assert.deepEqual([...seen.sizes], [1]);
    assert.ok(seen.values.size > 1, `answers vary: ${[...seen.values].join(", ")}`);
  });

  test("unhealthy instances are left out; with none healthy, all are answered (Route 53's rule)", async () => {
    const s = await dnsService("custom", ["A"], "MULTIVALUE", { HealthCheckCustomConfig: {} });
    await register(sd, s.Id!, "h1", { AWS_INSTANCE_IPV4: "10.3.0.1" });
    await register(sd, s.Id!, "h2", { AWS_INSTANCE_IPV4: "10.3.0.2", AWS_INIT_HEALTH_STATUS: "UNHEALTHY" });
    assert.deepEqual(await resolver.resolve4(`custom.${zone.name}`), ["10.3.0.1"]);
    await sd.send(new UpdateInstanceCustomHealthStatusCommand({ ServiceId: s.Id, InstanceId: "h1", Status: "UNHEALTHY" }));
    assert.deepEqual((await resolver.resolve4(`custom.${zone.name}`)).sort(), ["10.3.0.1", "10.3.0.2"]);
    await sd.send(new UpdateInstanceCustomHealthStatusCommand({ ServiceId: s.Id, InstanceId: "h2", Status: "HEALTHY" }));
    assert.deepEqual(await resolver.resolve4(`custom.${zone.name}`), ["10.3.0.2"]);
  });

  test("registrations, deregistrations and TTL changes show in the next answers", async () => {
    const s = await dnsService("moving", ["A"]);
    await register(sd, s.Id!, "x1", { AWS_INSTANCE_IPV4: "10.4.0.1" });
    const answers = () => resolver.resolve4(`moving.${zone.name}`, { ttl: true });
    await eventually(async () => (await answers()).length === 1, 1000, "the first registration");
    await register(sd, s.Id!, "x2", { AWS_INSTANCE_IPV4: "10.4.0.2" });
    await eventually(async () => (await answers()).length === 2, 1000, "the second registration");
    await sd.send(new DeregisterInstanceCommand({ ServiceId: s.Id, InstanceId: "x1" }));
    await eventually(async () => (await answers()).map((a) => a.address).join() === "10.4.0.2", 1000, "the deregistration");
    await sd.send(new UpdateServiceCommand({ Id: s.Id, Service: { DnsConfig: { DnsRecords: [{ Type: "A", TTL: 7 }] } } }));
    await eventually(async () => (await answers())[0]!.ttl === 7, 1000, "the new TTL");
  });
});

describe("negative answers and the zone apex", () => {
  test("NXDOMAIN for a name with no records, with the zone's SOA for negative caching", async () => {
    await assert.rejects(resolver.resolve4(`nothing-here.${zone.name}`), { code: "ENOTFOUND" });
    const raw = await queryUdp(cairn.dnsPort, question(`nothing-here.${zone.name}`, "A"));
    assert.equal(raw.rcode, "NXDOMAIN");
    assert.ok(raw.flag_aa);
    assert.deepEqual(raw.authorities!.map((a) => a.type), ["SOA"]);
  });

  test("a service without instances has no name yet: NXDOMAIN", async () => {
    await dnsService("empty", ["A"]);
    assert.equal((await queryUdp(cairn.dnsPort, question(`empty.${zone.name}`, "A"))).rcode, "NXDOMAIN");
  });

  test("NODATA: the name exists with other types, or only names below it exist", async () => {
    await assert.rejects(resolver.resolve6(`web.${zone.name}`), { code: "ENODATA" });
    for (const [name, type] of [[`web.${zone.name}`, "AAAA"], [`_tcp.${zone.name}`, "SRV"], [zone.name, "A"]] as const) {
      const raw = await queryUdp(cairn.dnsPort, question(name, type));
      assert.equal(raw.rcode, "NOERROR", name);
      assert.equal(raw.answers!.length, 0, name);
      assert.deepEqual(raw.authorities!.map((a) => a.type), ["SOA"], name);
    }
  });

  test("SOA and NS at the apex; the SOA TTL is the namespace's", async () => {
    const ns = await namespace(sd, "private", `${uniqueName("soa")}.internal`);
    const [soa] = (await queryUdp(cairn.dnsPort, question(ns.name, "SOA"))).answers!;
    assert.equal(soa!.type, "SOA");
    assert.equal(soa!.type === "SOA" && soa!.data.rname, `hostmaster.${ns.name}`);
    assert.deepEqual(await resolver.resolveNs(ns.name), [`ns1.${ns.name}`]);
  });

  test("REFUSED outside every DNS namespace, including HTTP namespaces", async () => {
    assert.equal((await queryUdp(cairn.dnsPort, question("example.org", "A"))).rcode, "REFUSED");
    const http = await namespace(sd, "http");
    const s = await service(sd, { NamespaceId: http.id, Name: "api" });
    await register(sd, s.Id!, "h", { AWS_INSTANCE_IPV4: "10.9.9.9" });
    const raw = await queryUdp(cairn.dnsPort, question(`api.${http.name}`, "A"));
    assert.equal(raw.rcode, "REFUSED");
    assert.equal(raw.flag_aa, false);
  });
});

describe("EDNS0, truncation and TCP", () => {
  let big: string;
  before(async () => {
    const s = await dnsService("_big._tcp", ["SRV"]);
    big = `_big._tcp.${zone.name}`;
    // Eight SRV values with long targets: about 900 bytes, more than a classic 512-byte UDP answer.
    for (let i = 1; i <= 8; i++) {
      await register(sd, s.Id!, `${String(i).padStart(2, "0")}-${"x".repeat(60)}`, { AWS_INSTANCE_IPV4: `10.5.0.${i}`, AWS_INSTANCE_PORT: "9000" });
    }
  });

  test("an OPT record in the query gets one back, advertising 1232 bytes", async () => {
    const raw = await queryUdp(cairn.dnsPort, ednsQuestion(`web.${zone.name}`, "A", 4096));
    const opt = raw.additionals!.find((a) => a.type === "OPT");
    assert.ok(opt && opt.type === "OPT");
    assert.equal(opt.udpPayloadSize, 1232);
    assert.equal(opt.ednsVersion, 0);
    assert.equal(raw.answers!.length, 2);
  });

  test("an answer larger than the UDP size is truncated (TC, no records); over TCP it is whole", async () => {
    const udp = await queryUdp(cairn.dnsPort, question(big, "SRV"));
    assert.equal(udp.flag_tc, true);
    assert.equal(udp.answers!.length, 0);
    const tcp = await queryTcp(cairn.dnsPort, question(big, "SRV"));
    assert.equal(tcp.flag_tc, false);
    assert.equal(tcp.answers!.length, 8);
  });

  test("with EDNS0 the client's larger UDP size lets the same answer through", async () => {
    const raw = await queryUdp(cairn.dnsPort, ednsQuestion(big, "SRV", 4096));
    assert.equal(raw.flag_tc, false);
    assert.equal(raw.answers!.length, 8);
  });

  test("node's resolver retries over TCP by itself", async () => {
    assert.equal((await resolver.resolveSrv(big)).length, 8);
  });

  test("an unsupported EDNS version gets BADVERS", async () => {
    const query = ednsQuestion(`web.${zone.name}`, "A", 1232);
    (query.additionals![0] as { ednsVersion: number }).ednsVersion = 1;
    const raw = await queryUdp(cairn.dnsPort, query);
    const opt = raw.additionals!.find((a) => a.type === "OPT");
    assert.ok(opt && opt.type === "OPT");
    assert.equal(opt.extendedRcode, 1, "BADVERS is extended rcode 16: 1 in the OPT record, 0 in the header");
    assert.equal(raw.answers!.length, 0);
  });
});
