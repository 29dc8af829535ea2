import type { SecretBox } from "../auth/secret-box.js";
import type { BucketSink } from "../delivery/sink.js";
import type { EventFeed } from "./events/feed.js";

/**
 * What handlers need from the server around them besides the store, reached only through `ctx.deps`: the API
 * tables stay static values, and a test or an embedding passes its own.
 */
export interface ServiceDeps {
  /** Seals secret access keys at rest (IAM access keys, STS session credentials). */
  box: SecretBox;
  /** Where trails deliver: CreateTrail/UpdateTrail check their bucket there. */
  sink: BucketSink;
  /** How many days Event history keeps (AWS: 90). LookupEvents never reaches further back. */
  eventRetentionDays: number;
  /** Puts PutEvents' events on the bus (their deliveries commit with the call). */
  eventFeed: EventFeed;
}
