/**
 * What several Cairn nodes on one store need from it besides transactions: to hear about each other's changes,
 * and to agree on which node does a job that must run only once (trail delivery, health probing, retention).
 * On SQLite there is one process, so nothing is ever heard and every lease is held.
 */
import type { ChangeListener } from "./changes.js";

/** Leadership for a long-running job, held until released or until this node loses its database session. */
export interface Lease {
  readonly name: string;
  /**
   * Whether this node holds the lease right now. It turns false as soon as the node notices its session is gone,
   * but a silently dead connection is noticed only by TCP keepalive: a holder must make its final write checked in
   * the store (e.g. advance a cursor from the value it read), not trust `held` alone.
   */
  readonly held: boolean;
  /** Gives the lease up (another node may take it at once) and stops trying to take it. */
  release(): Promise<void>;
}

export type Exclusive<T> = { ran: true; value: T } | { ran: false };

export interface Coordination {
  /**
   * Subscribes to the changes heard from the shared database (PostgreSQL notifications: every node's commits, this
   * node's echoed); returns the unsubscribe function. The store's own `watch` (store.ts) adds this node's changes.
   */
  watch(listener: ChangeListener): () => void;
  /** Runs `fn` unless another node (or this one) is running a job of this name; never waits for it. */
  runExclusive<T>(name: string, fn: () => Promise<T>): Promise<Exclusive<T>>;
  /** Starts trying to hold the lease `name` (retried about every second while another node holds it). */
  lease(name: string): Lease;
  close(): Promise<void>;
}

/** One process alone on its store: it hears nothing but its own changes (store.ts), and holds every lease. */
export function soleCoordination(): Coordination {
  const running = new Set<string>();
  return {
    watch: () => () => undefined,
    async runExclusive(name, fn) {
      if (running.has(name)) return { ran: false };
      running.add(name);
      try {
        return { ran: true, value: await fn() };
      } finally {
        running.delete(name);
      }
    },
    lease(name) {
      let held = true;
      return {
        name,
        get held() {
          return held;
        },
        release: async () => {
          held = false;
        },
      };
    },
    close: async () => undefined,
  };
}
