import { readFileSync } from "node:fs";
import { z } from "zod";
import { LOG_LEVELS, type LogLevel } from "../log";
import { stationCatalogue, type Station } from "../synthetic/locations";
import { hash32 } from "../synthetic/weather-model";
import { ConfigError, formatIssues } from "./issues";
import { parseSources, type SourceConfig } from "./sources";

/** Everything the crawler needs, validated once at start from environment variables (see README.md). */
export interface CrawlerConfig {
  mode: "crawl" | "load";
  db: { host: string; port: number; database: string; user: string; password: string; poolSize: number };
  table: string;
  sources: SourceConfig[];
  userAgent: string;
  http: { host: string; port: number };
  logLevel: LogLevel;
  batch: { size: number; maxWaitMs: number };
  fetch: {
    timeoutMs: number;
    retries: number;
    retryBaseMs: number;
    retryMaxMs: number;
    maxPageBytes: number;
    maxConcurrency: number;
    hostRequestsPerSecond: number;
    robotsCacheSeconds: number;
  };
  load: { rowsPerSecond: number; stations: Station[]; start: Date; stepSeconds: number; totalRows: number };
  shutdownTimeoutMs: number;
}

export type Env = Record<string, string | undefined>;

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/** An optional env var holding a number in [min, max]; whole numbers only when `integer`. */
function numberInRange(def: number, min: number, max: number, integer: boolean) {
  const what = integer ? "an integer" : "a number";
  return z.preprocess(
    blankToUndefined,
    z
      .string()
      .optional()
      .transform((raw, ctx) => {
        if (raw === undefined) return def;
        const n = Number(raw.trim());
        if (!(integer ? Number.isInteger(n) : Number.isFinite(n)) || n < min || n > max) {
          ctx.addIssue({ code: "custom", message: `must be ${what} from ${min} to ${max} (got "${raw}")` });
          return z.NEVER;
        }
        return n;
      }),
  );
}

/** An optional env var holding an integer in [min, max]. */
const integer = (def: number, min: number, max: number) => numberInRange(def, min, max, true);
/** An optional env var holding a number in [min, max]. */
const decimal = (def: number, min: number, max: number) => numberInRange(def, min, max, false);

function choice<T extends string>(values: readonly [T, ...T[]], def: T) {
  return z.preprocess(
    blankToUndefined,
    z.enum(values, { error: (iss) => `must be one of: ${values.join(", ")} (got "${String(iss.input)}")` }).default(def),
  );
}

function text(def?: string, max = 255) {
  const base = z.string().max(max, { error: `must be at most ${max} characters` });
  return z.preprocess(blankToUndefined, def === undefined ? base.optional() : base.default(def));
}

const identifier = z.preprocess(
  blankToUndefined,
  z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, {
      error: "must be a plain table name: letters, digits and _, starting with a letter or _, at most 64 characters",
    })
    .default("test"),
);

