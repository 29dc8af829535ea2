import { Command } from "commander";
import type { DestinationStream } from "pino";
import { createLogger, type Logger } from "../observability/logger.js";
import { startServer, type RunningServer } from "../server/cairn-server.js";
import { configFileEnv, withConfigFile } from "./config-file.js";
import { serveConfig, type ServeFlags } from "./serve-options.js";

/** `cairn serve`'s flags, as commander hands them over (`--config` is read here, not by serveConfig). */
export type ServeCommandFlags = ServeFlags & { config?: string };

/**
 * The `serve` command's flags and help, without its action: main.ts adds the action that runs the server in this
 * process until a signal; the tests' in-process mode parses the same flags the same way (test/support/cairn-process.ts).
 */
export function serveCommand(): Command {
  return new Command("serve")
    .description("run the Cairn server (every AWS API, health and console on one HTTP port; DNS on another)")
    .option("--host <host>", "address to bind (env CAIRN_HOST)", undefined)
    .option("--port <n>", "HTTP port (env CAIRN_PORT; default 4640)")
    .option("--dns-port <n>", "DNS port, UDP and TCP; 0 turns DNS off (env CAIRN_DNS_PORT; default 8053)")
    .option("--dns-rate-limit <n>", "UDP answers per second per client /24 (IPv6 /56); 0 turns it off (env CAIRN_DNS_RATE_LIMIT; default 100)")
    .option("--dns-tcp-idle-timeout <s>", "seconds a DNS-over-TCP connection may stay idle (env CAIRN_DNS_TCP_IDLE_TIMEOUT; default 10)")
    .option("--dns-tcp-connections <n>", "DNS-over-TCP connections open at once (env CAIRN_DNS_TCP_CONNECTIONS; default 256)")
    .option("--data-dir <dir>", "embedded store, keys and folder buckets (env CAIRN_DATA_DIR; default ./cairn-data)")
    .option("--store <url>", "sqlite:<file> or postgres://… (env CAIRN_STORE; default sqlite:<data-dir>/cairn.db)")
    .option("--region <region>", "default region, a served one (env CAIRN_REGION; default us-east-1)")
    .option("--regions <list>", "comma-separated regions served besides the aws partition's (env CAIRN_REGIONS)")
    .option("--buckets-dir <dir>", "folder buckets for trail delivery (env CAIRN_BUCKETS_DIR; default <data-dir>/buckets)")
    .option("--s3-endpoint <url>", "deliver trails to an S3-compatible server (env CAIRN_S3_ENDPOINT)")
    .option("--delivery-interval <s>", "seconds between trail log-file deliveries (env CAIRN_DELIVERY_INTERVAL; default 60)")
    .option("--digest-interval <s>", "seconds between digest files (env CAIRN_DIGEST_INTERVAL; default 3600)")
    .option("--trusted-proxies <list>", "comma-separated addresses or CIDR blocks whose X-Forwarded-For is believed (env CAIRN_TRUSTED_PROXIES)")
    .option("--event-retention-days <n>", "days Event history keeps events (env CAIRN_EVENT_RETENTION_DAYS; default 90)")
    .option("--health-interval <s>", "seconds between health checks of each instance with a HealthCheckConfig (env CAIRN_HEALTH_INTERVAL; default 30)")
    .option("--health-check-targets <list>", "comma-separated CIDR blocks health checks may reach although private, loopback or link-local (env CAIRN_HEALTH_CHECK_TARGETS)")
    .option("--tls-cert <file>", "PEM certificate (chain): serve HTTPS (env CAIRN_TLS_CERT; with --tls-key)")
    .option("--tls-key <file>", "PEM private key of --tls-cert (env CAIRN_TLS_KEY)")
    .option("--log-level <level>", "debug, info, warn, error or silent (env CAIRN_LOG_LEVEL; default info)")
    .option("--throttle [scale]", "AWS's per-account request rates: on, off, or a factor applied to them (env CAIRN_THROTTLE; default off)")
    .option("--max-connections <n>", "open connections at once (env CAIRN_MAX_CONNECTIONS; default 10000)")
    .option("--config <file>", "JSON file of settings: each flag's long name as a key, plus \"limits\"; the environment and flags win (env CAIRN_CONFIG)")
    .option("--ephemeral", "use a temporary data dir, removed at exit (env CAIRN_EPHEMERAL=true)")
    .option("--init <file>", "JSON file of namespaces, services, instances, IAM users, roles, policies and trails to create on start (env CAIRN_INIT)")
    .option("--allow-reset", "serve POST /_cairn/reset, signed by a root key: empties the store (env CAIRN_ALLOW_RESET=true)")
    .addHelpText(
      "after",
      `
First start: creates one account and its root access key, from CAIRN_ACCOUNT_ID,
CAIRN_ROOT_ACCESS_KEY_ID and CAIRN_ROOT_SECRET_ACCESS_KEY when set, otherwise generated,
printed once and written to <data-dir>/root-credentials.json (mode 0600).`,
    );
}

/** Where a serve run writes: its own lines (credentials, listening) and its log lines. */
export interface ServeOutput {
  /** The lines `cairn serve` prints (the CLI: stdout). */
  write(text: string): void;
  /** Log lines (default: stdout, batched); human-readable when `pretty`. */
  logs?: DestinationStream;
  pretty: boolean;
}

/**
 * Starts the server `serve`'s parsed flags and `env` describe and prints what `cairn serve` prints once it listens.
 * `flagNames` are the command's long flag names (what a `--config` file may set).
 */
export async function startServe(
  flags: ServeCommandFlags,
  flagNames: readonly string[],
  env: NodeJS.ProcessEnv,
  out: ServeOutput,
): Promise<{ server: RunningServer; logger: Logger }> {
  const file = flags.config ?? (env.CAIRN_CONFIG || undefined);
  const config = serveConfig(flags, file ? withConfigFile(env, configFileEnv(file, flagNames)) : env);
  const logger = createLogger({ level: config.logLevel, pretty: out.pretty, destination: out.logs });
  const server = await startServer(config, logger);
  if (server.generatedCredentials) {
    const c = server.generatedCredentials;
    out.write(
      `created account ${c.accountId} with root access key ${c.accessKeyId} and secret ${c.secretAccessKey}\n` +
        `(saved to ${config.dataDir}/root-credentials.json; this is the only time the secret is printed)\n`,
    );
  }
  if (config.ephemeral) out.write(`cairn data dir ${config.dataDir} (ephemeral: removed at exit)\n`);
  if (server.dns) out.write(`cairn dns listening on ${server.dns.host}:${server.dns.port} (udp, tcp)\n`);
  out.write(`cairn listening on ${server.url}\n`);
  return { server, logger };
}

/** What `cairn serve` does on SIGTERM: says so, then lets requests in flight finish and closes the store. */
export function shutDown(server: RunningServer, logger: Logger): Promise<void> {
  logger.info("shutting down: draining requests in flight");
  return server.close();
}

/** The long names of a command's flags (`["host", "port", …]`). */
export function flagNames(command: Command): string[] {
  return command.options.map((o) => o.long!.slice(2));
}
