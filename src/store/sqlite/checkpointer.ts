import { Worker } from "node:worker_threads";

/**
 * Runs SQLite's WAL checkpoints on a thread of their own. Left to the writer, a checkpoint runs inside the commit that
 * crossed the WAL's size threshold: megabytes written and fsynced while every request waits for the event loop.
 */
export class Checkpointer {
  private readonly worker: Worker;

  constructor(file: string, intervalMs = 100) {
    this.worker = new Worker(new URL("./checkpoint-thread.js", import.meta.url), { workerData: { file, intervalMs } });
    this.worker.unref();
  }

  /** Stops checkpointing and closes the thread's connection (before the writer's, whose close checkpoints the rest). */
  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => {
      this.worker.once("message", () => resolve());
      this.worker.once("exit", () => resolve());
    });
    this.worker.postMessage("close");
    await closed;
    await this.worker.terminate();
  }
}
