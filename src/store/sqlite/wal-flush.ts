import fs from "node:fs";

/**
 * Makes the WAL durable on libuv's thread pool. The writer commits with `synchronous = NORMAL` (its frames reach the
 * OS, which a kill -9 cannot lose), and this fdatasync makes them survive a power cut too, without the event loop
 * waiting for the disk: the calls of a commit are answered only once a flush started after it has finished.
 */
export class WalFlush {
  private fd: number | undefined;

  constructor(private readonly walFile: string) {}

  /** Flushes everything written to the WAL so far (any fd of the file will do: fdatasync is per file). */
  flush(): Promise<void> {
    // The writer's first commit created the WAL; SQLite removes it only when the last connection closes.
    this.fd ??= fs.openSync(this.walFile, "r");
    const fd = this.fd;
    return new Promise((resolve, reject) => fs.fdatasync(fd, (error) => (error ? reject(error) : resolve())));
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}
