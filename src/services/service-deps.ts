import type { SecretBox } from "../auth/secret-box.js";
import type { BucketSink } from "../delivery/sink.js";

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
  /** Drops a key from the SigV4 credential cache once its change has committed. */
  forgetKey(accessKeyId: string): void;
  /** Drops cached identity policies (and user tags) once a change to them has committed. */
  forgetPolicies(): void;
  /** Drops cached credentials and policies of a deleted user or role (by unique id) once the deletion has committed. */
  forgetOwner(uniqueId: string): void;
}