const envSchema = z.object({
  CRAWLER_MODE: choice(["crawl", "load"], "crawl"),
  CRAWLER_DB_HOST: text(),
  CRAWLER_DB_PORT: integer(3306, 1, 65535),
  CRAWLER_DB_NAME: text("testdb", 64),
  CRAWLER_DB_USER: text(undefined, 80),
  // The password may legitimately be empty, so only "unset" counts as missing (no blank-to-undefined here).
  CRAWLER_DB_PASSWORD: z.string().optional(),
  CRAWLER_DB_PASSWORD_FILE: text(undefined, 4096),
  CRAWLER_DB_POOL_SIZE: integer(4, 1, 64),
  CRAWLER_TABLE: identifier,
  CRAWLER_SOURCES: text(undefined, 1_000_000),
  CRAWLER_SOURCES_FILE: text(undefined, 4096),
  CRAWLER_USER_AGENT: text("bigdata-platform-crawler/0.1 (weather observations; polite, obeys robots.txt)", 512),
  CRAWLER_HTTP_HOST: text("0.0.0.0"),
  CRAWLER_HTTP_PORT: integer(9464, 0, 65535),
  CRAWLER_LOG_LEVEL: choice(LOG_LEVELS as unknown as [LogLevel, ...LogLevel[]], "info"),
  CRAWLER_BATCH_SIZE: integer(500, 1, 10_000),
  CRAWLER_BATCH_MAX_WAIT_MS: integer(1000, 1, 600_000),
  CRAWLER_FETCH_TIMEOUT_MS: integer(10_000, 100, 300_000),
  CRAWLER_FETCH_RETRIES: integer(3, 0, 10),
  CRAWLER_RETRY_BASE_MS: integer(500, 1, 60_000),
  CRAWLER_RETRY_MAX_MS: integer(30_000, 1, 600_000),
  CRAWLER_MAX_PAGE_BYTES: integer(2 * 1024 * 1024, 1024, 64 * 1024 * 1024),
  CRAWLER_MAX_CONCURRENCY: integer(16, 1, 1024),
  CRAWLER_HOST_RATE_PER_SECOND: decimal(1, 0.001, 10_000),
  CRAWLER_ROBOTS_CACHE_SECONDS: integer(3600, 1, 7 * 86400),
  CRAWLER_LOAD_ROWS_PER_SECOND: decimal(1000, 0.01, 1_000_000),
  CRAWLER_LOAD_LOCATIONS: text("137", 100_000),
  CRAWLER_LOAD_START: text("2021-05-01T00:00:00Z", 64),
  CRAWLER_LOAD_STEP_SECONDS: integer(3, 1, 86400),
  CRAWLER_LOAD_TOTAL_ROWS: integer(0, 0, Number.MAX_SAFE_INTEGER),
  CRAWLER_SHUTDOWN_TIMEOUT_MS: integer(8000, 100, 600_000),
});

export type ReadText = (path: string) => string;
const readText: ReadText = (path) => readFileSync(path, "utf8");

/**
 * Validates the environment and returns the configuration, or throws a {@link ConfigError} listing every
 * problem at once (an operator fixing a deployment should not discover them one restart at a time).
 */
export function loadConfig(env: Env, read: ReadText = readText): CrawlerConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(formatIssues("", parsed.error));
  const e = parsed.data;
  const problems: string[] = [];

  if (e.CRAWLER_DB_HOST === undefined) problems.push("CRAWLER_DB_HOST: is required: the MariaDB host name");
  if (e.CRAWLER_DB_USER === undefined) problems.push("CRAWLER_DB_USER: is required: the MariaDB user");

  const password = resolvePassword(e.CRAWLER_DB_PASSWORD, e.CRAWLER_DB_PASSWORD_FILE, read, problems);
  const sources = e.CRAWLER_MODE === "crawl" ? resolveSources(e.CRAWLER_SOURCES, e.CRAWLER_SOURCES_FILE, read, problems) : [];
  const stations = resolveStations(e.CRAWLER_LOAD_LOCATIONS ?? "137", problems);
  const start = new Date(e.CRAWLER_LOAD_START ?? "");
  if (Number.isNaN(start.getTime())) {
    problems.push(`CRAWLER_LOAD_START: must be an ISO 8601 time like 2021-05-01T00:00:00Z (got "${e.CRAWLER_LOAD_START}")`);
  }
  if (e.CRAWLER_RETRY_MAX_MS < e.CRAWLER_RETRY_BASE_MS) {
    problems.push(`CRAWLER_RETRY_MAX_MS: must be at least CRAWLER_RETRY_BASE_MS (${e.CRAWLER_RETRY_BASE_MS})`);
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    mode: e.CRAWLER_MODE,
    db: {
      host: e.CRAWLER_DB_HOST as string,
      port: e.CRAWLER_DB_PORT,
      database: e.CRAWLER_DB_NAME as string,
      user: e.CRAWLER_DB_USER as string,
      password,
      poolSize: e.CRAWLER_DB_POOL_SIZE,
    },
    table: e.CRAWLER_TABLE,
    sources,
    userAgent: e.CRAWLER_USER_AGENT as string,
    http: { host: e.CRAWLER_HTTP_HOST as string, port: e.CRAWLER_HTTP_PORT },
    logLevel: e.CRAWLER_LOG_LEVEL,
    batch: { size: e.CRAWLER_BATCH_SIZE, maxWaitMs: e.CRAWLER_BATCH_MAX_WAIT_MS },
    fetch: {
      timeoutMs: e.CRAWLER_FETCH_TIMEOUT_MS,
      retries: e.CRAWLER_FETCH_RETRIES,
      retryBaseMs: e.CRAWLER_RETRY_BASE_MS,
      retryMaxMs: e.CRAWLER_RETRY_MAX_MS,
      maxPageBytes: e.CRAWLER_MAX_PAGE_BYTES,
      maxConcurrency: e.CRAWLER_MAX_CONCURRENCY,
      hostRequestsPerSecond: e.CRAWLER_HOST_RATE_PER_SECOND,
      robotsCacheSeconds: e.CRAWLER_ROBOTS_CACHE_SECONDS,
    },
    load: {
      rowsPerSecond: e.CRAWLER_LOAD_ROWS_PER_SECOND,
      stations,
      start,
      stepSeconds: e.CRAWLER_LOAD_STEP_SECONDS,
      totalRows: e.CRAWLER_LOAD_TOTAL_ROWS,
    },
    shutdownTimeoutMs: e.CRAWLER_SHUTDOWN_TIMEOUT_MS,
  };
}

