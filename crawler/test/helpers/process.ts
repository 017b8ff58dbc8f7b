import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { dbEnv } from "./db";

const MAIN = join(__dirname, "..", "..", "dist", "src", "main.js");
const children = new Set<ChildProcess>();

/** Kills crawler processes a failed test left running (call from afterEach), so Jest can exit. */
export function killLeftovers(): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  children.clear();
}

export interface CrawlerProcess {
  child: ChildProcess;
  logs: Array<Record<string, unknown>>;
  port: () => number | undefined;
  exited: Promise<number | null>;
  waitForLog: (msg: string, timeoutMs: number) => Promise<Record<string, unknown>>;
}

/**
 * Runs the compiled service as its own process, exactly as the container does (`npm test` builds it first).
 * CRAWLER_TEST_NODE selects another Node binary, e.g. Debian bookworm's Node 18 that the air-gapped image uses.
 */
export function spawnCrawler(env: Record<string, string>, node = process.env.CRAWLER_TEST_NODE ?? process.execPath): CrawlerProcess {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "npm run build" (npm test does)`);
  const child = spawn(node, [MAIN], {
    env: { PATH: process.env.PATH ?? "", ...dbEnv(), CRAWLER_HTTP_HOST: "127.0.0.1", CRAWLER_HTTP_PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  const logs: Array<Record<string, unknown>> = [];
  const waiters: Array<() => void> = [];
  let pending = "";
  child.stdout?.setEncoding("utf8");
  child.stdout?.on("data", (chunk: string) => {
    pending += chunk;
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines.filter(Boolean)) logs.push(JSON.parse(line) as Record<string, unknown>);
    waiters.splice(0).forEach((w) => w());
  });
  let stderr = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) =>
    child.on("exit", (code) => {
      if (stderr) process.stderr.write(`crawler stderr: ${stderr}\n`);
      waiters.splice(0).forEach((w) => w());
      resolve(code);
    }),
  );
  const waitForLog = (msg: string, timeoutMs: number) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const deadline = setTimeout(
        () => reject(new Error(`no "${msg}" log within ${timeoutMs} ms; logs: ${JSON.stringify(logs.slice(-5))}`)),
        timeoutMs,
      );
      const check = () => {
        const found = logs.find((l) => l.msg === msg);
        if (found) {
          clearTimeout(deadline);
          resolve(found);
        } else if (child.exitCode !== null) {
          clearTimeout(deadline);
          reject(new Error(`crawler exited (${child.exitCode}) before logging "${msg}": ${JSON.stringify(logs.slice(-5))}`));
        } else waiters.push(check);
      };
      check();
    });
  return {
    child,
    logs,
    port: () => logs.find((l) => l.msg === "ops endpoint listening")?.port as number | undefined,
    exited,
    waitForLog,
  };
}
