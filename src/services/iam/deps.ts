import type { SecretBox } from "../../auth/secret-box.js";

/** Drops cached identity policies (and user tags) once a change to them has committed. */
export interface PolicyChangeDeps {
  forgetPolicies(): void;
}

/** What IAM's handlers need from the server around them. */
export interface IamDeps extends PolicyChangeDeps {
  /** Seals secret access keys at rest. */
  box: SecretBox;
  /** Drops a key from the SigV4 credential cache once its change has committed. */
  forgetKey(accessKeyId: string): void;
  /** Drops cached credentials and policies of a deleted user or role (by unique id) once the deletion has committed. */
  forgetOwner(uniqueId: string): void;
}
