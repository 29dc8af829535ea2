import { pino, type DestinationStream, type Logger as PinoLogger } from "pino";
import { BatchedLines } from "./batched-lines.js";
import { prettyLine } from "./pretty-log.js";

export const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Plain JSON values only: callers pass facts, never request headers or credentials. */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

/**
 * The one logger every part of Cairn writes to: the request listener and each background job (retention,
 * delivery, digests, health) take it, or a `child` bound to their own name. `error` values are logged with
 * their stack: logs are for operators, never for callers.
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields, error?: unknown): void;
  error(message: string, fields?: LogFields, error?: unknown): void;
  /** A logger whose lines all carry `bindings`, e.g. `{ job: "retention" }`. */
  child(bindings: LogFields): Logger;
  /** Writes out anything buffered (before exit). */
  flush(): void;
}

export interface LoggerOptions {
  level: LogLevel;
  /** Human-readable lines instead of JSON (the CLI picks it when stdout is a terminal). */
  pretty?: boolean;
  /** Where lines go; stdout by default, in batches (batched-lines.ts). */
  destination?: DestinationStream;
}

class PinoAdapter implements Logger {
  constructor(private readonly pino: PinoLogger) {}

  debug(message: string, fields?: LogFields): void {
    this.pino.debug(fields ?? {}, message);
  }

  info(message: string, fields?: LogFields): void {
    this.pino.info(fields ?? {}, message);
  }

  warn(message: string, fields?: LogFields, error?: unknown): void {
    this.pino.warn(error === undefined ? (fields ?? {}) : { ...fields, err: error }, message);
  }

  error(message: string, fields?: LogFields, error?: unknown): void {
    this.pino.error(error === undefined ? (fields ?? {}) : { ...fields, err: error }, message);
  }

  child(bindings: LogFields): Logger {
    return new PinoAdapter(this.pino.child(bindings));
  }

  flush(): void {
    this.pino.flush();
  }
}

export function createLogger(options: LoggerOptions): Logger {
  const pretty = options.pretty ?? false;
  const destination: DestinationStream =
    options.destination ??
    (pretty ? { write: (line: string) => void process.stdout.write(prettyLine(line)) } : new BatchedLines(pino.destination({ dest: 1, sync: false })));
  return new PinoAdapter(
    pino(
      {
        level: options.level,
        base: undefined,
        messageKey: "msg",
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
      },
      destination,
    ),
  );
}

/** For tests and embedders that want no output. */
export const silentLogger: Logger = createLogger({ level: "silent", destination: { write: () => undefined } });

export function parseLogLevel(value: string): LogLevel {
  const level = value.toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) throw new Error(`--log-level must be one of ${LOG_LEVELS.join(", ")}, not '${value}'`);
  return level as LogLevel;
}
