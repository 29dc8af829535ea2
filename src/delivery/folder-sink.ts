import fs from "node:fs/promises";
import { constants } from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from "../private-files.js";
import { keyToNames, namesToKey } from "./folder-keys.js";
import { SinkError, type BucketSink } from "./sink.js";

/** The sidecar that holds an object's S3 user metadata in a folder bucket (interface.md, "Folder buckets"). */
export const METADATA_SUFFIX = ".metadata.json";
const TMP_PREFIX = ".tmp-";

function errorCode(error: unknown): string {
  if (error instanceof SinkError) return error.code;
  const code = (error as NodeJS.ErrnoException).code;
  return code === "EACCES" || code === "EPERM" || code === "ELOOP" ? "AccessDenied" : code === "ENOENT" ? "NoSuchBucket" : "InternalError";
}

const isMissing = (error: unknown): boolean => (error as NodeJS.ErrnoException).code === "ENOENT";

/**
 * Folder buckets: each existing subfolder of the buckets dir is a bucket, holding the same keys S3 would, each
 * mapped onto names that stay inside the bucket's folder (folder-keys.ts). A symbolic link found inside the
 * buckets dir is never followed: an object under one fails with AccessDenied. Objects are written 0600 to a
 * temporary name and renamed, so a reader (or a crash) never sees half a file.
 */
export class FolderSink implements BucketSink {
  constructor(private readonly root: string) {}

  private bucketDir(bucket: string): string {
    // Bucket names are validated against S3's rules before they get here: no separators, no dot segments.
    return path.join(this.root, bucket);
  }

  async bucketExists(bucket: string): Promise<boolean> {
    try {
      return (await fs.lstat(this.bucketDir(bucket))).isDirectory();
    } catch {
      return false;
    }
  }

  /**
   * The folder `names` lead to inside the bucket, checked one level at a time to be a real folder (no symbolic
   * link); missing ones are created when `create`, else the result is undefined.
   */
  private async folder(bucket: string, names: readonly string[], create: boolean): Promise<string | undefined> {
    let dir = this.bucketDir(bucket);
    for (const name of names) {
      dir = path.join(dir, name);
      if (create) {
        try {
          await fs.mkdir(dir, { mode: PRIVATE_DIR_MODE });
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        }
      }
      let stat;
      try {
        stat = await fs.lstat(dir);
      } catch (error) {
        if (!create && isMissing(error)) return undefined;
        throw error;
      }
      if (!stat.isDirectory()) {
        throw new SinkError("AccessDenied", `${path.relative(this.root, dir)} in the buckets dir is ${stat.isSymbolicLink() ? "a symbolic link" : "not a folder"}: Cairn does not follow it`);
      }
    }
    return dir;
  }

  async put(bucket: string, key: string, body: Buffer, metadata?: Record<string, string>): Promise<void> {
    if (!(await this.bucketExists(bucket))) throw new SinkError("NoSuchBucket", `The specified bucket does not exist: ${bucket}`);
    const names = keyToNames(key);
    try {
      const dir = (await this.folder(bucket, names.slice(0, -1), true))!;
      const file = path.join(dir, names[names.length - 1]!);
      // The sidecar goes first: an object never appears without the metadata it was written with.
      if (metadata) await writeAtomically(file + METADATA_SUFFIX, Buffer.from(JSON.stringify(metadata)));
      await writeAtomically(file, body);
    } catch (error) {
      throw new SinkError(errorCode(error), `writing ${bucket}/${key}: ${(error as Error).message}`);
    }
  }

  async get(bucket: string, key: string): Promise<{ body: Buffer; metadata: Record<string, string> } | undefined> {
    const names = keyToNames(key);
    const dir = await this.folder(bucket, names.slice(0, -1), false);
    if (dir === undefined) return undefined;
    const file = path.join(dir, names[names.length - 1]!);
    const body = await readNoFollow(file);
    if (body === undefined) return undefined;
    const sidecar = await readNoFollow(file + METADATA_SUFFIX);
    return { body, metadata: sidecar ? (JSON.parse(sidecar.toString("utf8")) as Record<string, string>) : {} };
  }

  async list(bucket: string, prefix: string, marker?: string): Promise<string[]> {
    // Walk only the folder that holds the prefix's last complete segment.
    const baseNames = prefix.includes("/") ? keyToNames(prefix.slice(0, prefix.lastIndexOf("/"))) : [];
    const keys: string[] = [];
    const walk = async (dir: string, names: string[]): Promise<void> => {
      let entries;
      try {
        entries = await fs.readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        // Symbolic links are neither: never followed.
        if (e.isDirectory()) await walk(path.join(dir, e.name), [...names, e.name]);
        else if (e.isFile() && !e.name.endsWith(METADATA_SUFFIX) && !e.name.startsWith(TMP_PREFIX)) {
          const key = namesToKey([...names, e.name]);
          if (key.startsWith(prefix)) keys.push(key);
        }
      }
    };
    let base: string | undefined;
    try {
      base = await this.folder(bucket, baseNames, false);
    } catch {
      base = undefined;
    }
    if (base !== undefined) await walk(base, baseNames);
    keys.sort();
    return marker === undefined ? keys : keys.filter((k) => k > marker);
  }
}

/** The file's bytes; undefined when it does not exist; a symbolic link fails (ELOOP) instead of being read. */
async function readNoFollow(file: string): Promise<Buffer | undefined> {
  let handle;
  try {
    handle = await fs.open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
  try {
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

async function writeAtomically(file: string, body: Buffer): Promise<void> {
  const tmp = path.join(path.dirname(file), `${TMP_PREFIX}${randomBytes(6).toString("hex")}`);
  const handle = await fs.open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, PRIVATE_FILE_MODE);
  try {
    await handle.writeFile(body);
    await handle.sync();
  } finally {
    await handle.close();
  }
  // rename replaces a symbolic link at `file` itself; it never writes through one.
  await fs.rename(tmp, file);
}
