import fs from "node:fs";
import path from "node:path";
import { DEFAULT_LIMITS } from "../config.js";

/** Flags whose value is a path: a relative one in the file is relative to the file, not to the working dir. */
const PATH_FLAGS = new Set(["data-dir", "buckets-dir", "tls-cert", "tls-key", "init"]);

const envName = (flag: string): string => `CAIRN_${flag.replace(/-/g, "_").toUpperCase()}`;
const limitEnvName = (key: string): string => `CAIRN_LIMIT_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;

function text(flag: string, value: unknown, file: string): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "boolean") return flag === "throttle" ? (value ? "on" : "off") : String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value.join(",");
  throw new Error(`--config ${file}: "${flag}" must be a string, a number, true/false or a list of strings`);
}

/**
 * `cairn serve --config cairn.json`: a JSON object whose keys are the long names of `serve`'s flags
 * (`"dns-port": 8053`, `"regions": ["eu-south-3"]`, `"allow-reset": true`), plus `"limits"` with the
 * `CAIRN_LIMIT_*` limits by name (`{"instancesPerService": 5000}`). Returned as the environment variables the
 * flags read, which the real environment and the flags then override.
 */
export function configFileEnv(file: string, flags: readonly string[]): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`--config ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error(`--config ${file}: must be a JSON object`);
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (key === "limits") {
      if (value === null || typeof value !== "object" || Array.isArray(value)) throw new Error(`--config ${file}: "limits" must be an object`);
      for (const [limit, n] of Object.entries(value)) {
        if (!Object.hasOwn(DEFAULT_LIMITS, limit)) throw new Error(`--config ${file}: unknown limit "${limit}" (limits are ${Object.keys(DEFAULT_LIMITS).join(", ")})`);
        env[limitEnvName(limit)] = text(limit, n, file);
      }
      continue;
    }
    if (!flags.includes(key) || key === "config") throw new Error(`--config ${file}: unknown setting "${key}" (settings are ${flags.filter((f) => f !== "config").join(", ")}, limits)`);
    const value_ = text(key, value, file);
    env[envName(key)] = PATH_FLAGS.has(key) ? path.resolve(path.dirname(path.resolve(file)), value_) : value_;
  }
  return env;
}

/** The environment `serve` reads: the real one, with the file's settings where it sets nothing (or an empty value). */
export function withConfigFile(env: NodeJS.ProcessEnv, fileEnv: Record<string, string>): NodeJS.ProcessEnv {
  const merged = { ...env };
  for (const [name, value] of Object.entries(fileEnv)) if (!merged[name]) merged[name] = value;
  return merged;
}
