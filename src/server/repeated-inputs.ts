import { BoundedMap } from "../bounded-map.js";

/**
 * Decoded and validated inputs of the calls answered from memory (DiscoverInstances), by request body. Applications
 * ask the same question many times a second; after its signature, decoding and validating the same few bytes again
 * was the largest part of such a call. Only what decoded and validated is kept, frozen throughout (every call shares
 * it), and only plain JSON values (no Date, no bytes). Bounded in count and body size; the oldest entry goes first.
 */
export class RepeatedInputs {
  private readonly inputs: BoundedMap<string, Record<string, unknown>>;

  constructor(
    maxEntries = 1000,
    private readonly maxBodyBytes = 1024,
  ) {
    this.inputs = new BoundedMap(maxEntries);
  }

  /** The key for a body, or undefined when the body is too large to keep. */
  key(operation: string, body: Buffer): string | undefined {
    // latin1 maps each byte to one character: distinct bodies never share a key.
    return body.length <= this.maxBodyBytes ? operation + "\n" + body.toString("latin1") : undefined;
  }

  get(key: string): Record<string, unknown> | undefined {
    return this.inputs.get(key);
  }

  /** Keeps a decoded, validated input, frozen; returns it (frozen), or as it was if it holds other than plain values. */
  remember(key: string, input: Record<string, unknown>): Record<string, unknown> {
    if (!isPlainJson(input)) return input;
    deepFreeze(input);
    this.inputs.set(key, input);
    return input;
  }

  get size(): number {
    return this.inputs.size;
  }
}

function isPlainJson(value: unknown): boolean {
  if (value === null || typeof value !== "object") return typeof value !== "function" && typeof value !== "symbol" && typeof value !== "bigint";
  if (Array.isArray(value)) return value.every(isPlainJson);
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return false;
  return Object.values(value).every(isPlainJson);
}

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== "object") return;
  for (const member of Object.values(value)) deepFreeze(member);
  Object.freeze(value);
}
