/**
 * Who made a call, as far as SigV4 and the credential store can tell. CloudTrail's userIdentity, STS
 * GetCallerIdentity and IAM policy evaluation are all read from this.
 */
export type Principal = RootPrincipal | UserPrincipal | AssumedRolePrincipal | FederatedUserPrincipal | ServicePrincipal;

interface PrincipalBase {
  accountId: string;
  /** The caller's ARN (the session ARN for role sessions): what AWS's denial messages name. */
  arn: string;
  principalId: string;
  accessKeyId: string;
  /** `aws:PrincipalTag/<key>` of sessions: the role's tags overlaid with the session tags (users' come from IAM). */
  tags?: Record<string, string>;
}

/** What issued a session, as CloudTrail's `sessionContext.sessionIssuer` shows it. */
export interface SessionIssuer {
  type: "Role" | "IAMUser" | "Root";
  principalId: string;
  arn: string;
  accountId: string;
  /** The role or user name; absent for Root. */
  userName?: string;
}

/** The facts of temporary credentials (STS). */
export interface SessionFacts {
  /** Which STS call minted them: they restrict what the credentials may call. */
  origin: "GetSessionToken" | "AssumeRole" | "GetFederationToken";
  /** ISO-8601 to the second. */
  creationDate: string;
  mfaAuthenticated: boolean;
  /** Absent for GetSessionToken sessions (`sessionIssuer: {}`). */
  issuer?: SessionIssuer;
  /** Session policies passed to AssumeRole / GetFederationToken (inline `Policy`, then each `PolicyArns` document). */
  sessionPolicies?: string[];
  /** AssumeRole's SourceIdentity: set once, then carried unchanged through role chaining. */
  sourceIdentity?: string;
  /** Session tags that pass on to sessions this one assumes (role chaining). */
  transitiveTags?: Record<string, string>;
}

export interface RootPrincipal extends PrincipalBase {
  type: "Root";
  session?: SessionFacts;
}

export interface UserPrincipal extends PrincipalBase {
  type: "IAMUser";
  userName: string;
  session?: SessionFacts;
}

export interface AssumedRolePrincipal extends PrincipalBase {
  type: "AssumedRole";
  roleName: string;
  /** The role's ARN (with its path): `aws:PrincipalArn`. */
  roleArn: string;
  sessionName: string;
  session: SessionFacts;
  /** The AWS service that assumed the role on its own behalf, when one did (CloudTrail `invokedBy`). */
  invokedBy?: string;
}

export interface FederatedUserPrincipal extends PrincipalBase {
  type: "FederatedUser";
  federatedName: string;
  session: SessionFacts;
}

/**
 * An AWS service's agent calling with its own service-principal key (for example `ecs.amazonaws.com` assuming
 * a task role): CloudTrail shows `{type: "AWSService", invokedBy}`. `arn` is the service principal's name.
 */
export interface ServicePrincipal extends PrincipalBase {
  type: "AWSService";
  service: string;
}

export interface SigningCredential {
  accessKeyId: string;
  secretAccessKey: string;
  /** Set for temporary credentials: the request must carry exactly this X-Amz-Security-Token. */
  sessionToken?: string;
  /** Temporary credentials stop verifying after this instant. */
  expiration?: Date;
  /** Inactive keys are refused as unrecognised, as AWS does. */
  active: boolean;
  principal: Principal;
}

/** Where SigV4 finds the secret behind an access key id. IAM keys and STS sessions feed it. */
export interface CredentialResolver {
  resolve(accessKeyId: string): Promise<SigningCredential | undefined> | SigningCredential | undefined;
}

/** `aws:PrincipalArn`: the role's ARN for role sessions, the caller's ARN otherwise. */
export function principalArn(p: Principal): string {
  return p.type === "AssumedRole" ? p.roleArn : p.arn;
}

/** The IAM user or role whose policies a caller acts under, by unique id. */
export interface PolicyOwnerId {
  kind: "user" | "role";
  /** `AIDA…` or `AROA…`: a re-created namesake has another, so it never lends its policies to old keys or sessions. */
  id: string;
}

/**
 * Whose identity policies apply: an IAM user (its keys, its GetSessionToken sessions, the federation tokens it got)
 * or the role a session assumed. Undefined for root, root's sessions and AWS services, which no IAM entity owns.
 */
export function policyOwnerOf(p: Principal): PolicyOwnerId | undefined {
  switch (p.type) {
    case "IAMUser":
      return { kind: "user", id: p.principalId };
    case "AssumedRole":
      return { kind: "role", id: p.session.issuer?.principalId ?? "" };
    case "FederatedUser":
      return p.session.issuer?.type === "IAMUser" ? { kind: "user", id: p.session.issuer.principalId } : undefined;
    default:
      return undefined;
  }
}
