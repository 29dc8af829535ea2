import { accessDenied } from "../../protocol/auth-failures.js";
import { commonErrors } from "../../protocol/common-errors.js";
import type { Principal } from "../../auth/principal.js";

/**
 * The SourceIdentity a new role session carries (IAM User Guide, "Monitor and control actions taken with assumed
 * roles"): the one asked for, or the one of the session that assumes (role chaining), which can never be changed.
 * The model checks length and characters; AWS also reserves the `aws:` prefix.
 */
export function sourceIdentityOf(caller: Principal, requested: string | undefined): string | undefined {
  const inherited = caller.type === "AWSService" ? undefined : caller.session?.sourceIdentity;
  if (requested === undefined) return inherited;
  if (requested.toLowerCase().startsWith("aws:")) {
    throw commonErrors.ValidationError("SourceIdentity cannot begin with the reserved prefix 'aws:'.");
  }
  if (inherited !== undefined && inherited !== requested) {
    throw accessDenied(`The source identity of a session (${inherited}) cannot be changed by role chaining.`);
  }
  return requested;
}
