import pg from "pg";
import type { Lease } from "../coordination.js";
import { connectUnlessEnded, connectionConfig } from "./connection.js";
import { Pause } from "./pause.js";
import { CAIRN_LEASE_CLASS } from "./lock-keys.js";

const RETRY_MS = 1_000;

/**
 * A named lease: a session-level advisory lock on a connection of its own. PostgreSQL frees it the moment that
 * session ends (node killed, connection lost), and another node's next attempt (about every second) takes it. This
 * node probes its session as often; when the probe fails it stops claiming the lease and reconnects to try again.
 */
export class AdvisoryLease implements Lease {
  private holding = false;
  private released = false;
  private client: pg.Client | undefined;
  private readonly running: Promise<void>;
  private readonly pause = new Pause();

  constructor(
    readonly name: string,
    private readonly url: string,
    private readonly log: (message: string, error?: unknown) => void,
    private readonly onRelease: (lease: AdvisoryLease) => void,
  ) {
    this.running = this.run();
  }

  get held(): boolean {
    return this.holding;
  }

  async release(): Promise<void> {
    this.released = true;
    this.holding = false;
    this.onRelease(this);
    this.pause.wake();
    // Ending the session frees the lock.
    await this.client?.end().catch(() => undefined);
    await this.running;
  }

  private async run(): Promise<void> {
    while (!this.released) {
      const client = new pg.Client(connectionConfig(this.url, `cairn lease ${this.name}`.slice(0, 63)));
      this.client = client;
      let lost = false;
      client.on("error", () => {
        lost = true;
        this.holding = false;
      });
      try {
        await connectUnlessEnded(client);
        while (!this.released && !lost) {
          if (this.holding) {
            await client.query("select 1");
          } else {
            const { rows } = await client.query<{ got: boolean }>("select pg_try_advisory_lock($1, hashtext($2)) as got", [CAIRN_LEASE_CLASS, this.name]);
            this.holding = rows[0]?.got === true && !this.released;
          }
          await this.pause.for(RETRY_MS);
        }
      } catch (error) {
        if (!this.released) this.log(`lease ${this.name}: connection lost; retrying`, error);
      }
      this.holding = false;
      await client.end().catch(() => undefined);
      if (!this.released) await this.pause.for(RETRY_MS);
    }
  }
}
