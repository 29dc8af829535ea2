/**
 * A Map that holds at most `max` entries: setting a new key when full drops the oldest one (insertion order). For the
 * hot-path caches keyed by what callers send (signing keys, Authorization headers, request bodies), whose entries
 * repeat from call to call and may all be rebuilt: first in, first out is close enough to least recently used.
 */
export class BoundedMap<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(readonly max: number) {}

  get(key: K): V | undefined {
    return this.entries.get(key);
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  set(key: K, value: V): void {
    if (!this.entries.has(key) && this.entries.size >= this.max) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, value);
  }

  get size(): number {
    return this.entries.size;
  }
}
