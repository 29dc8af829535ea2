import type { TargetConfig } from "../../store/event-bus-records.js";
import type { BusEvent } from "./envelope.js";
import { validation } from "./errors.js";

/** A JSONPath as targets use it: `$`, then `.name`, `['name']` or `[index]` steps. */
const STEP = /\.([^.[\]]+)|\['((?:[^'\\]|\\.)*)'\]|\[(\d+)\]/y;

export function parseJsonPath(path: string): (string | number)[] | undefined {
  if (!path.startsWith("$")) return undefined;
  const steps: (string | number)[] = [];
  STEP.lastIndex = 1;
  while (STEP.lastIndex < path.length) {
    const at = STEP.lastIndex;
    const m = STEP.exec(path);
    if (!m || m.index !== at) return undefined;
    steps.push(m[3] !== undefined ? Number(m[3]) : (m[1] ?? m[2]!));
  }
  return steps;
}

function select(value: unknown, steps: (string | number)[]): unknown {
  let current = value;
  for (const step of steps) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[step];
  }
  return current;
}

function checkPath(path: string, member: string): void {
  if (!parseJsonPath(path)) throw validation(`${member} is not a valid JSON path: ${path}`);
}

/** PutTargets' checks of a target's input (AWS answers them as ValidationException per call). */
export function checkTargetInput(target: TargetConfig): void {
  const given = [target.Input, target.InputPath, target.InputTransformer].filter((v) => v !== undefined).length;
  if (given > 1) throw validation("Only one of Input, InputPath, or InputTransformer must be provided.");
  if (target.Input !== undefined) {
    try {
      JSON.parse(target.Input);
    } catch {
      throw validation("Input is not valid JSON text.");
    }
  }
  if (target.InputPath !== undefined) checkPath(target.InputPath, "InputPath");
  for (const [name, path] of Object.entries(target.InputTransformer?.InputPathsMap ?? {})) {
    if (name.startsWith("aws.events.")) throw validation(`InputPathsMap may not use the reserved name ${name}.`);
    checkPath(path, `InputPathsMap value for ${name}`);
  }
}

/** The value a template placeholder stands for, in or out of a JSON string. */
function rendered(value: unknown, inString: boolean): string {
  if (value === undefined) return inString ? "" : "null";
  if (!inString) return JSON.stringify(value);
  const text = typeof value === "string" ? value : JSON.stringify(value);
  // Inside a JSON string: the characters JSON escapes, without the quotes.
  return JSON.stringify(text).slice(1, -1);
}

function transform(template: string, values: Map<string, unknown>): string {
  let out = "";
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c === "\\" && inString) {
      out += c + (template[i + 1] ?? "");
      i++;
      continue;
    }
    if (c === '"') inString = !inString;
    if (c === "<") {
      const end = template.indexOf(">", i);
      const name = end > i ? template.slice(i + 1, end) : "";
      if (values.has(name)) {
        out += rendered(values.get(name), inString);
        i = end;
        continue;
      }
    }
    out += c;
  }
  return out;
}

/** The body a target receives for an event: the event, or its Input, InputPath or InputTransformer result. */
export function targetBody(target: TargetConfig, event: BusEvent, rule: { name: string; arn: string }, ingestedAt: string): string {
  if (target.Input !== undefined) return target.Input;
  if (target.InputPath !== undefined) return JSON.stringify(select(event, parseJsonPath(target.InputPath)!) ?? null);
  const transformer = target.InputTransformer;
  if (!transformer) return JSON.stringify(event);
  const values = new Map<string, unknown>([
    ["aws.events.rule-arn", rule.arn],
    ["aws.events.rule-name", rule.name],
    ["aws.events.event.ingestion-time", ingestedAt],
    ["aws.events.event", event],
    ["aws.events.event.json", event],
  ]);
  for (const [name, path] of Object.entries(transformer.InputPathsMap ?? {})) values.set(name, select(event, parseJsonPath(path)!));
  return transform(transformer.InputTemplate, values);
}
