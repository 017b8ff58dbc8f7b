import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const repo = path.resolve(__dirname, "../../..");

/** Runs scripts/pipeline.sh with `env` only (plus PATH and HOME), so the caller's Pulumi settings never leak in. */
function pipeline(args: readonly string[], env: Record<string, string> = {}) {
  const result = spawnSync("bash", [path.join(repo, "scripts/pipeline.sh"), ...args], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    encoding: "utf8",
    timeout: 30_000,
  });
  return { code: result.status, stderr: result.stderr };
}

const settings = { PULUMI_BACKEND_URL: "file:///nonexistent", PULUMI_CONFIG_PASSPHRASE: "unit-test-not-secret" };

describe("scripts/pipeline.sh refuses bad input with exit 2 and says what is allowed", () => {
  test.each([
    [[], "missing the verb (allowed: preview, apply, drift)"],
    [["destroy", "dev"], "unknown verb 'destroy' (allowed: preview, apply, drift)"],
    [["preview"], "missing the stack name (stacks with a stack file here: dev "],
    [["preview", "nosuch"], "no stack file Pulumi.nosuch.yaml for stack 'nosuch' (stacks with a stack file here: dev "],
    [["preview", "../dev"], "bad stack name '../dev'"],
    [["apply", "dev", "--out", "x"], "unknown option '--out' for apply (allowed: --plan FILE)"],
    [["drift", "dev", "--plan", "x"], "unknown option '--plan' for drift (allowed: --out DIR)"],
    [["apply", "dev", "--plan"], "--plan needs a plan file"],
    [["apply", "dev", "--plan", "/nonexistent/plan.json"], "plan file '/nonexistent/plan.json' does not exist"],
  ])("%j", (args, message) => {
    const { code, stderr } = pipeline(args, settings);
    expect(stderr).toContain(message);
    expect(stderr).toContain("usage: scripts/pipeline.sh <preview|apply|drift> <stack>");
    expect(code).toBe(2);
  });

  test("names every missing backend and secrets setting", () => {
    const { code, stderr } = pipeline(["preview", "dev"]);
    expect(stderr).toContain("missing settings for stack 'dev'");
    expect(stderr).toContain("PULUMI_BACKEND_URL (s3://..., azblob://..., gs://..., file://...) or PULUMI_ACCESS_TOKEN (Pulumi Cloud)");
    expect(stderr).toContain("PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE (stack 'dev' uses the passphrase secrets provider");
    expect(code).toBe(2);
  });

  test("an empty passphrase counts as missing; a Pulumi Cloud token stands for the backend", () => {
    const { code, stderr } = pipeline(["drift", "swarm"], { PULUMI_ACCESS_TOKEN: "pul-unit-test", PULUMI_CONFIG_PASSPHRASE: "" });
    expect(stderr).not.toContain("PULUMI_BACKEND_URL");
    expect(stderr).toContain("PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE (stack 'swarm'");
    expect(code).toBe(2);
  });

  test("a policy config that does not exist is named", () => {
    const { code, stderr } = pipeline(["preview", "dev"], { ...settings, PIPELINE_POLICY_CONFIG: "/nonexistent/policy.json" });
    expect(stderr).toContain("PIPELINE_POLICY_CONFIG names '/nonexistent/policy.json', which does not exist");
    expect(code).toBe(2);
  });
});

describe("the pipeline's secret helpers", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pipeline-unit-"));
  const values = path.join(dir, "values");
  fs.writeFileSync(values, "s3cret-value\ns3cret-value-longer\n");

  test("mask.mjs replaces every secret value in what a command prints, the longer one whole", () => {
    const result = spawnSync("node", [path.join(repo, "scripts/pipeline/mask.mjs"), values], {
      input: "a s3cret-value-longer b\nc s3cret-value d s3cret-value\n",
      encoding: "utf8",
    });
    expect(result.stdout).toBe("a [secret] b\nc [secret] d [secret]\n");
  });

  test("find-secrets.mjs fails naming the file and line, never the value", () => {
    const file = path.join(dir, "preview.txt");
    fs.writeFileSync(file, "fine\npassword: s3cret-value\n");
    const result = spawnSync("node", [path.join(repo, "scripts/pipeline/find-secrets.mjs"), values, file], { encoding: "utf8" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`a secret value of the stack appears in ${file} line 2`);
    expect(result.stderr + result.stdout).not.toContain("s3cret-value");
  });
});
