/** An object read back from a bucket: its bytes and its S3 user metadata. */
export interface StoredObject {
  body: Buffer;
  metadata: Record<string, string>;
}

/** Where trails deliver: folder buckets or an S3-compatible server, addressed with the same bucket and keys. */
export interface BucketSink {
  bucketExists(bucket: string): Promise<boolean>;
  put(bucket: string, key: string, body: Buffer, metadata?: Record<string, string>): Promise<void>;
  /** Undefined when the object does not exist. */
  get(bucket: string, key: string): Promise<StoredObject | undefined>;
  /** Keys under `prefix`, in lexicographic order, after `marker` when given. */
  list(bucket: string, prefix: string, marker?: string): Promise<string[]>;
}

/** A delivery failure with the S3 error code GetTrailStatus reports (NoSuchBucket, AccessDenied, …). */
export class SinkError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
