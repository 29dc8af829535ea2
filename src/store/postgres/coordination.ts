import type pg from "pg";
import type { ChangeListener } from "../changes.js";
import type { Coordination, Exclusive, Lease } from "../coordination.js";
import { ChangeFeed } from "./change-feed.js";
import { AdvisoryLease } from "./lease.js";
import { CAIRN_LEASE_CLASS } from "./lock-keys.js";

/** Several nodes on one database: changes heard through LISTEN/NOTIFY, jobs and leases on advisory locks. */
export class PostgresCoordination implements Coordination {
  private readonly feed: ChangeFeed;
  private readonly leases = new Set<AdvisoryLease>();

  constructor(
    private readonly url: string,
    private readonly pool: pg.Pool,
    private readonly log: (message: string, error?: unknown) => void,
    ownWrites?: (processId: number) => boolean,
  ) {
    this.feed = new ChangeFeed(url, log, ownWrites);
  }

  watch(listener: ChangeListener): () => void {
    return this.feed.watch(listener);
  }

  /** Changes may have been missed (a commit whose outcome is not known): every listener reloads. */
  resync(): void {
    this.feed.resync();
  }

  async runExclusive<T>(name: string, fn: () => Promise<T>): Promise<Exclusive<T>> {
    // A session lock on a pooled connection, kept for the job: if this node dies, its session and the lock go too.
    const client = await this.pool.connect();
    try {
      const { rows } = await client.query<{ got: boolean }>("select pg_try_advisory_lock($1, hashtext($2)) as got", [CAIRN_LEASE_CLASS, name]);
      if (rows[0]?.got !== true) return { ran: false };
      try {
        return { ran: true, value: await fn() };
      } finally {
        await client.query("select pg_advisory_unlock($1, hashtext($2))", [CAIRN_LEASE_CLASS, name]);
      }
    } finally {
      client.release();
    }
  }

  lease(name: string): Lease {
    const lease = new AdvisoryLease(name, this.url, this.log, (released) => this.leases.delete(released));
    this.leases.add(lease);
    return lease;
  }

  async close(): Promise<void> {
    await Promise.all([this.feed.close(), ...[...this.leases].map((lease) => lease.release())]);
  }
}
