import { commonErrors } from "../../protocol/common-errors.js";
import { errors as ctErrors } from "../../generated/cloudtrail.js";
import type * as ct from "../../generated/cloudtrail.js";
import { SinkError, type BucketSink } from "../../delivery/sink.js";
import type { OperationContext } from "../operation.js";
import type { TrailConfig, TrailRecord } from "../../store/trail-records.js";
import { invalidCombination } from "./trail-errors.js";

/** S3's bucket naming rules (as outside us-east-1). */
export function checkBucketName(bucket: string): void {
  const ok =
    bucket.length >= 3 &&
    bucket.length <= 63 &&
    /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(bucket) &&
    !bucket.includes("..") &&
    !bucket.includes(".-") &&
    !bucket.includes("-.") &&
    !/^\d{1,3}(\.\d{1,3}){3}$/.test(bucket);
  if (!ok) throw ctErrors.InvalidS3BucketNameException(`Bucket name is not valid: ${bucket}`);
}

export function checkPrefix(prefix: string | undefined): void {
  if (prefix !== undefined && prefix.length > 200) throw ctErrors.InvalidS3PrefixException(`S3 key prefix is too long: ${prefix.length} characters (at most 200).`);
}

/**
 * The bucket must exist where trails deliver (a folder bucket or a bucket of the S3-compatible server). The answer
 * is learnt outside the call's transaction (see IoFacts); a server that does not answer in time is a 503 the SDKs
 * retry, not a missing bucket.
 */
export function checkBucketExists(ctx: OperationContext, bucket: string): void {
  const answer = ctx.io.get(`s3-bucket:${bucket}`, () => bucketAnswer(ctx.deps.sink, bucket));
  if (answer === "unanswered") {
    throw commonErrors.ServiceUnavailable(`The S3 server did not say in time whether bucket ${bucket} exists. Try again later.`);
  }
  if (answer === "missing") throw ctErrors.S3BucketDoesNotExistException(`S3 bucket ${bucket} does not exist!`);
}

async function bucketAnswer(sink: BucketSink, bucket: string): Promise<"exists" | "missing" | "unanswered"> {
  try {
    return (await sink.bucketExists(bucket)) ? "exists" : "missing";
  } catch (error) {
    return error instanceof SinkError && error.code === "RequestTimeout" ? "unanswered" : "missing";
  }
}

/** Checks what Cairn cannot provide (organizations, KMS, SNS topics) and the multi-region/global-events rule. */
export function checkConfig(config: TrailConfig): void {
  if (config.IsMultiRegionTrail && !config.IncludeGlobalServiceEvents) throw invalidCombination("Multi-Region trail must include global service events.");
  // Cairn serves no SNS, so no topic exists: AWS's answer for a topic that does not exist.
  if (config.SnsTopicName !== undefined) throw ctErrors.InsufficientSnsTopicPolicyException("SNS Topic does not exist or the topic policy is incorrect!");
  if (config.IsOrganizationTrail) {
    throw ctErrors.OrganizationsNotInUseException("This account is not part of an organization; organization trails are not available.");
  }
  if (config.KmsKeyId !== undefined) throw ctErrors.KmsKeyNotFoundException(`KMS key not found: ${config.KmsKeyId}`);
}

/** The members CreateTrail, UpdateTrail and GetTrail share; unset strings are omitted. */
export function trailFields(trail: TrailRecord): ct.CreateTrailResponse {
  const c = trail.config;
  const out: ct.CreateTrailResponse = { Name: trail.name, S3BucketName: c.S3BucketName };
  if (c.S3KeyPrefix !== undefined) out.S3KeyPrefix = c.S3KeyPrefix;
  if (c.SnsTopicName !== undefined) {
    out.SnsTopicName = c.SnsTopicName;
    out.SnsTopicARN = c.SnsTopicName.startsWith("arn:") ? c.SnsTopicName : `arn:aws:sns:${trail.homeRegion}:${trail.accountId}:${c.SnsTopicName}`;
  }
  out.IncludeGlobalServiceEvents = c.IncludeGlobalServiceEvents;
  out.IsMultiRegionTrail = c.IsMultiRegionTrail;
  out.TrailARN = trail.arn;
  out.LogFileValidationEnabled = c.LogFileValidationEnabled;
  if (c.CloudWatchLogsLogGroupArn !== undefined) out.CloudWatchLogsLogGroupArn = c.CloudWatchLogsLogGroupArn;
  if (c.CloudWatchLogsRoleArn !== undefined) out.CloudWatchLogsRoleArn = c.CloudWatchLogsRoleArn;
  if (c.KmsKeyId !== undefined) out.KmsKeyId = c.KmsKeyId;
  out.IsOrganizationTrail = c.IsOrganizationTrail;
  return out;
}

/** GetTrail's / DescribeTrails' `Trail`. */
export function trailShape(trail: TrailRecord): ct.Trail {
  const { TrailARN, LogFileValidationEnabled, IsOrganizationTrail, ...head } = trailFields(trail);
  const out: ct.Trail = { ...head, HomeRegion: trail.homeRegion, TrailARN, LogFileValidationEnabled };
  out.HasCustomEventSelectors = trail.hasCustomSelectors;
  out.HasInsightSelectors = trail.insightSelectors !== undefined;
  out.IsOrganizationTrail = IsOrganizationTrail;
  return out;
}
