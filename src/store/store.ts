import type {
  AccessKeyRecord,
  EventPage,
  EventQuery,
  HealthStatus,
  InstanceRecord,
  NamespaceRecord,
  OperationFilter,
  OperationRecord,
  PageCursor,
  ServiceChangeRecord,
  ServiceRecord,
  StoredEvent,
  Tag,
} from "./records.js";
import type { DeliveredLogFile, DigestChain, LogEvent, SigningKeyRecord, TrailRecord } from "./trail-records.js";
import type { Coordination } from "./coordination.js";
import type { ChangeListener } from "./changes.js";
import type { ApiDestinationRecord, BusScope, ConnectionRecord, PendingDelivery, RuleRecord, RuleState, TargetConfig, TargetRecord } from "./event-bus-records.js";

export interface TransactionOptions {
  /**
   * The transaction reads (a read-only call, a view reload): it sees one consistent snapshot and never waits for
   * writers. It may still write what no check depends on (a new row under a fresh random id), but such a write does
   * not take turns with the writers (SQLite, whose readers cannot write, runs such a transaction again as a write).
   */
  readOnly?: boolean;
  /**
   * The transaction only appends what no check depends on and reads nothing (CloudTrail records written on their
   * own): SQLite runs it ahead of the writing calls still waiting, which cannot depend on it either.
   */
  appendOnly?: boolean;
}
import type {
  AttachedPolicyRecord,
  IamGroupRecord,
  IamRoleRecord,
  IamUserRecord,
  InlinePolicyRecord,
  ManagedPolicyRecord,
  PolicyOwner,
  PolicyVersionRecord,
  SessionRecord,
} from "./iam-records.js";

/**
 * Cairn's persistence boundary: domain operations grouped by resource, always inside a transaction.
 * SQLite and PostgreSQL implement it; handlers never see SQL.
 */
export interface Store extends Coordination {
  /**
   * Runs `fn` in one transaction: all it writes commits together, or nothing does. Writing transactions run one at
   * a time, as if alone (SQLite has one writer; PostgreSQL makes every node's writers take turns, see postgres/open.ts),
   * so a handler's checks (quotas, names, tokens) still hold when it writes: keep writing transactions short, with no
   * I/O but the store's. `fn` may be run again after a lost race, so it must have no effect outside `tx` before it
   * returns. What `fn` throws comes out as thrown; a database that cannot do the work throws a typed StoreError
   * (./errors.ts), never its own codes.
   */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>, options?: TransactionOptions): Promise<T>;

  /**
   * The store's change stream, the one way a change reaches memory (the discovery view, DNS, the IAM caches): every
   * repository write to namespaces, services, instances (health included), access keys, IAM users, roles, groups,
   * policies and user tags notes a change (changes.ts), and the listener hears it once the transaction committed,
   * in commit order, with the row as written. A rolled-back transaction or savepoint, and an attempt run again, is
   * never heard. On SQLite the changes are handed over right after the commit is durable, before the call is
   * answered; on PostgreSQL too, and every node also hears every other node's commits (and those of its own
   * transactions that did not go through its writer) through the database's notifications, with keys only. `resync` means changes may have been missed: reload everything. Returns the
   * unsubscribe function.
   */
  watch(listener: ChangeListener): () => void;
}

export interface StoreTx {
  /**
   * A write whose outcome the caller does not wait for: the transaction does, before it ends, and fails with it if it
   * fails. Its first statement runs before anything issued after it (on PostgreSQL they share a round trip); the rest
   * of a write of several statements may not. So only for writes that nothing later in the call reads, and whose
   * errors no code catches.
   */
  defer(write: Promise<unknown>): void;
  accounts: AccountRepo;
  namespaces: NamespaceRepo;
  services: ServiceRepo;
  instances: InstanceRepo;
  serviceAttributes: ServiceAttributeRepo;
  operations: OperationRepo;
  tokens: RequestTokenRepo;
  tags: TagRepo;
  events: EventRepo;
  trails: TrailRepo;
  signingKeys: SigningKeyRepo;
  iam: IamRepo;
  eventRules: EventRuleRepo;
  eventConnections: EventConnectionRepo;
  eventOutbox: EventOutboxRepo;
}

