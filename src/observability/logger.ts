import { pino, type DestinationStream, type Logger as PinoLogger } from "pino";
import { BatchedLines } from "./batched-lines.js";
import { fieldsJson, isoTime, jsonLine } from "./json-line.js";
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

type Level = "debug" | "info" | "warn" | "error";

/**
 * pino underneath: it decides which levels are on and serialises errors. Lines without an error are built by
 * json-line.ts (the same bytes, far less work) and written to the same destination, so the order is kept.
 */
class PinoAdapter implements Logger {
  constructor(
    private readonly pino: PinoLogger,
    private readonly destination: DestinationStream,
    /** This logger's bindings as JSON fields (`,"job":"retention"`), "" for the root. */
    private readonly bindings = "",
  ) {}

  debug(message: string, fields?: LogFields): void {
    this.line("debug", message, fields);
  }

  info(message: string, fields?: LogFields): void {
    this.line("info", message, fields);
  }

  warn(message: string, fields?: LogFields, error?: unknown): void {
    if (error === undefined) this.line("warn", message, fields);
    else this.pino.warn({ ...fields, err: error }, message);
  }

  error(message: string, fields?: LogFields, error?: unknown): void {
    if (error === undefined) this.line("error", message, fields);
    else this.pino.error({ ...fields, err: error }, message);
  }

  child(bindings: LogFields): Logger {
    return new PinoAdapter(this.pino.child(bindings), this.destination, this.bindings + fieldsJson(bindings));
  }

  flush(): void {
    this.pino.flush();
  }

  private line(level: Level, message: string, fields: LogFields | undefined): void {
    if (this.pino.isLevelEnabled(level)) this.destination.write(jsonLine(level, this.bindings, message, fields));
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
        timestamp: isoTime,
        formatters: { level: (label) => ({ level: label }) },
      },
      destination,
    ),
    destination,
  );
}

/** For tests and embedders that want no output. */
export const silentLogger: Logger = createLogger({ level: "silent", destination: { write: () => undefined } });

export function parseLogLevel(value: string): LogLevel {
  const level = value.toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) throw new Error(`--log-level must be one of ${LOG_LEVELS.join(", ")}, not '${value}'`);
  return level as LogLevel;
}
