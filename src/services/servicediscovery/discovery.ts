/**
 * DiscoverInstances and DiscoverInstancesRevision: the calls applications make many times a second.
 * They are answered from the in-memory DiscoveryView (no store transaction, no CloudTrail management
 * event, as AWS does not record them) and DiscoverInstances writes its body from per-instance JSON
 * fragments encoded once per instance snapshot, so a call costs a lookup, a filter, a shuffle and a copy.
 * Both answer whatever Host the request came to (SDKs prefix `data-`): routing never looks at it.
 */
import type * as sd from "../../generated/servicediscovery.js";
import { EncodedJson } from "../../protocol/encoded-json.js";
import type { DiscoveryView, InstanceView, NamespaceView, ServiceView } from "../../view/discovery-view.js";
import { operation, type OperationContext } from "../operation.js";
import { selectInstances } from "./discovery-select.js";
import { namespaceNotFound, requestLimitExceeded, serviceNotFound } from "./errors.js";
import { TokenBuckets } from "./throttle.js";

const buckets = new WeakMap<DiscoveryView, TokenBuckets>();

function throttle(ctx: OperationContext, operation: string, perSecond: number, burst: number): void {
  if (perSecond <= 0) return;
  let perView = buckets.get(ctx.discovery);
  if (!perView) buckets.set(ctx.discovery, (perView = new TokenBuckets()));
  if (!perView.take(`${ctx.accountId}/${ctx.region}/${operation}`, perSecond, burst, ctx.now.getTime())) throw requestLimitExceeded(operation);
}

/** NamespaceName is the namespace's HttpName; OwnerAccount, when given, must be the caller's own account. */
function resolve(ctx: OperationContext, input: { NamespaceName: string; ServiceName: string; OwnerAccount?: string }): { namespace: NamespaceView; service: ServiceView } {
  if (input.OwnerAccount !== undefined && input.OwnerAccount !== ctx.accountId) throw namespaceNotFound(input.NamespaceName);
  const found = ctx.discovery.lookup(ctx.accountId, ctx.region, input.NamespaceName, input.ServiceName);
  if (found.found) return found;
  throw found.namespace ? serviceNotFound(input.ServiceName) : namespaceNotFound(input.NamespaceName);
}

// --- Encoding ----------------------------------------------------------------------------------------

/** One instance as discovery serves it: what filtering reads, and its HttpInstanceSummary as JSON bytes. */
interface Entry {
  readonly attributes: Readonly<Record<string, string>>;
  readonly health: InstanceView["health"];
  readonly json: Buffer;
}

/**
 * Entries per version of a service's instance list. A change to the instances replaces the list (and
 * each changed instance's snapshot), so cached entries never go stale; unchanged snapshots keep their bytes.
 */
const entriesByList = new WeakMap<readonly InstanceView[], readonly Entry[]>();
const entryBySnapshot = new WeakMap<InstanceView, Entry>();

function entriesOf(namespace: NamespaceView, service: ServiceView): readonly Entry[] {
  const list = service.list();
  let entries = entriesByList.get(list);
  if (entries === undefined) {
    entries = list.map((instance) => {
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
    entriesByList.set(list, entries);
  }
  return entries;
}

const HEAD = Buffer.from('{"Instances":[');

/**
 * Response bodies are carved from 1 MiB slabs, as Node pools small Buffers: one ArrayBuffer per ~45
 * responses instead of one each keeps allocation and GC off the hot path. A slab is never written twice;
 * it is freed once every response cut from it has been sent and dropped.
 */
const SLAB_SIZE = 1 << 20;
let slab = Buffer.allocUnsafeSlow(0);
let slabUsed = 0;

function allocate(size: number): Buffer {
  if (size > SLAB_SIZE >>> 2) return Buffer.allocUnsafeSlow(size);
  if (slabUsed + size > slab.length) {
    slab = Buffer.allocUnsafeSlow(SLAB_SIZE);
    slabUsed = 0;
  }
  const out = slab.subarray(slabUsed, slabUsed + size);
  slabUsed = (slabUsed + size + 7) & ~7;
  return out;
}

/** `{"Instances":[…],"InstancesRevision":n}`, byte for byte what encoding the typed output would produce. */
function encodeDiscoverResponse(entries: readonly Entry[], revision: number): EncodedJson {
  const tail = `],"InstancesRevision":${revision}}`;
  let length = HEAD.length + Math.max(entries.length - 1, 0) + tail.length;
  for (let i = 0; i < entries.length; i++) length += entries[i]!.json.length;
  // A copy per fragment into one buffer (Buffer.concat costs twice as much for ~200 small parts).
  const out = allocate(length);
  out.set(HEAD, 0);
  let at = HEAD.length;
  for (let i = 0; i < entries.length; i++) {
    if (i > 0) out[at++] = 0x2c; // ,
    const json = entries[i]!.json;
    out.set(json, at);
    at += json.length;
  }
  out.write(tail, at, "latin1");
  return new EncodedJson(out);
}

// --- Operations --------------------------------------------------------------------------------------

export const DiscoverInstances = operation<sd.DiscoverInstancesRequest, sd.DiscoverInstancesResponse | EncodedJson>({
  readOnly: true,
  recorded: false,
  usesStore: false,
  async handle(input, ctx) {
    throttle(ctx, "DiscoverInstances", ctx.limits.discoverInstancesPerSecond, ctx.limits.discoverInstancesBurst);
    const { namespace, service } = resolve(ctx, input);
    const picked = selectInstances(entriesOf(namespace, service), service.healthChecked, {
      healthStatus: input.HealthStatus,
      queryParameters: input.QueryParameters,
      optionalParameters: input.OptionalParameters,
      maxResults: input.MaxResults,
    });
    return encodeDiscoverResponse(picked, service.revision);
  },
});

/** The revision DiscoverInstances would return, for cheap polling by caching clients. */
export const DiscoverInstancesRevision = operation<sd.DiscoverInstancesRevisionRequest, sd.DiscoverInstancesRevisionResponse>({
  readOnly: true,
  recorded: false,
  usesStore: false,
  async handle(input, ctx) {
    throttle(ctx, "DiscoverInstancesRevision", ctx.limits.discoverInstancesRevisionPerSecond, ctx.limits.discoverInstancesRevisionBurst);
    return { InstancesRevision: resolve(ctx, input).service.revision };
  },
});
