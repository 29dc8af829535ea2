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
