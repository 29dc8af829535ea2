/** EventBridge's stored shapes: rules and targets on a bus, connections, API destinations and pending deliveries. */

export type RuleState = "ENABLED" | "DISABLED" | "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS";

/** Where a rule lives: an account's bus in a region (Cairn serves the `default` bus). */
export interface BusScope {
  accountId: string;
  region: string;
  eventBusName: string;
}

export interface RuleRecord extends BusScope {
  name: string;
  arn: string;
  eventPattern?: string;
  state: RuleState;
  description?: string;
  roleArn?: string;
  managedBy?: string;
  createdBy: string;
  createdAt: number;
}

/** A rule's target as PutTargets gave it (the model's Target structure, kept whole). */
export interface TargetConfig {
  Id: string;
  Arn: string;
  Input?: string;
  InputPath?: string;
  InputTransformer?: { InputPathsMap?: Record<string, string>; InputTemplate: string };
  HttpParameters?: { PathParameterValues?: string[]; HeaderParameters?: Record<string, string>; QueryStringParameters?: Record<string, string> };
  RetryPolicy?: { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
  [member: string]: unknown;
}

export interface TargetRecord extends BusScope {
  ruleName: string;
  config: TargetConfig;
}

/** A rule with its targets: what the event feed matches against, kept in memory per account and region. */
export interface RuleWithTargets {
  rule: RuleRecord;
  targets: TargetConfig[];
}

export interface ConnectionRecord {
  accountId: string;
  region: string;
  name: string;
  arn: string;
  description?: string;
  authorizationType: "API_KEY" | "BASIC";
  state: string;
  /** AuthParameters with every secret value removed (what DescribeConnection may show). */
  authPublic: Record<string, unknown>;
  /** The secret values, sealed (see SecretBox). */
  authSealed: string;
  createdAt: number;
  modifiedAt: number;
  authorizedAt?: number;
}

export interface ApiDestinationRecord {
  accountId: string;
  region: string;
  name: string;
  arn: string;
  description?: string;
  connectionArn: string;
  invocationEndpoint: string;
  httpMethod: string;
  rateLimitPerSecond: number;
  state: string;
  createdAt: number;
  modifiedAt: number;
}

/** How a pending delivery is sent and retried, fixed when its event matched. */
export interface DeliveryTerms {
  httpParameters?: TargetConfig["HttpParameters"];
  maxAttempts: number;
  maxAgeMs: number;
}

/** One event on its way to one target (the outbox). */
export interface PendingDelivery {
  id: string;
  eventId: string;
  ruleArn: string;
  targetId: string;
  targetArn: string;
  body: string;
  terms: DeliveryTerms;
  attempts: number;
  createdAt: number;
  nextAttemptAt: number;
}
