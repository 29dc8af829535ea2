/**
 * DiscoverInstances' response bytes. Each instance's HttpInstanceSummary is encoded once per instance
 * snapshot; a response is those fragments copied into one buffer, so a call never walks or stringifies
 * the instances again.
 *
 * The common call (no QueryParameters or OptionalParameters) goes faster still: the fragments of the
 * instances it can return (all, healthy or unhealthy ones) are laid out once in a random order, and
 * each response is a random rotation of that order: at most two spans of it, written as they are (no
 * copy, nothing allocated but the views). The order is re-drawn every REDRAW_EVERY responses per started
 * hundred instances (128 up to 100 instances, 1,280 for 1,000) and whenever the instances change, so every
 * instance is as likely as any other at every position and successive calls see different orders: the
 * randomized list AWS documents for spreading load. Scaling with the pool keeps the bytes laid out again
 * per response small and constant: a redraw is a fresh buffer, and large ones re-laid often fill memory
 * outside the JavaScript heap that only full garbage collections free.
 */
import type { InstanceView, NamespaceView, ServiceView } from "../../view/discovery-view.js";
import type * as sd from "../../generated/servicediscovery.js";
import { EncodedJson } from "../../protocol/encoded-json.js";
import { DEFAULT_DISCOVER_MAX_RESULTS, shuffleFirst, type HealthPool } from "./discovery-select.js";

/** One instance as discovery serves it: what filtering reads, and its HttpInstanceSummary as JSON bytes. */
export interface Entry {
  readonly attributes: Readonly<Record<string, string>>;
  readonly health: InstanceView["health"];
  readonly json: Buffer;
}

const HEAD = Buffer.from('{"Instances":[');
const COMMA = 0x2c;
export const REDRAW_EVERY = 128;
/** Responses between redraws of a layout of `n` instances. */
export const redrawEvery = (n: number): number => REDRAW_EVERY * Math.max(1, Math.ceil(n / 100));
/** Instance sets larger than this (bytes of JSON) always take the general path rather than keep a layout. */
const MAX_LAYOUT_BYTES = 4 << 20;

const tailOf = (revision: number): string => `],"InstancesRevision":${revision}}`;

/** `{"Instances":[…],"InstancesRevision":n}` for these entries in this order: what encoding the typed output gives. */
export function encodeEntries(entries: readonly Entry[], revision: number): EncodedJson {
  const tail = tailOf(revision);
  let length = HEAD.length + Math.max(entries.length - 1, 0) + tail.length;
  for (let i = 0; i < entries.length; i++) length += entries[i]!.json.length;
  // A copy per fragment into one buffer (Buffer.concat costs twice as much for ~200 small parts).
  const out = Buffer.allocUnsafe(length);
  out.set(HEAD, 0);
  let at = HEAD.length;
  for (let i = 0; i < entries.length; i++) {
    if (i > 0) out[at++] = COMMA;
    const json = entries[i]!.json;
    out.set(json, at);
    at += json.length;
  }
  out.write(tail, at, "latin1");
  return new EncodedJson(out);
}

/** The fragments of one instance set laid out in a random order, each followed by a comma. */
class Rotation {
  private layout = Buffer.alloc(0);
  /** Where the i-th fragment of the layout starts; `starts[n]` is the layout's length. */
  private readonly starts: number[];
  private uses = 0;
  /** `],"InstancesRevision":n}` for the last revision asked for. */
  private tail = Buffer.alloc(0);
  private tailRevision = -1;
  private readonly redrawAfter: number;

  constructor(
    private readonly entries: readonly Entry[],
    private readonly random: () => number,
  ) {
    this.starts = new Array<number>(entries.length + 1);
    this.redrawAfter = redrawEvery(entries.length);
    this.redraw();
  }

