import type { InstanceRecord, NamespaceRecord, ServiceRecord } from "./records.js";

/**
 * A committed change to something Cairn keeps in memory: the discovery view (namespaces, services, instances and
 * their health) and the IAM caches (access keys, users and roles, the policies that apply to them).
 *
 * Every change names its row by its keys. `written` is the row as the write left it (`null`: deleted) and is present
 * when the change comes from this process's own transaction (the repository that wrote it noted it), so a follower
 * applies it without reading the store again. A change heard from another node (PostgreSQL notifications, which also
 * echo this node's own writes) carries the keys only: read the row again.
 */
export type StoreChange =
  | { kind: "namespace"; accountId: string; region: string; id: string; written?: NamespaceRecord | null }
  | { kind: "service"; accountId: string; region: string; id: string; written?: ServiceRecord | null }
  | { kind: "instance"; serviceId: string; instanceId: string; written?: InstanceRecord | null }
  /** A service's InstancesRevision moved (always from this process: another node's instance change carries it). */
  | { kind: "instancesRevision"; serviceId: string; revision: number }
  | { kind: "accessKey"; id: string }
  /** An IAM user or role (by unique id, `AIDA…`/`AROA…`) was created, changed (name, path, boundary) or deleted. */
  | { kind: "principal"; id: string }
  /** What decides an identity's permissions changed: a policy, version, attachment, group, membership or user tag. */
  | { kind: "policies" }
  /** An EventBridge rule or target of the account and region changed (PostgreSQL: migration 010's trigger). */
  | { kind: "eventRules"; accountId: string; region: string }
  /** Deliveries were added to the event bus's outbox (this process only: the delivery worker polls besides). */
  | { kind: "eventDeliveries"; deliveries: { ruleArn: string; targetId: string }[] };

export interface ChangeListener {
  /** A change committed (by any node, this one included), in commit order. */
  changed(change: StoreChange): void;
  /** Changes may have been missed (the notification connection was lost and is back): reload everything. */
  resync(): void;
}

/** How a repository tells the transaction what it wrote; the store hands the notes to its listeners after commit. */
export type NoteChange = (change: StoreChange) => void;

/** Whether a resource ARN names an IAM user (whose tags are its principal tags, read by authorisation). */
export const isIamUserArn = (arn: string): boolean => /^arn:[^:]+:iam::[^:]*:user\//.test(arn);
