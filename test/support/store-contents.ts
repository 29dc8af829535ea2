import fs from "node:fs";
import type { CairnProcess } from "./cairn-process.js";
import { storeSnapshot } from "./fuzz/snapshot.js";

/**
 * Whether `text` can be read from the server's store without its secrets key: anywhere in the SQLite file and its
 * WAL (freed pages included), or in any row of any PostgreSQL table.
 */
export async function storeHolds(cairn: CairnProcess, text: string): Promise<boolean> {
  if (cairn.store.startsWith("sqlite:")) {
    const file = cairn.store.slice("sqlite:".length);
    const wal = `${file}-wal`;
    const bytes = Buffer.concat([fs.readFileSync(file), fs.existsSync(wal) ? fs.readFileSync(wal) : Buffer.alloc(0)]);
    return bytes.includes(Buffer.from(text));
  }
  const snapshot = await storeSnapshot(cairn.store, { withEvents: true });
  return [...snapshot.values()].some((rows) => [...rows].some((row) => row.includes(text)));
}
