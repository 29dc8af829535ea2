import type { Store } from "./store.js";
import { openSqliteStore } from "./sqlite/open.js";
import { openPostgresStore } from "./postgres/open.js";

/** Picks the Store implementation from the `--store` URL. */
export async function openStore(url: string, log?: (message: string, error?: unknown) => void): Promise<Store> {
  if (url.startsWith("sqlite:")) return openSqliteStore(url.slice("sqlite:".length));
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) return openPostgresStore(url, { log });
  throw new Error(`unsupported store URL: ${url.replace(/\/\/[^@/]*@/, "//…@")} (expected sqlite:<file> or postgres://…)`);
}
