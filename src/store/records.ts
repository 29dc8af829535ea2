/** Domain records the Store hands out: plain data, no SQL, no wire format. */

export type NamespaceType = "HTTP" | "DNS_PRIVATE" | "DNS_PUBLIC";

export interface NamespaceRecord {
  id: string;
  arn: string;
  accountId: string;
  region: string;
  name: string;
  type: NamespaceType;
  description?: string;
  httpName: string;
  hostedZoneId?: string;
  vpc?: string;
  /** Absent when the namespace was created without DNS properties. */
  soaTtl?: number;
  creatorRequestId?: string;
  createDate: Date;
}

export type ServiceType = "HTTP" | "DNS_HTTP" | "DNS";
export type DnsRecordType = "SRV" | "A" | "AAAA" | "CNAME";
export type RoutingPolicy = "MULTIVALUE" | "WEIGHTED";
export type HealthStatus = "HEALTHY" | "UNHEALTHY" | "UNKNOWN";

/** Stored with AWS's member names: these are the model's DnsConfig / HealthCheckConfig shapes. */
export interface ServiceDnsConfig {
  RoutingPolicy: RoutingPolicy;
  DnsRecords: { Type: DnsRecordType; TTL: number }[];
}

export interface ServiceHealthCheckConfig {
  Type: "HTTP" | "HTTPS" | "TCP";
  ResourcePath?: string;
  FailureThreshold?: number;
}

export interface ServiceRecord {
  id: string;
  arn: string;
  accountId: string;
  region: string;
  namespaceId: string;
  name: string;
  type: ServiceType;
  description?: string;
  dnsConfig?: ServiceDnsConfig;
  healthCheckConfig?: ServiceHealthCheckConfig;
  /** Present when the service uses custom health checks; AWS always reports FailureThreshold 1. */
  healthCheckCustomConfig?: { FailureThreshold: number };
  creatorRequestId?: string;
  createdByAccount: string;
  createDate: Date;
  /** Changes with every change to the service's instances or their health; at most 2^53 - 1. */
  instancesRevision: number;
}

export interface ServiceChangeRecord {
  description?: string;
  /** `null` removes. */
  dnsConfig?: ServiceDnsConfig | null;
  healthCheckConfig?: ServiceHealthCheckConfig | null;
}

export interface InstanceRecord {
  serviceId: string;
  id: string;
  namespaceId: string;
  attributes: Record<string, string>;
  creatorRequestId?: string;
  createdByAccount: string;
  /** What discovery and GetInstancesHealthStatus report. */
  healthStatus: HealthStatus;
  /** The last status a custom health checker asked for (or the initial one), for services with custom health. */
  customHealthStatus?: "HEALTHY" | "UNHEALTHY";
  healthChangedAt?: Date;
  /** First registration; kept by re-registration so listings stay in a stable order. */
  createDate: Date;
  updateDate: Date;
}

export type OperationType =
  | "CREATE_NAMESPACE"
  | "DELETE_NAMESPACE"
  | "UPDATE_NAMESPACE"
  | "UPDATE_SERVICE"
  | "REGISTER_INSTANCE"
  | "DEREGISTER_INSTANCE";

export type OperationStatus = "SUBMITTED" | "PENDING" | "SUCCESS" | "FAIL";

export interface OperationRecord {
  id: string;
  accountId: string;
  region: string;
  type: OperationType;
  status: OperationStatus;
  errorCode?: string;
  errorMessage?: string;
  namespaceId?: string;
  serviceId?: string;
  instanceId?: string;
  createDate: Date;
  updateDate: Date;
}

export interface OperationFilter {
  namespaceId?: string;
  serviceId?: string;
  statuses?: OperationStatus[];
  types?: OperationType[];
  updatedFrom?: Date;
  updatedTo?: Date;
}

/** A position in a newest-first listing: the last item's (time, id) seen by the previous page. */
export interface PageCursor {
  time: number;
  id: string;
}

export interface Tag {
  Key: string;
  Value: string;
}

export interface AccessKeyRecord {
  accessKeyId: string;
  accountId: string;
  secretAccessKey: string;
  status: "Active" | "Inactive";
  createdAt: Date;
  /** The IAM user owning the key; absent for the root key and service keys. */
  userName?: string;
  /** The AWS service principal the key acts as (`ecs.amazonaws.com`). */
  servicePrincipal?: string;
}

export interface EventResource {
  type: string;
  name: string;
}

/** One CloudTrail event as stored: the indexed facts plus the full record as JSON. */
export interface StoredEvent {
  eventId: string;
  accountId: string;
  region: string;
  eventTime: Date;
  eventName: string;
  eventSource: string;
  readOnly: boolean;
  username?: string;
  accessKeyId?: string;
  errorCode?: string;
  resources: EventResource[];
  record: string;
}

/** LookupEvents' one lookup attribute, as the store matches it (exact, case-sensitive). */
export type EventFilter =
  | { key: "EventId" | "EventName" | "EventSource" | "Username" | "AccessKeyId"; value: string }
  | { key: "ResourceType" | "ResourceName"; value: string }
  | { key: "ReadOnly"; value: boolean };

/** A position in the newest-first event log: the (eventTime, seq) of the last event a page returned. */
export interface EventCursor {
  time: number;
  seq: number;
}

/** One page of Event history: scope, at most one attribute, an inclusive time range, newest first. */
export interface EventQuery {
  accountId: string;
  region: string;
  filter?: EventFilter;
  from: Date;
  to: Date;
  /** Resume with the events just older than this position. */
  after?: EventCursor;
  limit: number;
}

/** A stored event as read back, with its place in the log. */
export interface FoundEvent extends StoredEvent {
  seq: number;
}

export interface EventPage {
  events: FoundEvent[];
  /** Set when older matching events remain: where the next page starts. */
  next?: EventCursor;
}