export interface AccountRepo {
  anyAccount(): Promise<string | undefined>;
  createAccount(accountId: string, at: Date): Promise<void>;
  createAccessKey(key: AccessKeyRecord): Promise<void>;
  findAccessKey(accessKeyId: string): Promise<AccessKeyRecord | undefined>;
  /** The account's first root access key (what `--init` records its calls under). */
  rootAccessKeyId(accountId: string): Promise<string | undefined>;
  /** `POST /_cairn/reset`: removes everything the APIs created (IAM users' keys too), keeping accounts and their root keys. */
  emptyAllButRoot(): Promise<void>;
}

export interface NamespaceRepo {
  insert(ns: NamespaceRecord): Promise<void>;
  get(accountId: string, region: string, id: string): Promise<NamespaceRecord | undefined>;
  byHttpName(accountId: string, region: string, httpName: string): Promise<NamespaceRecord | undefined>;
  /** Every namespace of the account in the region, oldest first (bounded by the namespace quota). */
  list(accountId: string, region: string): Promise<NamespaceRecord[]>;
  count(accountId: string, region: string): Promise<number>;
  /** Every namespace of every account and region (loads the in-memory discovery view). */
  listAll(): Promise<NamespaceRecord[]>;
  update(id: string, change: { description?: string | null; soaTtl?: number }): Promise<void>;
  delete(id: string): Promise<void>;
}

export interface ServiceRepo {
  /** `nameKey` is what makes the name unique in its namespace (the services_name index). */
  insert(service: ServiceRecord, nameKey: string): Promise<void>;
  get(accountId: string, region: string, id: string): Promise<ServiceRecord | undefined>;
  /** Those of `ids` that exist, in any account and region, in no particular order (the discovery view's reloads). */
  getMany(ids: readonly string[]): Promise<ServiceRecord[]>;
  /** The service of a namespace whose name key (see the services table) is `nameKey`. */
  byNameKey(namespaceId: string, nameKey: string): Promise<ServiceRecord | undefined>;
  /** Oldest first by (create date, id), after `cursor`, at most `limit` items. */
  list(accountId: string, region: string, filter: { namespaceId?: string }, limit: number, cursor?: PageCursor): Promise<ServiceRecord[]>;
  /** Every service of every account and region (loads the in-memory discovery view). */
  listAll(): Promise<ServiceRecord[]>;
  update(id: string, change: ServiceChangeRecord): Promise<void>;
  delete(id: string): Promise<void>;
  /** Moves the instances revision past its current value and at least to `atLeast`; returns the new value. */
  bumpRevision(id: string, atLeast: number): Promise<number>;
  countInNamespace(namespaceId: string): Promise<number>;
  countByNamespace(accountId: string, region: string): Promise<Map<string, number>>;
}

export interface InstanceRepo {
  get(serviceId: string, instanceId: string): Promise<InstanceRecord | undefined>;
  /** Those of `keys` that exist, in no particular order (the discovery view's reloads: a few statements for many). */
  getMany(keys: ReadonlyArray<{ serviceId: string; instanceId: string }>): Promise<InstanceRecord[]>;
  /** Inserts, or replaces the instance with the same ID in the service (keeping its first create date). */
  put(instance: InstanceRecord): Promise<void>;
  delete(serviceId: string, instanceId: string): Promise<void>;
  /** Oldest first by (create date, instance id), after `cursor`, at most `limit` items. */
  list(serviceId: string, limit: number, cursor?: PageCursor): Promise<InstanceRecord[]>;
  /** Every instance of the service, oldest first (bounded by the instances-per-service quota). */
  listInService(serviceId: string): Promise<InstanceRecord[]>;
  /** Every instance of every service (loads the in-memory discovery view). */
  listAll(): Promise<InstanceRecord[]>;
  countInService(serviceId: string): Promise<number>;
  /** The instances in the service and in its namespace, in one statement (RegisterInstance's quotas). */
  countInServiceAndNamespace(serviceId: string, namespaceId: string): Promise<{ inService: number; inNamespace: number }>;
  countByService(serviceIds: string[]): Promise<Map<string, number>>;
  setHealth(serviceId: string, instanceId: string, health: { status: HealthStatus; customStatus?: "HEALTHY" | "UNHEALTHY" }, at: Date): Promise<void>;
}

