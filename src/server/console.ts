import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import type { IncomingMessage } from "node:http";
import type { WireResponse } from "../protocol/codec.js";

/** Where `npm run build` puts the web console (dist/src/server → dist/console). */
export const CONSOLE_DIR = fileURLToPath(new URL("../../console/", import.meta.url));

/** Every path the console answers starts with this. */
export const CONSOLE_PREFIX = "/console";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

const COMPRESSIBLE = new Set([".html", ".js", ".css", ".json", ".svg", ".txt"]);

/**
 * The app may only load its own scripts and styles and talk to its own origin (the AWS APIs it signs calls to),
 * and may not be framed.
 */
const SECURITY_HEADERS: Record<string, string> = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
};

interface ConsoleFile {
  body: Buffer;
  contentType: string;
  etag: string;
  /** Vite names assets after their content hash, so a name never changes meaning. */
  immutable: boolean;
  compressible: boolean;
  gzipped?: Buffer;
}

/** Every file of the built console, keyed by its URL path below /console (e.g. `/assets/index-3f2a.js`). */
export type ConsoleFiles = ReadonlyMap<string, ConsoleFile>;

function walk(dir: string, base = dir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return walk(full, base);
    return entry.isFile() ? [path.relative(base, full)] : [];
  });
}

/**
 * Reads the built console into memory once (a few hundred KB). Requests are answered from this map only, so no
 * request path ever reaches the file system. A missing build gives an empty map.
 */
export function loadConsoleFiles(dir: string = CONSOLE_DIR): ConsoleFiles {
  const files = new Map<string, ConsoleFile>();
  if (!fs.existsSync(dir)) return files;
  for (const relative of walk(dir)) {
    const body = fs.readFileSync(path.join(dir, relative));
    const ext = path.extname(relative).toLowerCase();
    const urlPath = `/${relative.split(path.sep).join("/")}`;
    files.set(urlPath, {
      body,
      contentType: CONTENT_TYPES[ext] ?? "application/octet-stream",
      etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`,
      immutable: urlPath.startsWith("/assets/"),
      compressible: COMPRESSIBLE.has(ext) && body.length > 1024,
    });
  }
  return files;
}

function text(status: number, message: string, extra: Record<string, string> = {}): WireResponse {
  const body = Buffer.from(`${message}\n`);
  return {
    status,
    headers: { ...SECURITY_HEADERS, "content-type": "text/plain; charset=utf-8", "content-length": String(body.length), ...extra },
    body,
  };
}

function header(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(",") : (value ?? "");
}

/** Which file a path below /console names: the app itself for the bare prefix, else the exact built file. */
function fileKey(rest: string): string | undefined {
  if (rest === "" || rest === "/") return "/index.html";
  try {
    return decodeURIComponent(rest);
  } catch {
    return undefined;
  }
}

function serve(req: IncomingMessage, file: ConsoleFile): WireResponse {
  const headers: Record<string, string> = {
    ...SECURITY_HEADERS,
    "content-type": file.contentType,
    "cache-control": file.immutable ? "public, max-age=31536000, immutable" : "no-cache",
    etag: file.etag,
  };
  if (file.compressible) headers["vary"] = "accept-encoding";
  const candidates = header(req, "if-none-match").split(",").map((tag) => tag.trim().replace(/^W\//, ""));
  if (candidates.includes(file.etag) || candidates.includes("*")) return { status: 304, headers, body: Buffer.alloc(0) };
  let body = file.body;
  if (file.compressible && /\bgzip\b/i.test(header(req, "accept-encoding"))) {
    file.gzipped ??= gzipSync(file.body, { level: 9 });
    body = file.gzipped;
    headers["content-encoding"] = "gzip";
  }
  headers["content-length"] = String(body.length);
  return { status: 200, headers, body };
}

/** Serves the web console under /console/; answers undefined for every other path. */
export function consoleRoutes(files: ConsoleFiles) {
  return (req: IncomingMessage): WireResponse | undefined => {
    const urlPath = (req.url ?? "").split("?", 1)[0] ?? "";
    if (urlPath !== CONSOLE_PREFIX && !urlPath.startsWith(`${CONSOLE_PREFIX}/`)) return undefined;
    if (req.method !== "GET" && req.method !== "HEAD") return text(405, "Method not allowed.", { allow: "GET, HEAD" });
    if (!files.has("/index.html")) return text(404, "The console is not built: run `npm run build`.");
    const key = fileKey(urlPath.slice(CONSOLE_PREFIX.length));
    const file = key === undefined ? undefined : files.get(key);
    return file ? serve(req, file) : text(404, "Not found.");
  };
}
