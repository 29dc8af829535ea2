import type { ApiModel, ShapeModel } from "../../../src/protocol/model-types.js";
import type { Random } from "./random.js";

/**
 * JSON text that JSON.stringify cannot produce (1e400, -0, 30-digit integers, NaN) is planted as a marker
 * string and substituted after stringifying.
 */
export const RAW_MARK = "\u0000raw:";

export function raw(text: string): string {
  return `${RAW_MARK}${text}`;
}

export function stringifyWithRaw(value: unknown): string {
  return JSON.stringify(value).replace(/"\\u0000raw:((?:[^"\\]|\\.)*)"/g, (_m, text: string) => JSON.parse(`"${text}"`) as string);
}

/** Strings worth trying wherever the model wants one: the fixtures' real IDs and ARNs, and plausible names. */
export interface Corpus {
  strings: string[];
}

/**
 * A value that fits `shape` as far as a generator reasonably can (enums, lengths, ranges; patterns only by
 * luck of the corpus): the starting point the mutations then break.
 */
export function plausible(model: ApiModel, shapeName: string, rnd: Random, corpus: Corpus, depth = 0): unknown {
  const shape = model.shapes[shapeName] as ShapeModel;
  switch (shape.type) {
    case "structure": {
      const out: Record<string, unknown> = {};
      for (const [name, member] of Object.entries(shape.members)) {
        const required = shape.required?.includes(name) ?? false;
        if (required || (depth < 4 && rnd.chance(0.4))) out[name] = plausible(model, member.shape, rnd, corpus, depth + 1);
      }
      return out;
    }
    case "list": {
      const n = depth > 3 ? (shape.min ?? 0) : rnd.int(shape.min ?? 0, Math.min(shape.max ?? 3, 3));
      return Array.from({ length: n }, () => plausible(model, shape.member.shape, rnd, corpus, depth + 1));
    }
    case "map": {
      const out: Record<string, unknown> = {};
      const n = depth > 3 ? 0 : rnd.int(shape.min ?? 0, Math.min(shape.max ?? 3, 3));
      for (let i = 0; i < n; i++) out[String(plausible(model, shape.key.shape, rnd, corpus, depth + 1))] = plausible(model, shape.value.shape, rnd, corpus, depth + 1);
      return out;
    }
    case "string": {
      if (shape.enum) return rnd.pick(shape.enum);
      if (rnd.chance(0.6)) {
        const fits = corpus.strings.filter((s) => s.length >= (shape.min ?? 0) && s.length <= (shape.max ?? Infinity));
        if (fits.length > 0) return rnd.pick(fits);
      }
      const min = shape.min ?? 1;
      return rnd.text(rnd.int(min, Math.max(min, Math.min(shape.max ?? 24, 24))));
    }
    case "integer":
    case "long": {
      const min = shape.min ?? 0;
      return rnd.int(min, Math.max(min, Math.min(shape.max ?? 100, 1000)));
    }
    case "double":
    case "float":
      return rnd.next() * 100;
    case "boolean":
      return rnd.chance(0.5);
    case "timestamp":
      return Math.floor(Date.now() / 1000) - rnd.int(0, 86400 * 30);
    case "blob":
      return Buffer.from(rnd.text(rnd.int(1, 16))).toString("base64");
  }
}

/** Values of the wrong JSON type, or the right type with a wrong size or range. */
export function hostile(rnd: Random): unknown {
  return rnd.pick<() => unknown>([
    () => null,
    () => rnd.chance(0.5),
    () => rnd.int(-1000, 1000),
    () => raw(rnd.pick(["1e400", "-1e400", "-0", "123456789012345678901234567890", "9007199254740993", "0.0000001", "1.5", "-2147483649", "4294967296"])),
    () => rnd.text(rnd.int(0, 3)),
    () => rnd.text(rnd.pick([256, 1025, 5000, 70_000])),
    () => "\ud800 lone surrogate \udfff",
    () => "\u0000\u0001\u001f control \u2028 \u{1F600}",
    () => ({}),
    () => JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"toString":1,"hasOwnProperty":"x"}') as unknown,
    () => [],
    () => Array.from({ length: rnd.pick([2, 101, 1001]) }, () => rnd.text(4)),
    () => [[[[[["deep"]]]]]],
    () => ({ Key: rnd.text(3), Value: rnd.text(3) }),
    () => new Date().toISOString(),
  ])();
}
