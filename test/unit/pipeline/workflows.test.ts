import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";

const repo = path.resolve(__dirname, "../../..");
const workflowDir = path.join(repo, ".github/workflows");
const githubWorkflows = fs
  .readdirSync(workflowDir)
  .filter((f) => /\.ya?ml$/.test(f))
  .map((f) => path.join(".github/workflows", f));

// GitLab's `!reference [job, key]` tag, kept as its list so the file parses.
const gitlabSchema = yaml.DEFAULT_SCHEMA.extend([new yaml.Type("!reference", { kind: "sequence", construct: (data: unknown) => data })]);
const load = (file: string): unknown => yaml.load(fs.readFileSync(path.join(repo, file), "utf8"), { schema: gitlabSchema });

/** Every string under a `run:` (GitHub) or `script`/`before_script`/`after_script` (GitLab) key, anywhere. */
function shellLines(node: unknown, inShell = false): string[] {
  if (typeof node === "string") return inShell ? node.split("\n") : [];
  if (Array.isArray(node)) return node.flatMap((n) => shellLines(n, inShell));
  if (node === null || typeof node !== "object") return [];
  return Object.entries(node).flatMap(([k, v]) => shellLines(v, inShell || ["run", "script", "before_script", "after_script"].includes(k)));
}

/** Every `uses:` value, anywhere. */
function usesOf(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(usesOf);
  if (node === null || typeof node !== "object") return [];
  return Object.entries(node).flatMap(([k, v]) => (k === "uses" && typeof v === "string" ? [v] : usesOf(v)));
}

// A Pulumi CLI command, in any position of a shell line (after &&, in a subshell, through env or nice).
const PULUMI_COMMAND = /(^|[\s;&|(`])pulumi\s+(?!.*scripts\/pipeline)[a-z]/;

describe("pipelines call scripts/pipeline.sh and nothing else for Pulumi", () => {
  test("there are GitHub workflows and a GitLab pipeline", () => {
    expect(githubWorkflows.length).toBeGreaterThanOrEqual(3);
    expect(fs.existsSync(path.join(repo, ".gitlab-ci.yml"))).toBe(true);
  });

  test.each([...githubWorkflows, ".gitlab-ci.yml"])("%s runs no pulumi command of its own", (file) => {
    const lines = shellLines(load(file));
    expect(lines.filter((l) => PULUMI_COMMAND.test(l))).toEqual([]);
    expect(usesOf(load(file)).filter((u) => u.startsWith("pulumi/"))).toEqual([]);
  });

  test.each([...githubWorkflows, ".gitlab-ci.yml"])("%s reaches scripts/pipeline.sh (itself or through the stage workflow)", (file) => {
    const doc = load(file);
    const direct = shellLines(doc).some((l) => /\bbash scripts\/pipeline\.sh (preview|apply|drift) /.test(l));
    const viaStage = usesOf(doc).includes("./.github/workflows/pulumi-stage.yml");
    expect(direct || viaStage).toBe(true);
  });

  test.each(githubWorkflows)("%s pins every third-party action by full commit SHA", (file) => {
    const remote = usesOf(load(file)).filter((u) => !u.startsWith("./"));
    for (const u of remote) expect(u).toMatch(/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/);
  });

  test("apply runs behind the GitHub environment named after the stack, and only on main", () => {
    const stage = load(".github/workflows/pulumi-stage.yml") as { jobs: { run: { environment: string } } };
    expect(stage.jobs.run.environment).toBe("${{ inputs.verb == 'apply' && inputs.stack || '' }}");
    const apply = load(".github/workflows/pulumi-apply.yml") as {
      on: { push: { branches: string[] } };
      jobs: Record<string, { needs?: string }>;
    };
    expect(apply.on.push.branches).toEqual(["main"]);
    // promotion: the second environment only after the first applied the same commit
    expect(apply.jobs["preview-swarm"].needs).toBe("apply-dev");
    expect(apply.jobs["apply-swarm"].needs).toBe("preview-swarm");
  });
});
