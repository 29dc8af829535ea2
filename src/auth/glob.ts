const cache = new Map<string, RegExp>();

/** Stand-ins for `*` and `?` that must match literally (they came from a policy variable's value or `${*}`). */
export const LITERAL_STAR = "\uE000";
export const LITERAL_QUESTION = "\uE001";

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** IAM wildcards: `*` any run of characters (including `/` and `:`), `?` exactly one. */
export function globMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  if (!/[*?\uE000\uE001]/.test(pattern)) {
    return ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  }
  const key = `${ignoreCase ? "i" : "s"}${pattern}`;
  let re = cache.get(key);
  if (!re) {
    const body = escapeRegExp(pattern)
      .replace(/\\\*/g, "[\\s\\S]*")
      .replace(/\\\?/g, "[\\s\\S]")
      .replace(new RegExp(LITERAL_STAR, "g"), "\\*")
      .replace(new RegExp(LITERAL_QUESTION, "g"), "\\?");
    re = new RegExp(`^${body}$`, ignoreCase ? "i" : "");
    if (cache.size > 10_000) cache.clear();
    cache.set(key, re);
  }
  return re.test(value);
}
