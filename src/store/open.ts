import type { Store } from "./store.js";
import { openSqliteStore } from "./sqlite/open.js";

/** Picks the Store implementation from the `--store` URL. */
export async function openStore(url: string): Promise<Store> {
  if (url.startsWith("sqlite:")) return openSqliteStore(url.slice("sqlite:".length));
  throw new Error(`unsupported store URL: ${url} (expected sqlite:<file>)`);
}
