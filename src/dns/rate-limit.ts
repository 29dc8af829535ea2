/**
 * Response rate limiting for UDP answers (in the spirit of BIND's RRL): UDP source addresses can be spoofed, so
 * without it Cairn would send any volume of answers to whoever an attacker names.
 *
 * Each client prefix (IPv4 /24, IPv6 /56: one network, whichever host in it asks) has a token bucket of
 * `perSecond` answers a second, holding one second's worth. Past it, every SLIP-th limited answer "slips" out
 * empty with TC=1, so that a real client retries over TCP (which needs a real handshake, hence no spoofing);
 * the others are dropped.
 *
 * Memory is bounded: at most MAX_PREFIXES buckets. Buckets full again are forgotten (at most once a second,
 * when the table is full); while it stays full, prefixes without a bucket are treated as over their limit.
 */
export type Verdict = "answer" | "slip" | "drop";

export const SLIP = 2;
const MAX_PREFIXES = 65_536;

interface Bucket {
  tokens: number;
  /** performance.now() of the last refill. */
  at: number;
  /** Limited answers so far, for the slip count. */
  limited: number;
}

export class ResponseRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  /** Shared by the prefixes that find the table full: never refilled. */
  private readonly overflow: Bucket = { tokens: 0, at: 0, limited: 0 };
  private sweptAt = -Infinity;

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** What to do with one answer to `address` (as the socket gives it: IPv4, IPv6 or IPv4-mapped IPv6). */
  verdict(address: string): Verdict {
    const now = this.now();
    const key = prefixOf(address);
    let bucket = this.buckets.get(key);
    if (bucket) {
      bucket.tokens = Math.min(this.perSecond, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
      bucket.at = now;
    } else {
      if (this.buckets.size >= MAX_PREFIXES) this.sweep(now);
      if (this.buckets.size >= MAX_PREFIXES) bucket = this.overflow;
      else this.buckets.set(key, (bucket = { tokens: this.perSecond, at: now, limited: 0 }));
    }
    if (bucket.tokens >= 1) {
      bucket.tokens--;
      return "answer";
    }
    bucket.limited++;
    return bucket.limited % SLIP === 0 ? "slip" : "drop";
  }

  /** Forgets the buckets that have refilled: a new bucket for them would be the same. */
  private sweep(now: number): void {
    if (now - this.sweptAt < 1000) return;
    this.sweptAt = now;
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond >= this.perSecond) this.buckets.delete(key);
    }
  }
}

/** The network an address belongs to: `a.b.c` for IPv4 (/24, IPv4-mapped IPv6 included), the first 56 bits of IPv6. */
export function prefixOf(address: string): string {
  const plain = address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
  if (!plain.includes(":")) return plain.slice(0, plain.lastIndexOf("."));
  const bare = plain.split("%")[0]!.toLowerCase();
  const [head = "", tail] = bare.split("::");
  const split = (part: string | undefined): string[] => (part ? part.split(":") : []);
  const groups = split(head);
  if (tail !== undefined) {
    const rest = split(tail);
    // "::" stands for the zero groups that make eight in all; a dotted IPv4 ending fills two.
    const width = rest.length + (rest.at(-1)?.includes(".") ? 1 : 0);
    groups.push(...Array<string>(Math.max(0, 8 - groups.length - width)).fill("0"), ...rest);
  }
  const [g0 = "0", g1 = "0", g2 = "0", g3 = "0"] = groups;
  const hex = (g: string): string => parseInt(g, 16).toString(16);
  return `${hex(g0)}:${hex(g1)}:${hex(g2)}:${(parseInt(g3, 16) >> 8).toString(16)}`;
}
