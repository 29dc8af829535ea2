import type { DiscoveryView } from "../view/discovery-view.js";

/** How often the view's version is looked at while someone waits: a compare of two integers, so often is cheap. */
const TICK_MS = 10;

/**
 * Wakes long-polls when the discovery view changes. One shared ticker compares the view's version while anyone
 * waits (the view is left without callbacks of its own); a change wakes every waiter, which then looks at its service.
 */
export class ViewChanges {
  private readonly waiters = new Set<() => void>();
  private ticker: NodeJS.Timeout | undefined;
  private seen: number;
  private closed = false;

  constructor(private readonly view: DiscoveryView) {
    this.seen = view.version;
  }

  /** Set once the server is stopping: a long-poll answers instead of waiting. */
  get closing(): boolean {
    return this.closed;
  }

  get version(): number {
    return this.view.version;
  }

  /** Resolves once the view's version differs from `since`, at `deadline` (epoch ms), on `abandoned`, or when closing. */
  next(since: number, deadline: number, abandoned?: AbortSignal): Promise<void> {
    if (this.closed || abandoned?.aborted || this.view.version !== since || Date.now() >= deadline) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        abandoned?.removeEventListener("abort", wake);
        this.waiters.delete(wake);
        if (this.waiters.size === 0) this.stopTicking();
        resolve();
      };
      const timer = setTimeout(wake, deadline - Date.now());
      abandoned?.addEventListener("abort", wake);
      this.waiters.add(wake);
      this.ticker ??= setInterval(() => this.tick(), TICK_MS);
    });
  }

  /** Answers every waiting long-poll now (shutdown), and every later one at once. */
  close(): void {
    this.closed = true;
    for (const wake of [...this.waiters]) wake();
  }

  private tick(): void {
    if (this.view.version === this.seen) return;
    this.seen = this.view.version;
    for (const wake of [...this.waiters]) wake();
  }

  private stopTicking(): void {
    clearInterval(this.ticker);
    this.ticker = undefined;
  }
}