  private redraw(): void {
    const n = this.entries.length;
    const order = this.entries.slice();
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      const swap = order[i]!;
      order[i] = order[j]!;
      order[j] = swap;
    }
    let length = n;
    for (const e of order) length += e.json.length;
    // A fresh buffer each time: responses still being written may point into the previous one.
    const layout = Buffer.allocUnsafeSlow(length);
    let at = 0;
    for (let i = 0; i < n; i++) {
      this.starts[i] = at;
      layout.set(order[i]!.json, at);
      at += order[i]!.json.length;
      layout[at++] = COMMA;
    }
    this.starts[n] = at;
    this.layout = layout;
    this.uses = 0;
  }

  /**
   * Up to `max` instances starting at a random place in the layout, wrapping around: views into the layout (a fresh
   * one each redraw, so never overwritten under a response being written), no copy.
   */
  encode(max: number, revision: number): EncodedJson {
    const n = this.entries.length;
    if (revision !== this.tailRevision) {
      this.tail = Buffer.from(tailOf(revision));
      this.tailRevision = revision;
    }
    const take = Math.min(max, n);
    if (take === 0) return new EncodedJson(HEAD, this.tail);
    if (++this.uses > this.redrawAfter) this.redraw();
    const { layout, starts } = this;
    const first = Math.floor(this.random() * n);
    const end = first + take;
    // Both spans keep their fragments' trailing commas except the very last one.
    const a1 = end <= n ? starts[end]! - 1 : layout.length;
    const spanA = layout.subarray(starts[first]!, a1);
    if (end <= n) return new EncodedJson(HEAD, spanA, this.tail);
    return new EncodedJson(HEAD, spanA, layout.subarray(0, starts[end - n]! - 1), this.tail);
  }
}

/** What discovery derives from one version of a service's instance list. */
export class ServiceSnapshot {
  private readonly pools = new Map<HealthPool, readonly Entry[]>();
  private readonly rotations = new Map<HealthPool, Rotation | null>();

  constructor(
    readonly entries: readonly Entry[],
    private readonly random: () => number = Math.random,
  ) {}

  pool(kind: HealthPool): readonly Entry[] {
    if (kind === "ALL") return this.entries;
    let pool = this.pools.get(kind);
    if (pool === undefined) {
      pool = this.entries.filter((e) => e.health === kind);
      this.pools.set(kind, pool);
    }
    return pool;
  }

  hasHealthy(): boolean {
    return this.pool("HEALTHY").length > 0;
  }

  /** A random rotation of the pool, at most `maxResults` long (the fast path). */
  encodePool(kind: HealthPool, maxResults: number | undefined, revision: number): EncodedJson {
    let rotation = this.rotations.get(kind);
    if (rotation === undefined) {
      const pool = this.pool(kind);
      let bytes = 0;
      for (const e of pool) bytes += e.json.length;
      rotation = bytes <= MAX_LAYOUT_BYTES ? new Rotation(pool, this.random) : null;
      this.rotations.set(kind, rotation);
    }
    const max = maxResults ?? DEFAULT_DISCOVER_MAX_RESULTS;
    return rotation ? rotation.encode(max, revision) : encodeEntries(shuffleFirst(this.pool(kind).slice(), max, this.random), revision);
  }
}

/**
 * Snapshots per version of a service's instance list. A change to the instances replaces the list (and
 * each changed instance's snapshot), so nothing cached here goes stale; unchanged instances keep their bytes.
 */
const snapshots = new WeakMap<readonly InstanceView[], ServiceSnapshot>();
const entryBySnapshot = new WeakMap<InstanceView, Entry>();

export function snapshotOf(namespace: NamespaceView, service: ServiceView): ServiceSnapshot {
  const list = service.list();
  let snapshot = snapshots.get(list);
  if (snapshot === undefined) {
    const entries = list.map((instance) => {
      let entry = entryBySnapshot.get(instance);
      if (entry === undefined) {
        const summary: sd.HttpInstanceSummary = {
          InstanceId: instance.id,
          NamespaceName: namespace.httpName,
          ServiceName: service.name,
          HealthStatus: instance.health,
          Attributes: instance.attributes,
        };
        entry = { attributes: instance.attributes, health: instance.health, json: Buffer.from(JSON.stringify(summary)) };
        entryBySnapshot.set(instance, entry);
      }
      return entry;
    });
    snapshot = new ServiceSnapshot(entries);
    snapshots.set(list, snapshot);
  }
  return snapshot;
}
