/** Token buckets by key: each holds up to `burst` tokens and refills at `perSecond`. */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /** Takes one token from `key`'s bucket; false when it is empty. A rate of 0 means unlimited. */
  take(key: string, perSecond: number, burst: number, nowMs: number): boolean {
    if (perSecond <= 0) return true;
    const capacity = burst > 0 ? burst : perSecond;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: capacity, at: nowMs };
      this.buckets.set(key, bucket);
    } else {
      bucket.tokens = Math.min(capacity, bucket.tokens + ((nowMs - bucket.at) * perSecond) / 1000);
      bucket.at = nowMs;
    }
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
