/**
 * EventBridge's event pattern language: parse and validate a pattern as AWS does, match it against events, and
 * answer TestEventPattern. Pure: no I/O, no clock, no state beyond a per-object cache.
 */
import { errors } from "../../../generated/events.js";
import { errorCatalogue, errorSpec } from "../../../protocol/errors.js";
import { compilePattern } from "./compile.js";
import { PatternError } from "./json-reader.js";
import { matchesPattern } from "./match.js";
import type { EventPattern } from "./model.js";

export type { EventPattern } from "./model.js";
export { matchesPattern } from "./match.js";

/** Parses and validates a pattern; an invalid one gets AWS's InvalidEventPatternException and reason. */
export function parseEventPattern(text: string): EventPattern {
  try {
    return { root: compilePattern(text) };
  } catch (error) {
    if (error instanceof PatternError) throw errors.InvalidEventPatternException(`Event pattern is not valid. Reason: ${error.message}`);
    throw error;
  }
}

/** The envelope fields TestEventPattern requires of its event (AWS's documentation also lists `resources`, but AWS does not require it). */
const REQUIRED_FIELDS = ["id", "account", "source", "time", "region", "detail-type"];

/** TestEventPattern: the pattern is checked first, then the event must be a JSON object carrying the envelope. */
export function testEventPattern(patternText: string, eventText: string): boolean {
  const pattern = parseEventPattern(patternText);
  let event: unknown;
  try {
    event = JSON.parse(eventText);
  } catch {
    throw invalidEvent();
  }
  if (typeof event !== "object" || event === null || Array.isArray(event)) throw invalidEvent();
  if (REQUIRED_FIELDS.some((field) => !Object.hasOwn(event, field))) throw invalidEvent();
  return matchesPattern(pattern, event);
}

/** EventBridge's answer to invalid parameters; the model does not declare it. */
const { ValidationException } = errorCatalogue({ ValidationException: errorSpec("ValidationException", 400) });
const invalidEvent = () => ValidationException("Parameter Event is not valid.");
