import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { gunzipSync } from "node:zlib";
import { startCairn, type CairnProcess } from "../support/cairn-process.js";

/** A raw request, so paths reach Cairn exactly as written (fetch would normalise `..` away). */
function get(url: string, path: string, options: { method?: string; headers?: Record<string, string> } = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const { hostname, port } = new URL(url);
    // An options object keeps the path exactly as given: no dot-segment resolution.
    const req = http.request({ hostname, port, path, method: options.method ?? "GET", headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the console's static files at /console/", () => {
  let cairn: CairnProcess;
  let scriptPath: string;

  before(async () => {
    cairn = await startCairn();
  });
  after(async () => {
    await cairn.stop();
  });

  test("/console and /console/ answer the app's page, never cached without revalidation", async () => {
    for (const path of ["/console", "/console/", "/console/index.html", "/console/?x=1"]) {
      const res = await get(cairn.url, path);
      assert.equal(res.status, 200, path);
      assert.equal(res.headers["content-type"], "text/html; charset=utf-8");
      assert.equal(res.headers["cache-control"], "no-cache");
      assert.match(res.body.toString(), /<title>Cairn console<\/title>/);
    }
    const page = (await get(cairn.url, "/console/")).body.toString();
    const script = /<script type="module" crossorigin src="(\/console\/assets\/[^"]+\.js)"/.exec(page);
    assert.ok(script, "the page loads its script from /console/assets/");
    scriptPath = script[1]!;
  });

  test("sends security headers with a CSP that allows only the console's own origin", async () => {
    const res = await get(cairn.url, "/console/");
    const csp = String(res.headers["content-security-policy"]);
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /connect-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(res.headers["x-content-type-options"], "nosniff");
    assert.equal(res.headers["x-frame-options"], "DENY");
    assert.equal(res.headers["referrer-policy"], "no-referrer");
  });

  test("hashed assets are JavaScript, cacheable for a year, gzipped when asked, and revalidate by ETag", async () => {
    const plain = await get(cairn.url, scriptPath);
    assert.equal(plain.status, 200);
    assert.equal(plain.headers["content-type"], "text/javascript; charset=utf-8");
    assert.equal(plain.headers["cache-control"], "public, max-age=31536000, immutable");
    assert.equal(plain.headers["content-encoding"], undefined);
    assert.equal(Number(plain.headers["content-length"]), plain.body.length);

    const gzipped = await get(cairn.url, scriptPath, { headers: { "accept-encoding": "gzip, deflate" } });
    assert.equal(gzipped.headers["content-encoding"], "gzip");
    assert.equal(gzipped.headers["vary"], "accept-encoding");
    assert.ok(gzipped.body.length < plain.body.length);
    assert.deepEqual(gunzipSync(gzipped.body), plain.body);

    const etag = plain.headers["etag"]!;
    const again = await get(cairn.url, scriptPath, { headers: { "if-none-match": etag } });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);

    const head = await get(cairn.url, scriptPath, { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(head.headers["content-length"], plain.headers["content-length"]);
    assert.equal(head.body.length, 0);
  });

  test("paths outside the built files, including dot segments and encoded ones, are 404", async () => {
    for (const path of [
      "/console/nope.js",
      "/console/../package.json",
      "/console/assets/../../package.json",
      "/console/%2e%2e/package.json",
      "/console/..%2f..%2fpackage.json",
      "/console/%E0%A4%A",
      "/console//etc/passwd",
    ]) {
      const res = await get(cairn.url, path);
      assert.equal(res.status, 404, path);
      assert.doesNotMatch(res.body.toString(), /"name": "cairn"/, path);
    }
    assert.equal((await get(cairn.url, "/consolex")).status, 404, "only /console and below are the console's");
  });

  test("only GET and HEAD: other methods are 405", async () => {
    const res = await get(cairn.url, "/console/", { method: "POST" });
    assert.equal(res.status, 405);
    assert.equal(res.headers["allow"], "GET, HEAD");
  });
});
