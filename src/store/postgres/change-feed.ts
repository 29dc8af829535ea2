import pg from "pg";
import type { ChangeListener, StoreChange } from "../changes.js";
import { connectUnlessEnded, connectionConfig } from "./connection.js";
import { Pause } from "./pause.js";

export const CHANGES_CHANNEL = "cairn_changes";
const RECONNECT_MS = 500;
/** A connection that died without a word (no FIN, no RST) is found by this probe rather than waited on forever. */
const HEARTBEAT_MS = 5_000;

/** The payloads written by the triggers of migrations 007, 009 and 010. */
export function parseChange(payload: string): StoreChange | undefined {
  const p = JSON.parse(payload) as Record<string, string | undefined>;
  switch (p.t) {
    case "namespace":
    case "service":
      return p.a && p.r && p.id ? { kind: p.t, accountId: p.a, region: p.r, id: p.id } : undefined;
    case "instance":
      return p.s && p.i ? { kind: "instance", serviceId: p.s, instanceId: p.i } : undefined;
    case "eventRules":
      return p.a && p.r ? { kind: "eventRules", accountId: p.a, region: p.r } : undefined;
    case "accessKey":
    case "principal":
      return p.id ? { kind: p.t, id: p.id } : undefined;
    case "policies":
      return { kind: "policies" };
    default:
      return undefined;
  }
}

/**
 * LISTENs on one dedicated connection (opened with the first subscriber) and hands every committed change to the
 * subscribers, but those of this node's own writer. After each (re)connection they are told to resync: whatever committed while nobody listened is
 * then read from the store, so no change is missed for good.
 */
export class ChangeFeed {
  private readonly listeners = new Set<ChangeListener>();
  private client: pg.Client | undefined;
  private running: Promise<void> | undefined;
  private closed = false;
  private readonly pause = new Pause();

  /**
   * `ownWrites` says whether a notification comes from this node's own writer connection: that transaction's changes
   * were handed to the listeners with their rows when it committed, so hearing them again would only read them again.
   */
  constructor(
    private readonly url: string,
    private readonly log: (message: string, error?: unknown) => void,
    private readonly ownWrites: (processId: number) => boolean = () => false,
  ) {}

  watch(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    this.running ??= this.run();
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.pause.wake();
    await this.client?.end().catch(() => undefined);
    await this.running;
  }

  private async run(): Promise<void> {
    while (!this.closed) {
      const client = new pg.Client(connectionConfig(this.url, "cairn changes"));
      this.client = client;
      try {
        const lost = new Promise<unknown>((resolve) => {
          client.on("error", resolve);
          client.on("end", () => resolve(new Error("connection ended")));
        });
        client.on("notification", (message) => {
          if (!this.ownWrites(message.processId)) this.deliver(message.payload);
        });
        await connectUnlessEnded(client);
        await client.query(`listen ${CHANGES_CHANNEL}`);
        for (const listener of this.listeners) listener.resync();
        const error = await Promise.race([lost, this.heartbeat(client)]);
        if (!this.closed) this.log("change notifications connection lost; reconnecting", error);
      } catch (error) {
        if (!this.closed) this.log("change notifications: cannot listen; retrying", error);
      }
      await client.end().catch(() => undefined);
      if (!this.closed) await this.pause.for(RECONNECT_MS);
    }
  }

  /** Tells every listener that changes may have been missed (a commit whose outcome is not known). */
  resync(): void {
    for (const listener of this.listeners) listener.resync();
  }

  /** Resolves (with the failure) when a probe query fails. */
  private async heartbeat(client: pg.Client): Promise<unknown> {
    while (!this.closed) {
      await this.pause.for(HEARTBEAT_MS);
      if (this.closed) break;
      try {
        await client.query({ text: "select 1", query_timeout: HEARTBEAT_MS } as pg.QueryConfig);
      } catch (error) {
        return error;
      }
    }
    return undefined;
  }

  private deliver(payload: string | undefined): void {
    let change: StoreChange | undefined;
    try {
      change = payload === undefined ? undefined : parseChange(payload);
    } catch (error) {
      this.log(`unreadable change notification ${payload}`, error);
    }
    if (!change) return;
    for (const listener of this.listeners) listener.changed(change);
  }
}
