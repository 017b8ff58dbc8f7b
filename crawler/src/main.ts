import { CrawlerApp } from "./app";
import { loadConfig, type CrawlerConfig } from "./config/env";
import { ConfigError } from "./config/issues";
import { Logger } from "./log";
import { Metrics } from "./metrics";

/**
 * Process entry point. Node as PID 1 in a container gets no default signal handling, so SIGTERM and SIGINT are
 * handled here: the first starts a graceful shutdown, a second one (or the shutdown budget running out) exits at
 * once. Exit codes: 0 clean shutdown, 1 failure, 2 invalid configuration.
 */
function main(): void {
  let config: CrawlerConfig;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    const problems = err instanceof ConfigError ? err.problems : [String(err)];
    new Logger("error", { service: "crawler" }).error("invalid configuration; not starting", { problems });
    process.exit(2);
  }

  const log = new Logger(config.logLevel, { service: "crawler", mode: config.mode });
  const app = new CrawlerApp(config, log, new Metrics(true));
  let stopping = false;

  const stop = (reason: string, exitCode: number) => {
    if (stopping) {
      log.warn("second stop request; exiting without finishing", { reason });
      process.exit(1);
    }
    stopping = true;
    setTimeout(() => {
      log.error("shutdown did not finish in time; exiting", { budgetMs: config.shutdownTimeoutMs });
      process.exit(1);
    }, config.shutdownTimeoutMs + 2000).unref();
    app.shutdown(reason).then(
      (summary) => process.exit(summary.rowsLost > 0 ? 1 : exitCode),
      (err) => {
        log.error("shutdown failed", { error: err });
        process.exit(1);
      },
    );
  };

  process.on("SIGTERM", () => stop("SIGTERM", 0));
  process.on("SIGINT", () => stop("SIGINT", 0));
  process.on("uncaughtException", (err) => {
    log.error("uncaught exception; exiting", { error: err });
    process.exit(1);
  });
  process.on("unhandledRejection", (err) => {
    log.error("unhandled promise rejection; stopping", { error: err });
    stop("unhandledRejection", 1);
  });

  app.start().catch((err) => {
    log.error("start failed", { error: err });
    stop("start failed", 1);
  });
}

main();
