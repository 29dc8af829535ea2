import path from "node:path";
import { CloudTrailClient, DescribeTrailsCommand, ListPublicKeysCommand } from "@aws-sdk/client-cloudtrail";
import { FolderSink } from "../delivery/folder-sink.js";
import { S3Sink } from "../delivery/s3-sink.js";
import { validateLogs, type ValidationSource } from "../delivery/validate.js";

/** `cairn validate-logs` flags as commander hands them over. */
export interface ValidateFlags {
  trailArn: string;
  startTime: string;
  endTime?: string;
  region?: string;
  s3Bucket?: string;
  s3Prefix?: string;
  endpointUrl?: string;
  bucketsDir?: string;
  s3Endpoint?: string;
}

function parseTime(flag: string, value: string): Date {
  const asNumber = Number(value);
  const d = Number.isFinite(asNumber) && /^\d+(\.\d+)?$/.test(value) ? new Date(asNumber * 1000) : new Date(value);
  if (Number.isNaN(d.getTime())) throw new Error(`${flag}: not a time: '${value}' (ISO 8601 or epoch seconds)`);
  return d;
}

/** CloudTrail at the endpoint, with the caller's standard AWS credentials. */
function cloudTrailSource(endpoint: string): ValidationSource {
  const client = (region: string) => new CloudTrailClient({ endpoint, region });
  return {
    async trailBucket(arn) {
      const region = arn.split(":")[3]!;
      const out = await client(region).send(new DescribeTrailsCommand({ trailNameList: [arn] }));
      const trail = out.trailList?.find((t) => t.TrailARN === arn);
      if (!trail?.S3BucketName) throw new Error(`Trail not found: ${arn}`);
      return { bucket: trail.S3BucketName, prefix: trail.S3KeyPrefix };
    },
    async publicKeys(region, start, end) {
      const out = await client(region).send(new ListPublicKeysCommand({ StartTime: start, EndTime: end }));
      return new Map((out.PublicKeyList ?? []).map((k) => [k.Fingerprint!, Buffer.from(k.Value!)]));
    },
  };
}

/** Runs validate-logs; resolves to the process exit code (1 when anything is invalid or missing). */
export async function runValidateLogs(flags: ValidateFlags, env: NodeJS.ProcessEnv): Promise<number> {
  const endpoint = flags.endpointUrl ?? (env.CAIRN_ENDPOINT || "http://127.0.0.1:4640");
  const s3Endpoint = flags.s3Endpoint ?? (env.CAIRN_S3_ENDPOINT || undefined);
  const dataDir = env.CAIRN_DATA_DIR || "./cairn-data";
  const bucketsDir = path.resolve(flags.bucketsDir ?? (env.CAIRN_BUCKETS_DIR || path.join(dataDir, "buckets")));
  const sink = s3Endpoint ? new S3Sink(s3Endpoint) : new FolderSink(bucketsDir);
  const ok = await validateLogs(
    {
      trailArn: flags.trailArn,
      start: parseTime("--start-time", flags.startTime),
      end: flags.endTime ? parseTime("--end-time", flags.endTime) : new Date(),
      region: flags.region,
      bucket: flags.s3Bucket,
      prefix: flags.s3Prefix,
    },
    cloudTrailSource(endpoint),
    sink,
    { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) },
  );
  return ok ? 0 : 1;
}
