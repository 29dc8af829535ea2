import assert from "node:assert/strict";

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  /** `# TYPE` of each metric family. */
  types: Map<string, string>;
  samples: Sample[];
  /** The sum of the samples of `name` whose labels include `labels`. */
  value(name: string, labels?: Record<string, string>): number;
}

// NaN in any case: Prometheus parses values with Go's ParseFloat, and prom-client writes "Nan" (event-loop lag before its first sample).
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?[0-9.eE+-]+|[Nn][Aa][Nn]|\+Inf|-Inf)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)/g;

/** Parses Prometheus' text format strictly: any line that is not a comment or a well-formed sample fails. */
export function parseExposition(text: string): Exposition {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (line === "") continue;
    if (line.startsWith("# HELP ")) continue;
    if (line.startsWith("# TYPE ")) {
      const [, , name, type] = line.split(" ");
      types.set(name!, type!);
      continue;
    }
    const m = SAMPLE.exec(line);
    assert.ok(m, `malformed exposition line: ${line}`);
    const labels: Record<string, string> = {};
    let consumed = 0;
    for (const l of (m[2] ?? "").matchAll(LABEL)) {
      labels[l[1]!] = l[2]!;
      consumed += l[0].length;
    }
    assert.equal(consumed, (m[2] ?? "").length, `malformed labels: ${line}`);
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return {
    types,
    samples,
    value(name, wanted = {}) {
      return samples
        .filter((s) => s.name === name && Object.entries(wanted).every(([k, v]) => s.labels[k] === v))
        .reduce((sum, s) => sum + s.value, 0);
    },
  };
}

/**
 * Checks a body against Prometheus' documented `http_sd_configs` schema: a JSON array of target groups, each
 * exactly `{"targets": [<host>[:<port>], …], "labels": {<labelname>: <string>, …}}`, label names matching
 * `[a-zA-Z_][a-zA-Z0-9_]*` (https://prometheus.io/docs/prometheus/latest/http_sd/).
 */
export function assertHttpSdBody(body: unknown): asserts body is Array<{ targets: string[]; labels: Record<string, string> }> {
  assert.ok(Array.isArray(body), "the body is a JSON array");
  for (const group of body as unknown[]) {
    assert.ok(group !== null && typeof group === "object" && !Array.isArray(group), "each target group is an object");
    const g = group as Record<string, unknown>;
    assert.deepEqual(Object.keys(g).sort(), ["labels", "targets"]);
    assert.ok(Array.isArray(g.targets) && g.targets.every((t) => typeof t === "string" && /^(\[[0-9a-fA-F:.]+\]|[^\s:/[\]]+)(:\d{1,5})?$/.test(t)), `targets: ${JSON.stringify(g.targets)}`);
    assert.ok(g.labels !== null && typeof g.labels === "object" && !Array.isArray(g.labels), "labels is an object");
    for (const [name, value] of Object.entries(g.labels as object)) {
      assert.match(name, /^[a-zA-Z_][a-zA-Z0-9_]*$/, `label name ${name}`);
      assert.equal(typeof value, "string", `label ${name} is a string`);
    }
  }
}
