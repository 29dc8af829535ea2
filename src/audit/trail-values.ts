import type { ApiModel, ShapeModel } from "../protocol/model-types.js";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** AWS services log timestamps inside requestParameters/responseElements in Java's text form, e.g. `Jul 18, 2023, 4:07:39 PM`. */
export function javaStyleDate(d: Date): string {
  const h = d.getUTCHours();
  const hour12 = h % 12 === 0 ? 12 : h % 12;
  const mm = String(d.getUTCMinutes()).padStart(2, "0");
  const ss = String(d.getUTCSeconds()).padStart(2, "0");
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ${hour12}:${mm}:${ss} ${h < 12 ? "AM" : "PM"}`;
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function isSensitive(shape: ShapeModel | undefined): boolean {
  return (shape?.type === "string" || shape?.type === "blob") && shape.sensitive === true;
}

/**
 * Renders a value of a model shape the way CloudTrail logs it: structure member names with their first
 * letter lower-cased (recursively), map keys verbatim (they are user data), timestamps as text.
 */
export function toTrailValue(model: ApiModel, shapeName: string, value: unknown): unknown {
  const shape: ShapeModel | undefined = model.shapes[shapeName];
  if (value === undefined || value === null || !shape) return value;
  switch (shape.type) {
    case "structure": {
      const out: Record<string, unknown> = {};
      for (const [name, member] of Object.entries(shape.members)) {
        const v = (value as Record<string, unknown>)[name];
        // Secrets (the model marks them sensitive) never reach the trail.
        if (v === undefined || v === null || isSensitive(model.shapes[member.shape])) continue;
        out[lowerFirst(name)] = toTrailValue(model, member.shape, v);
      }
      return out;
    }
    case "list":
      return (value as unknown[]).map((v) => toTrailValue(model, shape.member.shape, v));
    case "map": {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = toTrailValue(model, shape.value.shape, v);
      return out;
    }
    case "timestamp":
      return value instanceof Date ? javaStyleDate(value) : value;
    case "blob":
      return value instanceof Uint8Array ? Buffer.from(value).toString("base64") : value;
    default:
      return value;
  }
}
