/** Token buckets by key: each holds up to `burst` tokens and refills at `perSecond`. */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number; capacity: number; perSecond: number }>();

  /** Past this many buckets, the full ones are dropped: a full bucket is the same as none (keys come from callers). */
  constructor(private readonly sweepAbove = 10_000) {}

  /** Takes one token from `key`'s bucket; false when it is empty. A rate of 0 means unlimited. */
  take(key: string, perSecond: number, burst: number, nowMs: number): boolean {
    if (perSecond <= 0) return true;
    const capacity = burst > 0 ? burst : perSecond;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.sweepAbove) this.sweep(nowMs);
      bucket = { tokens: capacity, at: nowMs, capacity, perSecond };
      this.buckets.set(key, bucket);
    } else {
      bucket.tokens = Math.min(capacity, bucket.tokens + ((nowMs - bucket.at) * perSecond) / 1000);
      bucket.at = nowMs;
    }
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  get size(): number {
    return this.buckets.size;
  }

  private sweep(nowMs: number): void {
    for (const [key, b] of this.buckets) {
      if (b.tokens + ((nowMs - b.at) * b.perSecond) / 1000 >= b.capacity) this.buckets.delete(key);
    }
  }
}
