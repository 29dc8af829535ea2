import { errors as sdErrors } from "../../generated/servicediscovery.js";
import type { PageCursor } from "../../store/records.js";

export const DEFAULT_PAGE_SIZE = 100;

export function encodeToken(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify([cursor.time, cursor.id])).toString("base64url");
}

/** Reads a NextToken this server issued; anything else is InvalidInput. */
export function decodeToken(token: string | undefined): PageCursor | undefined {
  if (token === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (Array.isArray(value) && typeof value[0] === "number" && typeof value[1] === "string") {
      return { time: value[0], id: value[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw sdErrors.InvalidInput("The NextToken is not valid.");
}

/**
 * One page of a list sorted oldest first by (time, id). The token names the last item returned, so
 * items created or deleted between pages neither repeat nor shift the rest.
 */
export function pageOf<T>(
  items: readonly T[],
  cursorOf: (item: T) => PageCursor,
  maxResults: number | undefined,
  nextToken: string | undefined,
): { page: T[]; nextToken?: string } {
  const after = decodeToken(nextToken);
  const limit = maxResults ?? DEFAULT_PAGE_SIZE;
  const rest = after
    ? items.filter((item) => {
        const c = cursorOf(item);
        return c.time > after.time || (c.time === after.time && c.id > after.id);
      })
    : items;
  const page = rest.slice(0, limit);
  return rest.length > limit ? { page, nextToken: encodeToken(cursorOf(page[page.length - 1]!)) } : { page };
}
