import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import type { CairnProcess } from "../support/cairn-process.js";
import { cloudMap } from "../support/clients.js";
import { dig, startCairnWithDns } from "../support/dns.js";
import { namespace, register, service, type TestNamespace } from "../support/registry.js";

/** The real ISC `dig` (Debian's dnsutils, installed by .ci/run) against Cairn's DNS port. */
const digMissing = spawnSync("dig", ["-v"]).error !== undefined;
const skip = digMissing ? "dig is not installed (apt-get install dnsutils)" : false;

describe("dig", { skip }, () => {
  let cairn: CairnProcess & { dnsPort: number };
  let zone: TestNamespace;
  const run = async (...args: string[]): Promise<string> => (await dig(cairn.dnsPort, args))!;

  before(async () => {
    cairn = await startCairnWithDns();
    const sd = cloudMap(cairn);
    zone = await namespace(sd, "private");
    const web = await service(sd, { NamespaceId: zone.id, Name: "web", DnsConfig: { RoutingPolicy: "MULTIVALUE", DnsRecords: [{ Type: "A", TTL: 60 }] } });
    await register(sd, web.Id!, "w1", { AWS_INSTANCE_IPV4: "10.8.0.1" });
    await register(sd, web.Id!, "w2", { AWS_INSTANCE_IPV4: "10.8.0.2" });
    const api = await service(sd, { NamespaceId: zone.id, Name: "_api._tcp", DnsConfig: { RoutingPolicy: "MULTIVALUE", DnsRecords: [{ Type: "SRV", TTL: 60 }] } });
    await register(sd, api.Id!, "a1", { AWS_INSTANCE_IPV4: "10.8.1.1", AWS_INSTANCE_PORT: "8443" });
  });
  after(async () => {
    await cairn?.stop();
  });

  test("A", async () => {
    const out = await run(`web.${zone.name}`, "A", "+noall", "+answer");
    assert.match(out, new RegExp(`^web\\.${zone.name.replaceAll(".", "\\.")}\\.\\s+60\\s+IN\\s+A\\s+10\\.8\\.0\\.1$`, "m"));
    assert.match(out, /\sA\s+10\.8\.0\.2$/m);
  });

  test("SRV, and the target's address", async () => {
    assert.equal((await run(`_api._tcp.${zone.name}`, "SRV", "+short")).trim(), `1 1 8443 a1._api._tcp.${zone.name}.`);
    assert.equal((await run(`a1._api._tcp.${zone.name}`, "A", "+short")).trim(), "10.8.1.1");
  });

  test("+tcp", async () => {
    const out = await run(`web.${zone.name}`, "A", "+tcp");
    assert.match(out, /status: NOERROR/);
    assert.match(out, /flags: qr aa rd; QUERY: 1, ANSWER: 2,/);
  });

  test("NXDOMAIN, with the SOA in the authority section", async () => {
    const out = await run(`missing.${zone.name}`, "A");
    assert.match(out, /status: NXDOMAIN/);
    assert.match(out, /AUTHORITY SECTION:\n\S+\s+\d+\s+IN\s+SOA\s+ns1\./);
  });

  test("NODATA and REFUSED", async () => {
    assert.match(await run(`web.${zone.name}`, "AAAA"), /status: NOERROR.*\n.*ANSWER: 0,/);
    assert.match(await run("example.org", "A"), /status: REFUSED/);
  });
});