function resolvePassword(inline: string | undefined, file: string | undefined, read: ReadText, problems: string[]): string {
  if (inline !== undefined && file !== undefined) {
    problems.push("CRAWLER_DB_PASSWORD / CRAWLER_DB_PASSWORD_FILE: set only one of them");
    return "";
  }
  if (inline !== undefined) return inline;
  if (file === undefined) {
    problems.push("CRAWLER_DB_PASSWORD: is required (or CRAWLER_DB_PASSWORD_FILE with the path of a secret file)");
    return "";
  }
  try {
    // Secret files usually end with a newline that is not part of the password.
    return read(file).replace(/\r?\n$/, "");
  } catch (err) {
    problems.push(`CRAWLER_DB_PASSWORD_FILE: cannot read "${file}": ${(err as Error).message}`);
    return "";
  }
}

function resolveSources(inline: string | undefined, file: string | undefined, read: ReadText, problems: string[]): SourceConfig[] {
  if (inline !== undefined && file !== undefined) {
    problems.push("CRAWLER_SOURCES / CRAWLER_SOURCES_FILE: set only one of them");
    return [];
  }
  const name = inline !== undefined ? "CRAWLER_SOURCES" : "CRAWLER_SOURCES_FILE";
  let text = inline;
  if (text === undefined && file !== undefined) {
    try {
      text = read(file);
    } catch (err) {
      problems.push(`CRAWLER_SOURCES_FILE: cannot read "${file}": ${(err as Error).message}`);
      return [];
    }
  }
  if (text === undefined) {
    problems.push("CRAWLER_SOURCES: is required in crawl mode: a JSON array of sources (or CRAWLER_SOURCES_FILE)");
    return [];
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    problems.push(`${name}: is not valid JSON: ${(err as Error).message}`);
    return [];
  }
  const result = parseSources(json);
  if (!result.ok) {
    problems.push(...formatIssues("CRAWLER_SOURCES", result.error));
    return [];
  }
  return result.sources;
}

/** A count picks from the built-in station catalogue; a comma-separated list names the locations. */
function resolveStations(raw: string, problems: string[]): Station[] {
  const trimmed = raw.trim();
  if (/^\d+$/.test(trimmed)) {
    const count = Number(trimmed);
    if (count < 1 || count > 100_000) {
      problems.push(`CRAWLER_LOAD_LOCATIONS: a count must be from 1 to 100000 (got ${count})`);
      return [];
    }
    return stationCatalogue(count);
  }
  const names = trimmed.split(",").map((n) => n.trim());
  const bad = names.find((n) => n.length === 0 || n.length > 100);
  if (bad !== undefined) {
    problems.push("CRAWLER_LOAD_LOCATIONS: must be a count, or comma-separated location names of 1-100 characters each");
    return [];
  }
  if (new Set(names).size !== names.length) {
    problems.push("CRAWLER_LOAD_LOCATIONS: location names must be unique");
    return [];
  }
  // Named locations get a climate derived from the name, so each still has its own stable series.
  return names.map((name) => {
    const h = hash32(name);
    return { id: name, name, temperatureOffset: (h % 300) / 100 - 1, pollution: 0.7 + ((h >>> 8) % 50) / 100 };
  });
}
