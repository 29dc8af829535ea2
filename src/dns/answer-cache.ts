/**
 * Finished answers, kept so that a repeated question costs a map lookup and a copy instead of resolving and
 * encoding it again (dns-packet writes names label by label: encoding is most of an answer's cost).
 *
 * The key is the query's bytes after its ID (flags, the question as asked, the EDNS0 record) and the transport;
 * an entry holds while the discovery view's version is unchanged, so a registration, deregistration or health
 * change is seen by the very next question. Only the two ID bytes of a kept answer are rewritten.
 *
 * Answers with a random choice (MULTIVALUE subsets, WEIGHTED picks) are kept as a pool: the first POOL_SIZE
 * askers get fresh answers, which fill the pool; the next REUSES get a random member of it; then the pool starts
 * over with fresh answers. So answers keep spreading over every value, as Route 53's do.
 */
import type { DiscoveryView } from "../view/discovery-view.js";
import type { Reply, Transport } from "./message.js";

const POOL_SIZE = 16;
const REUSES = 256;
/** Past this many distinct questions the cache starts over (bounds memory against random names). */
const MAX_ENTRIES = 1024;

interface Entry {
  version: number;
  varies: boolean;
  pool: Reply[];
  reused: number;
}

export class AnswerCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly view: DiscoveryView,
    private readonly random: () => number = Math.random,
  ) {}

  /** The answer to `query`: a kept one when still valid, else `compute()`'s, which is then kept. */
  answer(query: Buffer, transport: Transport, compute: () => Reply | undefined): Reply | undefined {
    if (query.length < 12) return compute();
    const key = transport + query.toString("latin1", 2);
    const version = this.view.version;
    let entry = this.entries.get(key);
    if (entry && entry.version !== version) {
      this.entries.delete(key);
      entry = undefined;
    }
    if (entry && !entry.varies) return withIdOf(entry.pool[0]!, query);
    if (entry && entry.pool.length >= POOL_SIZE) {
      if (entry.reused < REUSES) {
        entry.reused++;
        return withIdOf(entry.pool[Math.floor(this.random() * entry.pool.length)]!, query);
      }
      entry.pool = [];
      entry.reused = 0;
    }
    const fresh = compute();
    if (!fresh) return undefined;
    if (!entry) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      entry = { version, varies: fresh.varies, pool: [], reused: 0 };
      this.entries.set(key, entry);
    }
    entry.pool.push(fresh);
    return fresh;
  }
}

/** A copy of a kept answer carrying this query's ID (the message's first two bytes). */
function withIdOf(kept: Reply, query: Buffer): Reply {
  const bytes = Buffer.from(kept.bytes);
  query.copy(bytes, 0, 0, 2);
  return { ...kept, bytes };
}
