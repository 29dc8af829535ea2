import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/**
 * The server process: s3rver (a devDependency) on an ephemeral port, storing objects in a directory, accepting one
 * more access key besides its built-in one (s3rver does not verify SigV4 signatures, only that the key exists),
 * with the named buckets created. Arguments: s3rver's path, its account module's path, dir, access key, buckets.
 */
const SERVER_SCRIPT = `
const [s3rverPath, accountPath, directory, accessKeyId, ...buckets] = process.argv.slice(1);
require(accountPath).DUMMY_ACCOUNT.createKeyPair(accessKeyId, "unused: s3rver does not check SigV4 signatures");
const S3rver = require(s3rverPath);
const server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory, vhostBuckets: false,
  configureBuckets: buckets.map((name) => ({ name, configs: [] })) });
server.run().then(({ port }) => process.stdout.write("s3 listening on http://127.0.0.1:" + port + "\\n"));
`;

/** Whether the s3rver devDependency is installed (tests that need it skip, saying so, when it is not). */
export function s3ServerAvailable(): boolean {
  try {
    require.resolve("s3rver");
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
  const modules = [require.resolve("s3rver"), require.resolve("s3rver/lib/models/account.js")];
  const child = spawn(process.execPath, ["-e", SERVER_SCRIPT, ...modules, dir, accessKeyId, ...buckets], { stdio: ["ignore", "pipe", "pipe"] });
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
