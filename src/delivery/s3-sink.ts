import { GetObjectCommand, HeadBucketCommand, ListObjectsCommand, PutObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { SinkError, type BucketSink, type StoredObject } from "./sink.js";

/**
 * Any S3-compatible server through the AWS SDK: path-style addressing, credentials and region from the standard
 * AWS environment, and checksums only where S3 requires them (third-party stores reject the SDK's default CRC32).
 */
export class S3Sink implements BucketSink {
  private readonly client: S3Client;

  constructor(
    endpoint: string,
    region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1",
    /** How long CreateTrail/UpdateTrail wait for HeadBucket before answering 503. */
    private readonly headBucketTimeoutMs = 5_000,
  ) {
    this.client = new S3Client({
      endpoint,
      region,
      forcePathStyle: true,
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
  }

  async bucketExists(bucket: string): Promise<boolean> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: bucket }), { abortSignal: AbortSignal.timeout(this.headBucketTimeoutMs) });
      return true;
    } catch (error) {
      if (error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError")) {
        throw new SinkError("RequestTimeout", `HeadBucket ${bucket}: no answer within ${this.headBucketTimeoutMs} ms`);
      }
      if (error instanceof S3ServiceException && (error.$metadata.httpStatusCode === 404 || error.name === "NotFound" || error.name === "NoSuchBucket")) return false;
      throw error;
    }
  }

  async put(bucket: string, key: string, body: Buffer, metadata?: Record<string, string>): Promise<void> {
    try {
      await this.client.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, Metadata: metadata, ACL: "bucket-owner-full-control", ContentType: "application/octet-stream" }),
      );
    } catch (error) {
      throw new SinkError(error instanceof S3ServiceException ? error.name : "InternalError", `writing s3://${bucket}/${key}: ${(error as Error).message}`);
    }
  }

  async get(bucket: string, key: string): Promise<StoredObject | undefined> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return { body: Buffer.from(await out.Body!.transformToByteArray()), metadata: out.Metadata ?? {} };
    } catch (error) {
      if (error instanceof S3ServiceException && (error.name === "NoSuchKey" || error.$metadata.httpStatusCode === 404)) return undefined;
      throw error;
    }
  }

  async list(bucket: string, prefix: string, marker?: string): Promise<string[]> {
    const keys: string[] = [];
    let next = marker;
    for (;;) {
      const page = await this.client.send(new ListObjectsCommand({ Bucket: bucket, Prefix: prefix, Marker: next }));
      const contents = page.Contents ?? [];
      for (const o of contents) if (o.Key) keys.push(o.Key);
      if (!page.IsTruncated || contents.length === 0) return keys;
      next = page.NextMarker ?? contents[contents.length - 1]!.Key;
    }
  }

  close(): void {
    this.client.destroy();
  }
}
