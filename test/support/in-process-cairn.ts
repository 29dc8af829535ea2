import type { CommanderError } from "commander";
import { flagNames, serveCommand, shutDown, startServe } from "../../src/cli/serve-command.js";

/** A `cairn serve` running on this test process's event loop. */
export interface InProcessServe {
  url: string;
  dnsPort?: number;
  /** What the CLI would have printed: its own lines and its JSON log lines. */
  output(): string;
  /** What SIGTERM does to `cairn serve` (drain, close the store); resolves with the exit code it would have had. */
  stop(): Promise<number>;
}

/**
 * Runs `cairn serve <args>` in this process: the same flag parsing, configuration, server, store and sockets as the
 * CLI, minus the process. `env` is what the CLI would read as its environment; nothing in it reaches process.env.
 */
export async function serveInProcess(args: string[], env: NodeJS.ProcessEnv): Promise<InProcessServe> {
  let output = "";
  const write = (text: string): void => {
    output += text;
  };
  const command = serveCommand()
    .exitOverride()
    .configureOutput({ writeOut: write, writeErr: write });
  try {
    command.parse(args, { from: "user" });
  } catch (error) {
    throw new Error(`cairn serve ${args.join(" ")}: ${(error as CommanderError).message}`);
  }
  let started: Awaited<ReturnType<typeof startServe>>;
  try {
    started = await startServe(command.opts(), flagNames(command), env, { write, logs: { write }, pretty: false });
  } catch (error) {
    throw new Error(`cairn did not start in-process: ${String(error)}\n${output}`);
  }
  const { server, logger } = started;
  let stopping: Promise<number> | undefined;
  return {
    url: server.url,
    dnsPort: server.dns?.port,
    output: () => output,
    stop() {
      stopping ??= shutDown(server, logger).then(
        () => 0,
        (error: unknown) => {
          write(`shutdown failed: ${String(error)}\n`);
          return 1;
        },
      );
      return stopping;
    },
  };
}
