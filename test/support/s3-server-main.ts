/**
 * An S3-compatible server for tests, run as its own process: s3rver (a devDependency) on an ephemeral port,
 * storing objects in a directory, accepting one more access key besides its built-in one (s3rver does not verify
 * SigV4 signatures, only that the key exists), with the named buckets created.
 *
 *   node s3-server-main.js <dir> <accessKeyId> <bucket>...
 */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
}
const S3rver = require("s3rver") as new (options: Record<string, unknown>) => S3rverInstance;
const { DUMMY_ACCOUNT } = require("s3rver/lib/models/account.js") as { DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void } };

const [directory, accessKeyId, ...buckets] = process.argv.slice(2);
if (!directory || !accessKeyId) throw new Error("usage: s3-server-main <dir> <accessKeyId> <bucket>...");
DUMMY_ACCOUNT.createKeyPair(accessKeyId, "unused: s3rver does not check SigV4 signatures");
const server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory, vhostBuckets: false, configureBuckets: buckets.map((name) => ({ name, configs: [] })) });
const { port } = await server.run();
process.stdout.write(`s3 listening on http://127.0.0.1:${port}\n`);
