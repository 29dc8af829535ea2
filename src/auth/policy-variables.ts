import type { ConditionKeys } from "./conditions.js";
import { LITERAL_QUESTION, LITERAL_STAR } from "./glob.js";

const SPECIAL: Record<string, string> = { "*": LITERAL_STAR, "?": LITERAL_QUESTION, $: "$" };

/**
 * Replaces `${aws:username}`-style policy variables (policy Version 2012-10-17) with the request's values, keeping
 * them literal inside wildcard patterns; `${*}`, `${?}` and `${$}` are the literal characters. Undefined when a
 * variable has no value: the pattern then matches nothing, as in AWS.
 */
export function substituteVariables(pattern: string, keys: ConditionKeys): string | undefined {
  if (!pattern.includes("${")) return pattern;
  let missing = false;
  const out = pattern.replace(/\$\{([^}]*)\}/g, (_whole, name: string) => {
    const special = SPECIAL[name];
    if (special !== undefined) return special;
    const value = keys.get(name.trim().toLowerCase())?.[0];
    if (value === undefined) {
      missing = true;
      return "";
    }
    return value.replace(/\*/g, LITERAL_STAR).replace(/\?/g, LITERAL_QUESTION);
  });
  return missing ? undefined : out;
}
