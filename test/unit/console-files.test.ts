import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { IncomingMessage } from "node:http";
import { consoleRoutes, loadConsoleFiles } from "../../src/server/console.js";

function request(url: string, method = "GET", headers: Record<string, string> = {}): IncomingMessage {
  return { url, method, headers } as IncomingMessage;
}

test("paths outside /console are left to the other routes", () => {
  const route = consoleRoutes(new Map());
  assert.equal(route(request("/")), undefined);
  assert.equal(route(request("/_cairn/health")), undefined);
  assert.equal(route(request("/consoles")), undefined);
});

test("a missing build answers 404 with how to build it", () => {
  const route = consoleRoutes(loadConsoleFiles(path.join(os.tmpdir(), "cairn-no-such-console")));
  const res = route(request("/console/"))!;
  assert.equal(res.status, 404);
  assert.match(res.body.toString(), /npm run build/);
});

test("files are served from what was loaded, with their types; nested folders keep their URL paths", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cairn-console-"));
  fs.mkdirSync(path.join(dir, "assets", "fonts"), { recursive: true });
  fs.writeFileSync(path.join(dir, "index.html"), "<!doctype html><title>t</title>");
  fs.writeFileSync(path.join(dir, "assets", "app-1a2b.css"), "body{}");
  fs.writeFileSync(path.join(dir, "assets", "fonts", "f.woff2"), Buffer.from([1, 2, 3]));
  const route = consoleRoutes(loadConsoleFiles(dir));
  // Written after loading: requests never reach the disk.
  fs.writeFileSync(path.join(dir, "late.txt"), "late");
  assert.equal(route(request("/console"))!.headers["content-type"], "text/html; charset=utf-8");
  const css = route(request("/console/assets/app-1a2b.css"))!;
  assert.equal(css.headers["content-type"], "text/css; charset=utf-8");
  assert.equal(css.body.toString(), "body{}");
  assert.equal(route(request("/console/assets/fonts/f.woff2"))!.headers["content-type"], "font/woff2");
  assert.equal(route(request("/console/late.txt"))!.status, 404);
  assert.equal(route(request("/console/", "HEAD"))!.status, 200);
  assert.equal(route(request("/console/", "DELETE"))!.status, 405);
  fs.rmSync(dir, { recursive: true });
});