/** A service's own key/value attributes (not tags, not instance attributes). */
export interface ServiceAttributeRepo {
  /** In key order. */
  get(serviceId: string): Promise<Record<string, string>>;
  /** Adds or overwrites each key. */
  put(serviceId: string, attributes: Record<string, string>): Promise<void>;
  remove(serviceId: string, keys: string[]): Promise<void>;
  removeAll(serviceId: string): Promise<void>;
}

export interface OperationRepo {
  insert(op: OperationRecord): Promise<void>;
  get(accountId: string, region: string, id: string): Promise<OperationRecord | undefined>;
  /** Newest first, after `cursor`, at most `limit` items. */
  list(accountId: string, region: string, filter: OperationFilter, limit: number, cursor?: PageCursor): Promise<OperationRecord[]>;
}

/** Remembers what an idempotent request returned, keyed by its client token. */
export interface RequestTokenRepo {
  get(accountId: string, region: string, operation: string, token: string): Promise<unknown | undefined>;
  put(accountId: string, region: string, operation: string, token: string, result: unknown, at: Date): Promise<void>;
}

export interface TagRepo {
  list(resourceArn: string): Promise<Tag[]>;
  /** Adds or overwrites each key (an overwritten key keeps its place). */
  put(resourceArn: string, tags: Tag[]): Promise<void>;
  remove(resourceArn: string, keys: string[]): Promise<void>;
  removeAll(resourceArn: string): Promise<void>;
}

export interface EventRepo {
  /**
   * Appends in sequence order = commit order: once an event with seq N is visible, no event with a smaller seq can
   * still commit (PostgreSQL: see migration 001), so a reader of `seq > cursor` never skips one.
   */
  append(event: StoredEvent): Promise<void>;
  /** Event history: one page of the account's events in a region, newest first by (eventTime, seq). */
  lookup(query: EventQuery): Promise<EventPage>;
  /** Deletes up to `batch` of the oldest events with eventTime before `cutoff`; returns how many went. */
  purgeBefore(cutoff: Date, batch: number): Promise<number>;
  /** Trail delivery: up to `limit` events with seq > `afterSeq`, in seq order (the order they committed in). */
  after(afterSeq: number, limit: number): Promise<LogEvent[]>;
  /** The highest seq appended so far (0 when there is none). */
  maxSeq(): Promise<number>;
}

/** CloudTrail trails and their delivery state. */
export interface TrailRepo {
  insert(trail: TrailRecord): Promise<void>;
  /** Writes every mutable column (callers read, change and save inside one transaction). */
  save(trail: TrailRecord): Promise<void>;
  get(id: string): Promise<TrailRecord | undefined>;
  /** Live trails an account sees in a region: its own, and multi-region trails of other home regions. */
  visible(accountId: string, region: string): Promise<TrailRecord[]>;
  /** The live trail with this ARN. */
  byArn(accountId: string, arn: string): Promise<TrailRecord | undefined>;
  /** Every trail, deleted ones still draining included (the delivery worker's work list). */
  all(): Promise<TrailRecord[]>;
  /** Forgets a trail and everything delivery kept for it. */
  purge(id: string): Promise<void>;
  addLogFiles(files: DeliveredLogFile[]): Promise<void>;
  /** Log files of the trail in the region delivered at or before `upTo`, oldest first. */
  logFiles(trailId: string, region: string, upTo: number): Promise<DeliveredLogFile[]>;
  /** Forgets the log files a digest listed. */
  removeLogFiles(trailId: string, region: string, s3Objects: string[]): Promise<void>;
  chains(trailId: string): Promise<DigestChain[]>;
  putChain(chain: DigestChain): Promise<void>;
  removeChain(trailId: string, region: string): Promise<void>;
}

export interface SigningKeyRepo {
  /** The region's keys, oldest first. */
  list(region: string): Promise<SigningKeyRecord[]>;
  insert(key: SigningKeyRecord): Promise<void>;
}

