import type { Principal } from "../../auth/principal.js";
import { ServiceError } from "../../protocol/errors.js";

/**
 * The SourceIdentity a new role session carries (IAM User Guide, "Monitor and control actions taken with assumed
 * roles"): the one asked for, or the one of the session that assumes (role chaining), which can never be changed.
 * The model checks length and characters; AWS also reserves the `aws:` prefix.
 */
export function sourceIdentityOf(caller: Principal, requested: string | undefined): string | undefined {
  const inherited = caller.type === "AWSService" ? undefined : caller.session?.sourceIdentity;
  if (requested === undefined) return inherited;
  if (requested.toLowerCase().startsWith("aws:")) {
    throw new ServiceError("ValidationError", "SourceIdentity cannot begin with the reserved prefix 'aws:'.");
  }
  if (inherited !== undefined && inherited !== requested) {
    throw new ServiceError("AccessDenied", `The source identity of a session (${inherited}) cannot be changed by role chaining.`, { httpStatus: 403 });
  }
  return requested;
}
