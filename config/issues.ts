/** One problem found in the stack configuration, tied to the config key a user has to change. */
export interface ConfigIssue {
  /** Dotted path below the project namespace, e.g. `kafka.brokers`. */
  readonly key: string;
  readonly message: string;
}

export const configNamespace = "bigdata";

export function formatIssue(issue: ConfigIssue): string {
  return `${configNamespace}:${issue.key}: ${issue.message}`;
}

/** Thrown before any resource is declared; lists every problem at once. */
export class ConfigError extends Error {
  constructor(public readonly issues: readonly ConfigIssue[]) {
    super(
      `Invalid stack configuration (${issues.length} problem${issues.length === 1 ? "" : "s"}); nothing was created:\n` +
        issues.map((i) => `  - ${formatIssue(i)}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}
