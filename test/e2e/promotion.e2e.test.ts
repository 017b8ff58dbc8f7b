import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { pipelineScript } from "./support/pipeline-script";
import { Phases } from "./support/phases";
import { run } from "../../harness/shell";
import { repoRoot } from "../../harness/stack";

// Promotion (README "Pipelines"): a second environment's stack with its own passphrase and its own secrets, made the
// way an operator makes it (pulumi stack init, pulumi config set --secret), previewed by the pipeline script; nothing
// is deployed. The first environment is a dev-derived stack with secrets of its own.
const environments = [
  { stack: "e2e-promo-dev", base: "dev", passphrase: "promo-dev-passphrase-not-secret" },
  { stack: "e2e-staging", base: "swarm", passphrase: "promo-staging-passphrase-not-secret" },
] as const;
const secretKeys = ["mariadbPassword", "mariadbRootPassword", "mariadbCdcPassword"];

describe("promotion: a staging stack from the swarm stack, with its own secrets", () => {
  jest.setTimeout(10 * 60 * 1000);
  const phases = new Phases("promotion");
  const secrets = new Map<string, string[]>();
  const outDir = (stack: string) => path.join(repoRoot, ".pipeline", stack);
  let policyConfig = "";

  /** The pulumi CLI with one environment's passphrase, as that environment's pipeline job has it. */
  const pulumiAs = (env: (typeof environments)[number], args: string[]) =>
    run("pulumi", [...args, "--stack", env.stack, "--non-interactive"], { env: { PULUMI_CONFIG_PASSPHRASE: env.passphrase } });

  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "promotion-e2e-"));
    policyConfig = path.join(dir, "policy-config.json");
    // The dev-derived stack is a dev stack to the pack (its containers may carry passwords in their environment).
    const devStacks = { devStacks: ["dev", environments[0].stack] };
    const relaxed = ["admin-endpoints-not-on-all-interfaces", "admin-endpoints-exposure-reviewed", "no-plain-credentials"];
    fs.writeFileSync(
      policyConfig,
      JSON.stringify(
        Object.fromEntries([...relaxed, "connector-secrets-through-config-provider", "data-volumes-protected"].map((p) => [p, devStacks])),
      ),
    );
    for (const env of environments) {
      const file = path.join(repoRoot, `Pulumi.${env.stack}.yaml`);
      await run("pulumi", ["stack", "rm", env.stack, "--yes", "--force", "--non-interactive"]).catch(() => undefined);
      fs.copyFileSync(path.join(repoRoot, `Pulumi.${env.base}.yaml`), file);
      await run("pulumi", ["stack", "init", env.stack, "--non-interactive"], { env: { PULUMI_CONFIG_PASSPHRASE: env.passphrase } });
      const values = secretKeys.map((k) => `${env.stack}-${k}-${Math.random().toString(36).slice(2)}`);
      for (const [i, key] of secretKeys.entries()) await pulumiAs(env, ["config", "set", "--secret", `bigdata:${key}`, values[i]]);
      secrets.set(env.stack, values);
    }
  });

  afterAll(async () => {
    for (const env of environments) {
      await run("pulumi", ["stack", "rm", env.stack, "--yes", "--force", "--non-interactive"]).catch(() => undefined);
      fs.rmSync(path.join(repoRoot, `Pulumi.${env.stack}.yaml`), { force: true });
      fs.rmSync(outDir(env.stack), { recursive: true, force: true });
    }
    process.stdout.write(`[promotion] phases:\n${phases.summary()}\n`);
  });

  test("the stack files carry only ciphertext of their own secrets", () => {
    for (const env of environments) {
      const file = fs.readFileSync(path.join(repoRoot, `Pulumi.${env.stack}.yaml`), "utf8");
      expect(file).toContain("encryptionsalt:");
      for (const value of secrets.get(env.stack) ?? []) expect(file).not.toContain(value);
    }
  });

  test("each environment previews with its own passphrase; no secret of one appears in the other's preview", async () => {
    for (const env of environments) {
      const result = await phases.time(`preview ${env.stack}`, () =>
        pipelineScript(["preview", env.stack], { PULUMI_CONFIG_PASSPHRASE: env.passphrase, PIPELINE_POLICY_CONFIG: policyConfig }),
      );
      expect(result.code).toBe(0);
    }
    const everything = [...secrets.values()].flat();
    for (const env of environments) {
      for (const file of ["preview.txt", "comment.md", "plan.json"]) {
        const text = fs.readFileSync(path.join(outDir(env.stack), file), "utf8");
        for (const value of everything) expect(text).not.toContain(value);
      }
    }
  });

  test("the first environment's passphrase cannot open the second's secrets", async () => {
    const [dev, staging] = environments;
    const result = await pipelineScript(["preview", staging.stack, "--out", path.join(outDir(staging.stack), "wrong")], {
      PULUMI_CONFIG_PASSPHRASE: dev.passphrase,
      PIPELINE_POLICY_CONFIG: policyConfig,
    });
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/passphrase/i);
  });
});