/** IAM users, roles and policies of an account, and STS sessions. Names are matched case-insensitively. */
export interface IamRepo {
  createUser(user: IamUserRecord): Promise<void>;
  getUser(accountId: string, userName: string): Promise<IamUserRecord | undefined>;
  /** By unique id (`AIDA…`): what sessions and keys are bound to, so a re-created namesake is not found. */
  getUserById(accountId: string, userId: string): Promise<IamUserRecord | undefined>;
  /** By name, at most `limit` after the name `after`. */
  listUsers(accountId: string, pathPrefix: string, limit: number, after?: string): Promise<IamUserRecord[]>;
  deleteUser(accountId: string, userName: string): Promise<void>;
  /** Renames or moves a user, carrying its keys, policies, attachments and tags along. */
  updateUser(accountId: string, userName: string, next: IamUserRecord): Promise<void>;
  listAccessKeys(accountId: string, userName: string): Promise<AccessKeyRecord[]>;
  updateAccessKeyStatus(accessKeyId: string, status: "Active" | "Inactive"): Promise<void>;
  deleteAccessKey(accessKeyId: string): Promise<void>;

  createGroup(group: IamGroupRecord): Promise<void>;
  getGroup(accountId: string, groupName: string): Promise<IamGroupRecord | undefined>;
  listGroups(accountId: string, pathPrefix: string, limit: number, after?: string): Promise<IamGroupRecord[]>;
  deleteGroup(accountId: string, groupName: string): Promise<void>;
  addUserToGroup(accountId: string, groupName: string, userName: string): Promise<void>;
  removeUserFromGroup(accountId: string, groupName: string, userName: string): Promise<void>;
  /** Members by name. */
  groupMembers(accountId: string, groupName: string): Promise<IamUserRecord[]>;
  /** A user's groups by name. */
  groupsOfUser(accountId: string, userName: string): Promise<IamGroupRecord[]>;

  createRole(role: IamRoleRecord): Promise<void>;
  getRole(accountId: string, roleName: string): Promise<IamRoleRecord | undefined>;
  /** By unique id (`AROA…`), as getUserById. */
  getRoleById(accountId: string, roleId: string): Promise<IamRoleRecord | undefined>;
  listRoles(accountId: string, pathPrefix: string, limit: number, after?: string): Promise<IamRoleRecord[]>;
  deleteRole(accountId: string, roleName: string): Promise<void>;
  updateTrustPolicy(accountId: string, roleName: string, document: string): Promise<void>;
  updateRole(accountId: string, roleName: string, change: { description?: string; maxSessionDuration?: number }): Promise<void>;

  /** Adds or replaces. */
  putInlinePolicy(accountId: string, owner: PolicyOwner, policy: InlinePolicyRecord): Promise<void>;
  getInlinePolicy(accountId: string, owner: PolicyOwner, policyName: string): Promise<InlinePolicyRecord | undefined>;
  listInlinePolicies(accountId: string, owner: PolicyOwner): Promise<InlinePolicyRecord[]>;
  deleteInlinePolicy(accountId: string, owner: PolicyOwner, policyName: string): Promise<void>;

  createPolicy(policy: ManagedPolicyRecord): Promise<void>;
  getPolicy(arn: string): Promise<ManagedPolicyRecord | undefined>;
  getPolicyByName(accountId: string, policyName: string): Promise<ManagedPolicyRecord | undefined>;
  /** The account's managed policies by name, after the name `after`. */
  listPolicies(accountId: string, after?: string): Promise<ManagedPolicyRecord[]>;
  /** Deletes the policy and all its versions. */
  deletePolicy(arn: string): Promise<void>;
  /** Oldest first. */
  listPolicyVersions(arn: string): Promise<PolicyVersionRecord[]>;
  /** Adds the next version (`v<n>`) and returns its id; `makeDefault` also makes it the policy's document. */
  addPolicyVersion(arn: string, document: string, makeDefault: boolean, at: Date): Promise<string>;
  setDefaultPolicyVersion(arn: string, versionId: string, at: Date): Promise<void>;
  deletePolicyVersion(arn: string, versionId: string): Promise<void>;
  attach(accountId: string, owner: PolicyOwner, policyArn: string, at: Date): Promise<void>;
  detach(accountId: string, owner: PolicyOwner, policyArn: string): Promise<void>;
  listAttached(accountId: string, owner: PolicyOwner): Promise<AttachedPolicyRecord[]>;
  attachmentCount(policyArn: string): Promise<number>;
  /** Sets (or, with undefined, removes) a user's or role's permissions boundary. */
  setPermissionsBoundary(accountId: string, owner: PolicyOwner, policyArn: string | undefined): Promise<void>;
  /** How many users and roles a managed policy bounds. */
  boundaryUsageCount(policyArn: string): Promise<number>;
  /** The document of a user's or role's permissions boundary, if it has one. */
  boundaryDocument(accountId: string, owner: PolicyOwner): Promise<string | undefined>;
  /**
   * Every identity policy of a user, role or group: inline documents, then attached managed documents; for a user,
   * then those of each of its groups.
   */
  identityPolicies(accountId: string, owner: PolicyOwner): Promise<string[]>;

