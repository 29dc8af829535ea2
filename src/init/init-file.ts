import fs from "node:fs";
import type { ApiModel, StructureShape } from "../protocol/model-types.js";
import { ServiceError } from "../protocol/errors.js";

/** A bad `--init` file: what failed, where in the file, and the AWS error the API gave for it. */
export class InitFileError extends Error {}

export type Entry = Record<string, unknown>;

/** Where in the file an entry sits, for messages: `$.namespaces[0].Services[1]`. */
export type JsonPath = string;

export function readInitFile(file: string): Entry {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new InitFileError(`--init ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return object(parsed, "$", file);
}

export function object(value: unknown, at: JsonPath, file: string): Entry {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new InitFileError(`--init ${file}: ${at}: must be a JSON object`);
  return value as Entry;
}

export function list(value: unknown, at: JsonPath, file: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new InitFileError(`--init ${file}: ${at}: must be a JSON array`);
  return value;
}

/** Refuses members neither the operation's input nor the file's own nesting knows: a typo is an error, not a silent default. */
export function checkMembers(model: ApiModel, operation: string, entry: Entry, own: readonly string[], at: JsonPath, file: string): void {
  const shape = model.shapes[model.operations[operation]!.input!] as StructureShape;
  for (const key of Object.keys(entry)) {
    if (!Object.hasOwn(shape.members, key) && !own.includes(key)) {
      const known = [...Object.keys(shape.members), ...own].join(", ");
      throw new InitFileError(`--init ${file}: ${at}.${key}: unknown member (${operation} takes ${known})`);
    }
  }
}

/** An API's refusal of an entry, as the start's error: the JSON path, the AWS error code and message. */
export function refused(error: unknown, at: JsonPath, file: string): unknown {
  return error instanceof ServiceError ? new InitFileError(`--init ${file}: ${at}: ${error.code}: ${error.message}`) : error;
}

/** Policy documents may be written as JSON objects in the file; the APIs take them as strings. */
export function documentText(value: unknown): unknown {
  return value !== null && typeof value === "object" ? JSON.stringify(value) : value;
}
