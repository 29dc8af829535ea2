import fs from "node:fs/promises";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { SinkError, type BucketSink } from "./sink.js";

/** The sidecar that holds an object's S3 user metadata in a folder bucket (interface.md, "Folder buckets"). */
export const METADATA_SUFFIX = ".metadata.json";

function errorCode(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "EACCES" || code === "EPERM" ? "AccessDenied" : code === "ENOENT" ? "NoSuchBucket" : "InternalError";
}

/**
 * Folder buckets: each existing subfolder of the buckets dir is a bucket, holding the same keys S3 would.
 * Objects are written to a temporary name and renamed, so a reader (or a crash) never sees half a file.
 */
export class FolderSink implements BucketSink {
  constructor(private readonly root: string) {}

  private bucketDir(bucket: string): string {
    // Bucket names are validated against S3's rules before they get here: no separators, no dot segments.
    return path.join(this.root, bucket);
  }

  private objectPath(bucket: string, key: string): string {
    const dir = this.bucketDir(bucket);
    const file = path.resolve(dir, key);
    if (!file.startsWith(dir + path.sep)) throw new SinkError("InvalidObjectName", `key outside the bucket: ${key}`);
    return file;
  }

  async bucketExists(bucket: string): Promise<boolean> {
    try {
      return (await fs.stat(this.bucketDir(bucket))).isDirectory();
    } catch {
      return false;
    }
  }

  async put(bucket: string, key: string, body: Buffer, metadata?: Record<string, string>): Promise<void> {
    if (!(await this.bucketExists(bucket))) throw new SinkError("NoSuchBucket", `The specified bucket does not exist: ${bucket}`);
    const file = this.objectPath(bucket, key);
    try {
      await fs.mkdir(path.dirname(file), { recursive: true });
      // The sidecar goes first: an object never appears without the metadata it was written with.
      if (metadata) await writeAtomically(file + METADATA_SUFFIX, Buffer.from(JSON.stringify(metadata)));
      await writeAtomically(file, body);
    } catch (error) {
      throw new SinkError(errorCode(error), `writing ${bucket}/${key}: ${(error as Error).message}`);
    }
  }

  async get(bucket: string, key: string): Promise<{ body: Buffer; metadata: Record<string, string> } | undefined> {
    const file = this.objectPath(bucket, key);
    let body: Buffer;
    try {
      body = await fs.readFile(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
    let metadata: Record<string, string> = {};
    try {
      metadata = JSON.parse(await fs.readFile(file + METADATA_SUFFIX, "utf8")) as Record<string, string>;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    return { body, metadata };
  }

  async list(bucket: string, prefix: string, marker?: string): Promise<string[]> {
    const dir = this.bucketDir(bucket);
    // Walk only the folder that holds the prefix's last complete segment.
    const base = prefix.includes("/") ? prefix.slice(0, prefix.lastIndexOf("/")) : "";
    const keys: string[] = [];
    const walk = async (rel: string): Promise<void> => {
      let entries;
      try {
        entries = await fs.readdir(path.join(dir, rel), { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        const key = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) await walk(key);
        else if (e.isFile() && !key.endsWith(METADATA_SUFFIX) && !e.name.startsWith(".tmp-") && key.startsWith(prefix)) keys.push(key);
      }
    };
    await walk(base);
    keys.sort();
    return marker === undefined ? keys : keys.filter((k) => k > marker);
  }
}

async function writeAtomically(file: string, body: Buffer): Promise<void> {
  const tmp = path.join(path.dirname(file), `.tmp-${randomBytes(6).toString("hex")}`);
  const handle = await fs.open(tmp, "w");
  try {
    await handle.writeFile(body);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(tmp, file);
}
