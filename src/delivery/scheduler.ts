import type { DeliveryWorker } from "./worker.js";

export interface SchedulerOptions {
  deliveryIntervalMs: number;
  digestIntervalMs: number;
  /**
   * Asked before each cycle: only the node holding the delivery lease should deliver. Defaults to always
   * (a single node).
   */
  mayRun?: () => boolean | Promise<boolean>;
  log(message: string, error?: unknown): void;
}

/**
 * Runs the delivery worker every delivery interval (and its digest pass often enough for the digest interval),
 * one cycle at a time. `stop` waits for the cycle under way and flushes pending deliveries once more.
 */
export class DeliveryScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private lastDelivery = 0;

  constructor(
    private readonly worker: DeliveryWorker,
    private readonly o: SchedulerOptions,
  ) {}

  start(): void {
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    const tick = Math.min(this.o.deliveryIntervalMs, this.o.digestIntervalMs);
    this.timer = setTimeout(() => {
      this.running = this.cycle().finally(() => {
        this.running = undefined;
        this.schedule();
      });
    }, tick);
    this.timer.unref();
  }

  private async cycle(): Promise<void> {
    try {
      if (this.o.mayRun && !(await this.o.mayRun())) return;
      if (Date.now() - this.lastDelivery >= this.o.deliveryIntervalMs - 50) {
        this.lastDelivery = Date.now();
        await this.worker.deliverOnce();
      }
      await this.worker.digestOnce();
    } catch (error) {
      this.o.log("trail delivery cycle failed", error);
    }
  }

  /** Stops scheduling; waits for the cycle under way, then delivers what is pending (SIGTERM). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    try {
      if (!this.o.mayRun || (await this.o.mayRun())) await this.worker.deliverOnce();
    } catch (error) {
      this.o.log("final trail delivery failed", error);
    }
  }
}
