import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { describeTarget, probe } from "../../src/health/probe.js";
import { probeTargetOf } from "../../src/health/targets.js";
import { SELF_SIGNED } from "../support/self-signed.js";

const paths: string[] = [];
const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
  paths.push(req.url ?? "");
  const status = Number(/^\/status\/(\d+)$/.exec(req.url ?? "")?.[1] ?? 200);
  res.writeHead(status, status >= 300 && status < 400 ? { location: "/elsewhere" } : {});
  res.end("body");
};
const plain = http.createServer(handler);
const secure = https.createServer(SELF_SIGNED, handler);
/** Accepts connections and never answers. */
const silent = net.createServer(() => {});
const port = (s: net.Server) => (s.address() as AddressInfo).port;
let closedPort: number;

before(async () => {
  for (const s of [plain, secure, silent]) await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", () => resolve()));
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", () => resolve()));
  closedPort = port(s);
  await new Promise<void>((resolve) => s.close(() => resolve()));
});
after(async () => {
  silent.close();
  for (const s of [plain, secure, silent]) (s as http.Server).closeAllConnections?.();
  await Promise.all([plain, secure].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

describe("health probes", () => {
  test("HTTP: a GET of the resource path; 200-399 is healthy, redirects are not followed", async () => {
    const at = (path: string) => probe({ type: "HTTP", address: "127.0.0.1", port: port(plain), path }, 2000);
    assert.deepEqual(await at("/health"), { healthy: true, detail: "HTTP 200" });
    assert.deepEqual(await at("/status/302"), { healthy: true, detail: "HTTP 302" });
    assert.deepEqual(await at("/status/399"), { healthy: true, detail: "HTTP 399" });
    assert.deepEqual(await at("/status/404"), { healthy: false, detail: "HTTP 404" });
    assert.deepEqual(await at("/status/500"), { healthy: false, detail: "HTTP 500" });
    assert.ok(paths.includes("/health"));
    assert.ok(!paths.includes("/elsewhere"));
  });

  test("HTTPS: a self-signed certificate is accepted", async () => {
    assert.deepEqual(await probe({ type: "HTTPS", address: "127.0.0.1", port: port(secure), path: "/" }, 2000), { healthy: true, detail: "HTTP 200" });
  });

  test("TCP: healthy when the connection is accepted", async () => {
    assert.deepEqual(await probe({ type: "TCP", address: "127.0.0.1", port: port(silent) }, 2000), { healthy: true, detail: "connected" });
    assert.deepEqual(await probe({ type: "TCP", address: "127.0.0.1", port: closedPort }, 2000), { healthy: false, detail: "ECONNREFUSED" });
  });

  test("an endpoint that never answers fails at the timeout", async () => {
    assert.deepEqual(await probe({ type: "HTTP", address: "127.0.0.1", port: port(silent), path: "/" }, 200), { healthy: false, detail: "timed out after 200 ms" });
  });

  test("the target: IPv4 (else IPv6) and port from the instance, path from the check", () => {
    assert.deepEqual(probeTargetOf({ Type: "HTTP" }, { AWS_INSTANCE_IPV4: "10.0.0.1", AWS_INSTANCE_PORT: "80" }), { type: "HTTP", address: "10.0.0.1", port: 80, path: "/" });
    const v6 = probeTargetOf({ Type: "HTTPS", ResourcePath: "/hc" }, { AWS_INSTANCE_IPV6: "2001:db8::1", AWS_INSTANCE_PORT: "443" })!;
    assert.equal(describeTarget(v6), "https://[2001:db8::1]:443/hc");
    assert.equal(probeTargetOf({ Type: "TCP" }, { AWS_INSTANCE_IPV4: "10.0.0.1" }), undefined);
  });
});
