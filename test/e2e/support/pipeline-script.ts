import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { repoRoot } from "../../../harness/stack";

export interface ScriptResult {
  readonly code: number;
  /** stdout and stderr interleaved, as a pipeline's log shows them. */
  readonly output: string;
  readonly seconds: number;
}

/**
 * Runs `scripts/pipeline.sh VERB STACK ARGS...` as a pipeline would, with this process's environment (the backend and
 * passphrase the e2e run uses) plus `env`; resolves with its exit code whatever it is, echoing its output.
 */
export function pipelineScript(args: readonly string[], env: Record<string, string> = {}, timeoutMs = 900_000): Promise<ScriptResult> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn("bash", [path.join(repoRoot, "scripts/pipeline.sh"), ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      process.stdout.write(chunk);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    const timer = setTimeout(() => child.kill("SIGTERM"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, output, seconds: (Date.now() - start) / 1000 });
    });
  });
}

/** Kafka Connect's REST API on the host, as an operator would use it by hand. */
export function connectRest(baseUrl: string) {
  const call = async (method: string, p: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${baseUrl}${p}`, {
      method,
      headers: { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${p}: ${response.status} ${await response.text()}`);
    const text = await response.text();
    return text ? JSON.parse(text) : undefined;
  };
  return {
    config: (name: string) => call("GET", `/connectors/${name}/config`) as Promise<Record<string, string>>,
    putConfig: (name: string, config: Record<string, string>) => call("PUT", `/connectors/${name}/config`, config),
    pause: (name: string) => call("PUT", `/connectors/${name}/pause`),
    state: async (name: string) => ((await call("GET", `/connectors/${name}/status`)) as { connector: { state: string } }).connector.state,
  };
}

/**
 * A policy-pack config (for PIPELINE_POLICY_CONFIG) under which the test's own stack counts as a dev stack: its admin
 * ports, plain settings and unprotected volumes are what a throwaway test stack has, and are findings on real stacks.
 * `advisory` lowers further policies to advisory for a test stack that breaks them by design (CrossGuard's
 * per-policy enforcementLevel), so that they are reported but do not stop an apply.
 */
export function devStackPolicyConfig(stack: string, advisory: readonly string[] = []): string {
  const devStacks = ["dev", stack];
  const relaxed = ["admin-endpoints-not-on-all-interfaces", "admin-endpoints-exposure-reviewed", "no-plain-credentials"];
  const more = ["connector-secrets-through-config-provider", "data-volumes-protected"];
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), `${stack}-policy-`)), "policy-config.json");
  const config = {
    ...Object.fromEntries([...relaxed, ...more].map((p) => [p, { devStacks }])),
    ...Object.fromEntries(advisory.map((p) => [p, { enforcementLevel: "advisory" }])),
  };
  fs.writeFileSync(file, JSON.stringify(config));
  return file;
}

/**
 * `scripts/pipeline.sh drift STACK` as the scheduled pipeline runs it: the drift report (drift.md) when the check
 * compared (exit 0 or 3), else the exit code and the end of the output, so that a failing expectation shows why.
 */
export async function driftReport(stack: string, env: Record<string, string>): Promise<{ report: string; seconds: number }> {
  const out = path.join(repoRoot, ".pipeline", stack);
  const result = await pipelineScript(["drift", stack, "--out", out], env);
  const report =
    result.code === 3 || result.code === 0
      ? fs.readFileSync(path.join(out, "drift.md"), "utf8")
      : `exit ${result.code}: ${result.output.slice(-3000)}`;
  return { report, seconds: result.seconds };
}
