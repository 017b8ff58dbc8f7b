import { CrawlerApp } from "../../src/app";
import { loadConfig } from "../../src/config/env";
import { Logger } from "../../src/log";
import { Metrics } from "../../src/metrics";
import { dbEnv } from "./db";

export interface RunningApp {
  app: CrawlerApp;
  metrics: Metrics;
  logs: Array<Record<string, unknown>>;
}

/** Starts the real service in-process against the test MariaDB, configured through the same env contract. */
export async function startApp(env: Record<string, string>): Promise<RunningApp> {
  const config = loadConfig({
    ...dbEnv(),
    CRAWLER_HTTP_HOST: "127.0.0.1",
    CRAWLER_HTTP_PORT: "0",
    CRAWLER_LOG_LEVEL: "debug",
    ...env,
  });
  const logs: Array<Record<string, unknown>> = [];
  const log = new Logger(config.logLevel, {}, (line) => logs.push(JSON.parse(line) as Record<string, unknown>));
  const metrics = new Metrics();
  const app = new CrawlerApp(config, log, metrics);
  await app.start();
  return { app, metrics, logs };
}

export const sleepMs = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns true or `timeoutMs` passes. */
export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleepMs(50);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
