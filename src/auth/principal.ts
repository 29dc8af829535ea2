/**
 * Who made a call, as far as SigV4 and the credential store can tell. The identity issue adds
 * IAM users, role sessions and federated users; CloudTrail's userIdentity is built from this.
 */
export type Principal =
  | { type: "Root"; accountId: string; arn: string; principalId: string; accessKeyId: string };

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