  createSession(session: SessionRecord): Promise<void>;
  findSession(accessKeyId: string): Promise<SessionRecord | undefined>;
  /** Deletes up to `limit` sessions that expired before `cutoff`. */
  deleteSessionsExpiredBefore(cutoff: Date, limit: number): Promise<void>;
}

/** EventBridge rules and their targets, per bus. Names are case-sensitive. */
export interface EventRuleRepo {
  /** Inserts, or replaces everything but the creator and creation time of the rule with the same name. */
  put(rule: RuleRecord): Promise<void>;
  get(scope: BusScope, name: string): Promise<RuleRecord | undefined>;
  /** By name, those starting with `namePrefix`, at most `limit` after the name `after`. */
  list(scope: BusScope, namePrefix: string | undefined, limit: number, after?: string): Promise<RuleRecord[]>;
  count(scope: BusScope): Promise<number>;
  setState(scope: BusScope, name: string, state: RuleState): Promise<void>;
  delete(scope: BusScope, name: string): Promise<void>;
  /** A rule's targets in the order they were first put. */
  targets(scope: BusScope, ruleName: string): Promise<TargetConfig[]>;
  /** Every target of every rule on the bus (loads the in-memory rules). */
  allTargets(scope: BusScope): Promise<TargetRecord[]>;
  /** Adds or replaces the target with the same Id (a replaced target keeps its place). */
  putTarget(scope: BusScope, ruleName: string, target: TargetConfig): Promise<void>;
  removeTargets(scope: BusScope, ruleName: string, ids: string[]): Promise<void>;
  /** Names of the bus's rules with a target of this ARN, by name, at most `limit` after `after`. */
  ruleNamesByTarget(scope: BusScope, targetArn: string, limit: number, after?: string): Promise<string[]>;
  /** Targets of any rule in the account and region with this ARN (an API destination still in use). */
  countTargetsOf(accountId: string, region: string, targetArn: string): Promise<number>;
}

/** EventBridge connections (secrets sealed) and API destinations, per account and region, by name. */
export interface EventConnectionRepo {
  insertConnection(connection: ConnectionRecord): Promise<void>;
  saveConnection(connection: ConnectionRecord): Promise<void>;
  getConnection(accountId: string, region: string, name: string): Promise<ConnectionRecord | undefined>;
  connectionByArn(arn: string): Promise<ConnectionRecord | undefined>;
  /** By name. */
  listConnections(accountId: string, region: string): Promise<ConnectionRecord[]>;
  deleteConnection(accountId: string, region: string, name: string): Promise<void>;
  insertDestination(destination: ApiDestinationRecord): Promise<void>;
  saveDestination(destination: ApiDestinationRecord): Promise<void>;
  getDestination(accountId: string, region: string, name: string): Promise<ApiDestinationRecord | undefined>;
  destinationByArn(arn: string): Promise<ApiDestinationRecord | undefined>;
  /** By name. */
  listDestinations(accountId: string, region: string): Promise<ApiDestinationRecord[]>;
  deleteDestination(accountId: string, region: string, name: string): Promise<void>;
}

/** Deliveries of events to targets not yet done: written with their event, removed once delivered or dropped. */
export interface EventOutboxRepo {
  /** In one statement (an event's matches are written in its call's transaction). */
  add(deliveries: PendingDelivery[]): Promise<void>;
  /** Up to `limit` deliveries whose next attempt is due at `now`, soonest first. */
  due(now: number, limit: number): Promise<PendingDelivery[]>;
  retryLater(id: string, attempts: number, nextAttemptAt: number): Promise<void>;
  remove(id: string): Promise<void>;
  count(): Promise<number>;
}
