import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A loopback stand-in for an S3-compatible server that answers HeadBucket only: 200 for its buckets, 404 for others.
 * While `holding`, answers wait until `release()`, so a test can act while a call is known to be waiting on S3.
 */
export interface StallingS3 {
  endpoint: string;
  /** The buckets asked about, in order (one entry per HeadBucket received). */
  heads: string[];
  holding: boolean;
  /** Answers every held HeadBucket; later ones are answered at once until `holding` is set again. */
  release(): void;
  stop(): Promise<void>;
}

export async function startStallingS3(buckets: string[]): Promise<StallingS3> {
  let held: (() => void)[] = [];
  const server = http.createServer((req, res) => {
    const bucket = decodeURIComponent((req.url ?? "/").split("?")[0]!.split("/")[1] ?? "");
    const answer = () => res.writeHead(req.method === "HEAD" && buckets.includes(bucket) ? 200 : 404).end();
    if (req.method === "HEAD") state.heads.push(bucket);
    if (state.holding) held.push(answer);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const state: StallingS3 = {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    heads: [],
    holding: false,
    release() {
      state.holding = false;
      for (const answer of held) answer();
      held = [];
    },
    async stop() {
      state.release();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return state;
}

/** Polls until `ready()` holds (a request has reached the server), failing after a few seconds. */
export async function until(ready: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (ready()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}
