/**
 * The WAL checkpointer's thread (see checkpointer.ts): copies committed pages from the WAL into the database file and
 * fsyncs it, on a connection of its own, so that this I/O never stalls the writer's event loop.
 */
import { parentPort, workerData } from "node:worker_threads";
import BetterSqlite3 from "better-sqlite3";

const { file, intervalMs } = workerData as { file: string; intervalMs: number };
const db = new BetterSqlite3(file);
db.pragma("synchronous = FULL");
db.pragma("busy_timeout = 1000");

// PASSIVE never waits for the writer or the readers: it copies what no reader still needs and leaves the rest for later.
const timer = setInterval(() => {
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch {
    // Busy or out of space: the next round tries again, and the writer's own auto-checkpoint stays as a backstop.
  }
}, intervalMs);

parentPort!.once("message", () => {
  clearInterval(timer);
  db.close();
  parentPort!.postMessage("closed");
});
