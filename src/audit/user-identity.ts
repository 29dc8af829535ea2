import type { Principal, SessionFacts } from "../auth/principal.js";

function sessionContext(session: SessionFacts): Record<string, unknown> {
  const context: Record<string, unknown> = {
    sessionIssuer: session.issuer ? { ...session.issuer } : {},
    webIdFederationData: {},
    attributes: { creationDate: session.creationDate, mfaAuthenticated: String(session.mfaAuthenticated) },
  };
  if (session.sourceIdentity !== undefined) context.sourceIdentity = session.sourceIdentity;
  return context;
}

/** CloudTrail's `userIdentity` element for the caller, in AWS's field order. */
export function userIdentity(principal: Principal): Record<string, unknown> {
  const base = {
    type: principal.type,
    principalId: principal.principalId,
    arn: principal.arn,
    accountId: principal.accountId,
    accessKeyId: principal.accessKeyId,
  };
  switch (principal.type) {
    case "Root":
      return principal.session ? { ...base, sessionContext: sessionContext(principal.session) } : base;
    case "IAMUser":
      return principal.session
        ? { ...base, userName: principal.userName, sessionContext: sessionContext(principal.session) }
        : { ...base, userName: principal.userName };
    case "AssumedRole":
      return principal.invokedBy
        ? { ...base, sessionContext: sessionContext(principal.session), invokedBy: principal.invokedBy }
        : { ...base, sessionContext: sessionContext(principal.session) };
    case "FederatedUser":
      return { ...base, sessionContext: sessionContext(principal.session) };
    case "AWSService":
      return { type: "AWSService", invokedBy: principal.service };
  }
}

/** The `Username` LookupEvents shows and filters on. */
export function lookupUsername(principal: Principal): string | undefined {
  switch (principal.type) {
    case "Root":
      return "root";
    case "IAMUser":
      return principal.userName;
    case "AssumedRole":
      return principal.sessionName;
    case "FederatedUser":
      return principal.federatedName;
    case "AWSService":
      // Service-initiated calls carry no Username in Event history.
      return undefined;
  }
}
