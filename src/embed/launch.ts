import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The compiled CLI next to this file: dist/src/embed → dist/src/cli/main.js. */
export const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../cli/main.js");

export interface LaunchedCairn {
  child: ChildProcess;
  /** `http(s)://host:port` from the `cairn listening on` line. */
  url: string;
  /** From the `cairn dns listening on` line; absent when DNS is off. */
  dnsPort?: number;
  /** Everything printed so far, stdout and stderr interleaved. */
  output(): string;
  /** Resolves with the exit code once the process is gone. */
  exited: Promise<number | null>;
}

/**
 * Runs `command` (a node running the CLI's `serve`, possibly behind a launcher such as prlimit) and waits for its
 * listening line; a process that exits or stays silent for `timeoutMs` fails with what it printed.
 */
export async function launchCairn(command: string[], env: NodeJS.ProcessEnv, timeoutMs = 20_000): Promise<LaunchedCairn> {
  const [program, ...args] = command;
  const child = spawn(program!, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`cairn did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (): void => {
      const m = /cairn listening on (https?:\/\/\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off("data", onData);
        resolve(m[1]!);
      }
    };
    child.stdout!.on("data", onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`cairn exited with ${code} before listening:\n${output}`));
    });
  });
  const dns = /cairn dns listening on \S+:(\d+)/.exec(output);
  return { child, url, dnsPort: dns ? Number(dns[1]) : undefined, output: () => output, exited };
}
