import type {
  AccessKeyRecord,
  NamespaceRecord,
  OperationFilter,
  OperationRecord,
  PageCursor,
  StoredEvent,
  Tag,
} from "./records.js";

/**
 * Cairn's persistence boundary: domain operations grouped by resource, always inside a transaction.
 * SQLite and PostgreSQL implement it; handlers never see SQL.
 */
export interface Store {
  /** Runs `fn` in one transaction: all it writes commits together, or nothing does. */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface StoreTx {
  accounts: AccountRepo;
  namespaces: NamespaceRepo;
  services: ServiceRepo;
  operations: OperationRepo;
  tokens: RequestTokenRepo;
  tags: TagRepo;
  events: EventRepo;
  /** Runs after a successful commit, in registration order (in-memory views follow the store this way). */
  afterCommit(fn: () => void): void;
}

export interface AccountRepo {
  anyAccount(): Promise<string | undefined>;
  createAccount(accountId: string, at: Date): Promise<void>;
  createAccessKey(key: AccessKeyRecord): Promise<void>;
  findAccessKey(accessKeyId: string): Promise<AccessKeyRecord | undefined>;
}

export interface NamespaceRepo {
  insert(ns: NamespaceRecord): Promise<void>;
  get(accountId: string, region: string, id: string): Promise<NamespaceRecord | undefined>;
  byHttpName(accountId: string, region: string, httpName: string): Promise<NamespaceRecord | undefined>;
  /** Every namespace of the account in the region, oldest first (bounded by the namespace quota). */
  list(accountId: string, region: string): Promise<NamespaceRecord[]>;
  count(accountId: string, region: string): Promise<number>;
  update(id: string, change: { description?: string | null; soaTtl?: number }): Promise<void>;
  delete(id: string): Promise<void>;
}

export interface ServiceRepo {
  exists(accountId: string, region: string, id: string): Promise<boolean>;
  countInNamespace(namespaceId: string): Promise<number>;
  countByNamespace(accountId: string, region: string): Promise<Map<string, number>>;
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
  append(event: StoredEvent): Promise<void>;
}
