import type { IamRoleRecord, IamUserRecord } from "../../store/iam-records.js";
import type { IamRepo } from "../../store/store.js";

/**
 * Finding IAM users and roles by ARN. Names are unique whatever their case, but an ARN names an entity only when it
 * is the stored ARN exactly (account, path, name and case): anything else would let a policy check see one ARN
 * while the call acts on another entity.
 */

/** `arn:aws:iam::{account}:{user|role}/{path}{name}` → its parts; undefined for anything else. */
export function parseEntityArn(arn: string): { accountId: string; kind: "user" | "role"; name: string } | undefined {
  const m = /^arn:aws:iam::(\d{12}):(user|role)\/(?:[^*?]*\/)?([^/*?]+)$/.exec(arn);
  return m ? { accountId: m[1]!, kind: m[2] as "user" | "role", name: m[3]! } : undefined;
}

/** The role of `accountId` whose stored ARN is exactly `arn`. */
export async function roleByArn(iam: IamRepo, accountId: string, arn: string): Promise<IamRoleRecord | undefined> {
  const ref = parseEntityArn(arn);
  if (!ref || ref.kind !== "role" || ref.accountId !== accountId) return undefined;
  const role = await iam.getRole(accountId, ref.name);
  return role?.arn === arn ? role : undefined;
}

/** The user or role whose stored ARN is exactly `arn`, in whichever account the ARN names. */
export async function entityByArn(iam: IamRepo, arn: string): Promise<IamUserRecord | IamRoleRecord | undefined> {
  const ref = parseEntityArn(arn);
  if (!ref) return undefined;
  const entity = ref.kind === "user" ? await iam.getUser(ref.accountId, ref.name) : await iam.getRole(ref.accountId, ref.name);
  return entity?.arn === arn ? entity : undefined;
}
