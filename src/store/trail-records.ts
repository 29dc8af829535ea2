/** Trail records the Store hands out (CloudTrail trails, their delivery progress and signing keys). */
import type { AdvancedEventSelector, InsightSelector } from "../generated/cloudtrail.js";
import type { StoredEvent } from "./records.js";

/** A trail's configuration, with the model's member names (what GetTrail returns, minus derived members). */
export interface TrailConfig {
  S3BucketName: string;
  S3KeyPrefix?: string;
  SnsTopicName?: string;
  IncludeGlobalServiceEvents: boolean;
  IsMultiRegionTrail: boolean;
  LogFileValidationEnabled: boolean;
  CloudWatchLogsLogGroupArn?: string;
  CloudWatchLogsRoleArn?: string;
  KmsKeyId?: string;
  IsOrganizationTrail: boolean;
}

export interface BasicEventSelector {
  ReadWriteType: "ReadOnly" | "WriteOnly" | "All";
  IncludeManagementEvents: boolean;
  DataResources: { Type?: string; Values?: string[] }[];
  ExcludeManagementEventSources: string[];
}

/** Advanced selectors are stored as the model defines them. */
export type { AdvancedEventSelector, AdvancedFieldSelector } from "../generated/cloudtrail.js";

/** A trail has basic selectors or advanced ones, never both. */
export type TrailSelectors = { basic: BasicEventSelector[] } | { advanced: AdvancedEventSelector[] };

/**
 * One period of logging, in event sequence numbers: events with seq > `after` belong to it, up to and including
 * the StopLogging (or DeleteTrail) call that closed it. That call's seq is unknown when it is handled, so the
 * window names its request ID and the delivery worker fixes `until` when it reaches that event.
 */
export interface LoggingWindow {
  after: number;
  stopRequestId?: string;
  until?: number;
}

/** What GetTrailStatus reports about deliveries; epoch milliseconds. */
export interface DeliveryStatus {
  latestDeliveryTime?: number;
  latestDeliveryAttemptTime?: number;
  latestDeliveryError?: string;
  latestDigestDeliveryTime?: number;
  latestDigestDeliveryError?: string;
}

/** A delivery the worker has committed to: the events up to `toSeq`, named by the time `at`. */
export interface DeliveryPlan {
  toSeq: number;
  at: number;
}

export interface TrailRecord {
  id: string;
  arn: string;
  accountId: string;
  homeRegion: string;
  name: string;
  config: TrailConfig;
  selectors: TrailSelectors;
  hasCustomSelectors: boolean;
  /** PutInsightSelectors' selectors; absent while Insights is off (Cairn stores them but produces no Insights events). */
  insightSelectors?: InsightSelector[];
  isLogging: boolean;
  startLoggingTime?: number;
  stopLoggingTime?: number;
  windows: LoggingWindow[];
  /** Deleted trails stay until their last events and final digest are delivered. */
  deleted: boolean;
  status: DeliveryStatus;
  /** The last event seq the delivery worker has considered for this trail. */
  cursorSeq: number;
  plan?: DeliveryPlan;
  createdAt: number;
}

/** A delivered log file waiting for the next digest of its region. */
export interface DeliveredLogFile {
  trailId: string;
  region: string;
  s3Bucket: string;
  s3Object: string;
  /** Lower-case hex SHA-256 of the uncompressed file. */
  hashValue: string;
  oldestEventTime: string;
  newestEventTime: string;
  deliveredAt: number;
}

/** Where the previous digest of a chain is: the next one points at it. */
export interface DigestLink {
  bucket: string;
  key: string;
  hash: string;
  signature: string;
}

/** A trail's digest chain in one region. */
export interface DigestChain {
  trailId: string;
  region: string;
  /** digestStartTime of the next digest (epoch ms, whole seconds). */
  lastEnd: number;
  /** Absent at a chain start. */
  previous?: DigestLink;
  /** A digest being written: its digestEndTime, so a retry after a crash writes the same file. */
  planEnd?: number;
}

/** A region's signing key pair; the private key is sealed. */
export interface SigningKeyRecord {
  region: string;
  fingerprint: string;
  sealedPrivateKey: string;
  /** PKCS#1 RSAPublicKey DER. */
  publicKeyDer: Buffer;
  validFrom: number;
  validTo: number;
}

/** An event as the delivery worker reads it: in seq order, with its record. */
export interface LogEvent extends Pick<StoredEvent, "accountId" | "region" | "eventTime" | "eventName" | "eventSource" | "readOnly" | "errorCode" | "record"> {
  seq: number;
}
