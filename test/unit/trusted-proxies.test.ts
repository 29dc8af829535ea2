import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { NO_TRUSTED_PROXIES, clientAddress, parseTrustedProxies, plainAddress, trustedProxies } from "../../src/server/trusted-proxies.js";

describe("trusted proxies", () => {
  test("the list parses addresses and CIDR blocks, and refuses anything else", () => {
    assert.deepEqual(parseTrustedProxies(" 10.0.0.0/8, 127.0.0.1,::1 , fd00::/8,"), ["10.0.0.0/8", "127.0.0.1", "::1", "fd00::/8"]);
    for (const bad of ["localhost", "10.0.0.0/33", "10.0.0.0/", "::1/129", "1.2.3.4/8/8", "10.0.0.0/x"]) {
      assert.throws(() => parseTrustedProxies(bad), /not an IP address or CIDR block/, bad);
    }
  });

  test("membership by address and by block, IPv4 and IPv6", () => {
    const t = trustedProxies(["10.0.0.0/8", "127.0.0.1", "fd00::/8"]);
    assert.equal(t.has("10.200.3.4"), true);
    assert.equal(t.has("127.0.0.1"), true);
    assert.equal(t.has("127.0.0.2"), false);
    assert.equal(t.has("fd12::1"), true);
    assert.equal(t.has("2001:db8::1"), false);
    assert.equal(t.has("garbage"), false);
  });

  test("without trust, the socket's address; IPv4-mapped IPv6 shown as IPv4", () => {
    assert.equal(plainAddress("::ffff:192.0.2.1"), "192.0.2.1");
    assert.equal(plainAddress("::1"), "::1");
    assert.equal(clientAddress("::ffff:192.0.2.1", "203.0.113.9", NO_TRUSTED_PROXIES), "192.0.2.1");
    assert.equal(clientAddress("192.0.2.1", "203.0.113.9", trustedProxies(["10.0.0.0/8"])), "192.0.2.1");
  });

  test("from a trusted peer, X-Forwarded-For is walked right to left past trusted hops", () => {
    const t = trustedProxies(["10.0.0.0/8"]);
    const peer = "10.0.0.1";
    assert.equal(clientAddress(peer, undefined, t), "10.0.0.1");
    assert.equal(clientAddress(peer, "203.0.113.9", t), "203.0.113.9");
    assert.equal(clientAddress(peer, "198.51.100.1, 203.0.113.9, 10.0.0.7", t), "203.0.113.9");
    assert.equal(clientAddress(peer, ["198.51.100.1", "10.0.0.7"], t), "198.51.100.1");
    assert.equal(clientAddress(peer, "10.0.0.8, 10.0.0.7", t), "10.0.0.8", "every hop trusted: the farthest");
    assert.equal(clientAddress(peer, "203.0.113.9:443", t), "203.0.113.9");
    assert.equal(clientAddress(peer, "[2001:db8::5]:443", t), "2001:db8::5");
    assert.equal(clientAddress(peer, "::ffff:203.0.113.9", t), "203.0.113.9");
    assert.equal(clientAddress(peer, "203.0.113.9, bogus", t), "10.0.0.1", "a malformed hop stops the walk");
    assert.equal(clientAddress(peer, "bogus, 10.0.0.7", t), "10.0.0.7");
  });
});
