#!/usr/bin/env node
import { Command } from "commander";
import { VERSION } from "../version.js";
import { flagNames, serveCommand, shutDown, startServe, type ServeCommandFlags } from "./serve-command.js";
import { runValidateLogs, type ValidateFlags } from "./validate-logs.js";
import { serviceKeyCommand } from "./service-key.js";

const program = new Command("cairn")
  .description("Cairn: a self-hosted, wire-compatible AWS Cloud Map with a built-in AWS CloudTrail")
  .version(VERSION);

program.addCommand(
  serveCommand().action(async (flags: ServeCommandFlags, command: Command) => {
    const { server, logger } = await startServe(flags, flagNames(command), process.env, { write: (text) => process.stdout.write(text), pretty: process.stdout.isTTY === true });
    let stopping = false;
    const stop = (): void => {
      if (stopping) return;
      stopping = true;
      shutDown(server, logger).then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error("shutdown failed", {}, error);
          process.stderr.write(`shutdown failed: ${String(error)}\n`);
          process.exit(1);
        },
      );
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
  }),
);

program
  .command("validate-logs")
  .description("validate a trail's digest chain and log files, like aws cloudtrail validate-logs; exits 1 if any file is invalid or missing")
  .requiredOption("--trail-arn <arn>", "ARN of the trail")
  .requiredOption("--start-time <time>", "start of the range (ISO 8601 or epoch seconds)")
  .option("--end-time <time>", "end of the range (default: now)")
  .option("--region <region>", "region whose digests to validate (default: the trail's home region)")
  .option("--s3-bucket <bucket>", "bucket holding the digests (default: the trail's)")
  .option("--s3-prefix <prefix>", "key prefix of the digests (default: the trail's)")
  .option("--endpoint-url <url>", "Cairn's API (env CAIRN_ENDPOINT; default http://127.0.0.1:4640); credentials from the standard AWS variables")
  .option("--buckets-dir <dir>", "folder buckets (env CAIRN_BUCKETS_DIR; default <data-dir>/buckets)")
  .option("--s3-endpoint <url>", "read the bucket from an S3-compatible server instead (env CAIRN_S3_ENDPOINT)")
  .action(async (flags: ValidateFlags) => {
    process.exitCode = await runValidateLogs(flags, process.env);
  });
program.addCommand(serviceKeyCommand());

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`cairn: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
