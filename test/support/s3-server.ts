import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));

/** Whether the s3rver devDependency is installed (tests that need it skip, saying so, when it is not). */
export function s3ServerAvailable(): boolean {
  try {
    createRequire(import.meta.url).resolve("s3rver");
    return true;
  } catch {
    return false;
  }
}

export interface S3Server {
  endpoint: string;
  stop(): Promise<void>;
}

/** Starts the S3-compatible test server as its own process on an ephemeral port, with these buckets. */
export async function startS3Server(accessKeyId: string, buckets: string[]): Promise<S3Server> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cairn-s3-"));
  const child = spawn(process.execPath, [path.join(here, "s3-server-main.js"), dir, accessKeyId, ...buckets], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`s3 server did not start:\n${output}`)), 20_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      const m = /s3 listening on (http:\/\/\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    void exited.then(() => reject(new Error(`s3 server exited:\n${output}`)));
  });
  return {
    endpoint,
    async stop() {
      child.kill("SIGKILL");
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
