#!/usr/bin/env node
// Writes models/<api>.json: the structural part of the AWS API models Cairn is built from, so that any clone can run
// `npm run generate` (scripts/generate-models.mjs reads models/) and the generated-code integrity test.
//
// Usage: node scripts/extract-models.mjs <dir>
//   <dir> holds AWS's botocore-format models, `<api>.json` and `<api>.paginators.json` (the layout of botocore's
//   `botocore/data/<service>/<version>/service-2.json` and `paginators-1.json`, renamed per API). Run it when a model
//   is updated or an API is added, then `npm run generate`.
//
// What is kept: metadata, operations (HTTP binding, input/output/errors, endpoint host prefix), every shape with its
// type, members, constraints, enums and error traits, and the paginators. What is dropped: every human-readable text
// (`documentation`, `documentationUrl`, `deprecatedMessage`, `examples`), which is AWS's and stays out of this repo.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outDir = path.join(repoRoot, "models");

/** The APIs Cairn serves or builds on (src/generated/<api>.ts for each, see scripts/generate-models.mjs). */
const APIS = ["servicediscovery", "cloudtrail", "sts", "iam", "events"];

/** Keys holding prose, at any depth. */
const PROSE = new Set(["documentation", "documentationUrl", "deprecatedMessage", "examples"]);

/** A copy of `value` without prose; keys of maps of names (shapes, members, operations) are never prose. */
function structural(value) {
  if (Array.isArray(value)) return value.map(structural);
  if (value === null || typeof value !== "object") return value;
  const out = {};
  for (const [k, v] of Object.entries(value)) if (!PROSE.has(k)) out[k] = structural(v);
  return out;
}

/** Top-level keys on their own lines, one line per operation and per shape: small diffs when a model changes. */
function render(model) {
  const lines = ["{"];
  const top = Object.entries(model);
  top.forEach(([key, value], i) => {
    const comma = i < top.length - 1 ? "," : "";
    if (value && typeof value === "object" && !Array.isArray(value) && ["operations", "shapes", "paginators"].includes(key)) {
      const entries = Object.entries(value);
      lines.push(`  ${JSON.stringify(key)}: {`);
      entries.forEach(([name, v], j) => lines.push(`    ${JSON.stringify(name)}: ${JSON.stringify(v)}${j < entries.length - 1 ? "," : ""}`));
      lines.push(`  }${comma}`);
    } else {
      lines.push(`  ${JSON.stringify(key)}: ${JSON.stringify(value)}${comma}`);
    }
  });
  lines.push("}");
  return lines.join("\n") + "\n";
}

function main() {
  const sourceDir = process.argv[2];
  if (!sourceDir) {
    process.stderr.write("usage: node scripts/extract-models.mjs <dir with <api>.json and <api>.paginators.json>\n");
    process.exit(2);
  }
  mkdirSync(outDir, { recursive: true });
  for (const api of APIS) {
    const raw = JSON.parse(readFileSync(path.join(sourceDir, `${api}.json`), "utf8"));
    const pages = JSON.parse(readFileSync(path.join(sourceDir, `${api}.paginators.json`), "utf8"));
    const model = structural({ version: raw.version, metadata: raw.metadata, operations: raw.operations, shapes: raw.shapes });
    model.paginators = structural(pages.pagination ?? {});
    const text = render(model);
    if (/"documentation"/.test(text)) throw new Error(`${api}: documentation left in the extracted model`);
    const out = path.join(outDir, `${api}.json`);
    writeFileSync(out, text);
    process.stdout.write(`${path.relative(process.cwd(), out)}: ${Object.keys(model.operations).length} operations, ${Object.keys(model.shapes).length} shapes\n`);
  }
}

main();
