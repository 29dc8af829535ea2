import type { Principal } from "../auth/principal.js";

/** CloudTrail's `userIdentity` element for the caller. */
export function userIdentity(principal: Principal): Record<string, unknown> {
  switch (principal.type) {
    case "Root":
      return {
        type: "Root",
        principalId: principal.principalId,
        arn: principal.arn,
        accountId: principal.accountId,
        accessKeyId: principal.accessKeyId,
      };
  }
}

/** The `Username` LookupEvents shows and filters on. */
export function lookupUsername(principal: Principal): string | undefined {
  switch (principal.type) {
    case "Root":
      return "root";
  }
}
