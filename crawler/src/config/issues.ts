import type { z } from "zod";

/** Raised when configuration is invalid; `problems` name each variable or field and what is allowed. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid crawler configuration:\n  - ${problems.join("\n  - ")}`);
    this.name = "ConfigError";
  }
}

/** "CRAWLER_SOURCES[2].selectors.pm10" from a prefix and a zod issue path. */
export function formatPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const key of path) out += typeof key === "number" ? `[${key}]` : `${out === "" ? "" : "."}${String(key)}`;
  return out;
}

export function formatIssues(prefix: string, error: z.ZodError): string[] {
  return error.issues.map((issue) => `${formatPath(prefix, issue.path)}: ${issue.message}`);
}
