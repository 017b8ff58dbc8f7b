/**
 * Structured JSON logs, one object per line on stdout, so that Docker, Swarm and Kubernetes log drivers and any
 * log shipper can index the fields without parsing prose. Deliberately tiny: the crawler needs levels, fields and
 * child loggers, not transports.
 */
export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type LogFields = Record<string, unknown>;
export type LogSink = (line: string) => void;

const severity: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export class Logger {
  constructor(
    private readonly minLevel: LogLevel = "info",
    private readonly bound: LogFields = {},
    private readonly sink: LogSink = (line) => process.stdout.write(line),
  ) {}

  child(fields: LogFields): Logger {
    return new Logger(this.minLevel, { ...this.bound, ...fields }, this.sink);
  }

  enabled(level: LogLevel): boolean {
    return severity[level] >= severity[this.minLevel];
  }

  debug(msg: string, fields?: LogFields): void {
    this.write("debug", msg, fields);
  }
  info(msg: string, fields?: LogFields): void {
    this.write("info", msg, fields);
  }
  warn(msg: string, fields?: LogFields): void {
    this.write("warn", msg, fields);
  }
  error(msg: string, fields?: LogFields): void {
    this.write("error", msg, fields);
  }

  private write(level: LogLevel, msg: string, fields?: LogFields): void {
    if (!this.enabled(level)) return;
    const entry = { time: new Date().toISOString(), level, msg, ...this.bound, ...serialiseFields(fields) };
    this.sink(JSON.stringify(entry) + "\n");
  }
}

/** Errors do not survive JSON.stringify (their fields are non-enumerable), so flatten them explicitly. */
function serialiseFields(fields: LogFields | undefined): LogFields {
  if (!fields) return {};
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = value instanceof Error ? describeError(value) : value;
  }
  return out;
}

export function describeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err) };
  const extra = err as Error & { code?: unknown; errno?: unknown; sqlState?: unknown; cause?: unknown };
  const out: Record<string, unknown> = { name: err.name, message: err.message };
  if (extra.code !== undefined) out.code = extra.code;
  if (extra.errno !== undefined) out.errno = extra.errno;
  if (extra.sqlState !== undefined) out.sqlState = extra.sqlState;
  if (extra.cause instanceof Error) out.cause = describeError(extra.cause);
  return out;
}

/** A logger that drops everything, for tests and library use. */
export const silentLogger = new Logger("error", {}, () => undefined);
