import { invalidNextToken } from "./errors.js";

/** EventBridge's NextToken: the last name of the page, opaque to callers. */
export function pageToken(lastName: string): string {
  return Buffer.from(JSON.stringify({ after: lastName })).toString("base64url");
}

export function afterName(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { after?: unknown };
    if (typeof parsed.after === "string") return parsed.after;
  } catch {
    // Falls through to the error below.
  }
  throw invalidNextToken();
}

/** A page of at most `limit` from `limit + 1` items read, and the token of the next page if there is one. */
export function page<T>(items: T[], limit: number, nameOf: (item: T) => string): { items: T[]; nextToken?: string } {
  if (items.length <= limit) return { items };
  const shown = items.slice(0, limit);
  return { items: shown, nextToken: pageToken(nameOf(shown[shown.length - 1]!)) };
}
