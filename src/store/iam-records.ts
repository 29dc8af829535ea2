/** IAM and STS rows as the store hands them out. */

export interface IamUserRecord {
  accountId: string;
  userName: string;
  userId: string;
  path: string;
  arn: string;
  createDate: Date;
  /** The managed policy ARN that bounds what the user's policies can grant. */
  permissionsBoundary?: string;
}

export interface IamRoleRecord {
  accountId: string;
  roleName: string;
  roleId: string;
  path: string;
  arn: string;
  /** The AssumeRolePolicyDocument as given (JSON text). */
  trustPolicy: string;
  description?: string;
  maxSessionDuration: number;
  createDate: Date;
  permissionsBoundary?: string;
}

export interface ManagedPolicyRecord {
  accountId: string;
  policyName: string;
  policyId: string;
  path: string;
  arn: string;
  /** The default version's document. */
  document: string;
  defaultVersionId: string;
  description?: string;
  createDate: Date;
  updateDate: Date;
}

export interface PolicyVersionRecord {
  versionId: string;
  document: string;
  createDate: Date;
}

export interface IamGroupRecord {
  accountId: string;
  groupName: string;
  groupId: string;
  path: string;
  arn: string;
  createDate: Date;
}

/** A user, role or group: what inline policies belong to and managed policies attach to. */
export interface PolicyOwner {
  kind: "user" | "role" | "group";
  name: string;
}

export interface InlinePolicyRecord {
  policyName: string;
  document: string;
}

export interface AttachedPolicyRecord {
  policyName: string;
  policyArn: string;
}

/** STS temporary credentials; secrets sealed, the principal as JSON. */
export interface SessionRecord {
  accessKeyId: string;
  accountId: string;
  secretAccessKey: string;
  sessionToken: string;
  principal: string;
  expiration: Date;
  createdAt: Date;
}
