import * as fs from "fs";
import * as path from "path";
import { connectRest, devStackPolicyConfig, driftReport, pipelineScript, type ScriptResult } from "./support/pipeline-script";
import { Phases } from "./support/phases";
import { docker, eventually, leftovers, removeLeftovers } from "../../harness/shell";
import { repoRoot, TestStack } from "../../harness/stack";

// scripts/pipeline.sh, as the pipelines run it, on a small docker stack of its own: a reviewed plan applied, a
// one-setting change previewed, a stale plan refused, drift made by hand detected and repaired, and a clean destroy.
const name = "e2e-pipeline";
const namePrefix = `bigdata-${name}`;
// Ports of its own: the other suites use 13306/29092/18083/18080 (and the dev stack the defaults).
const ports = { mariadb: 23306, kafka: 39092, connect: 28083, sparkUi: 28080 };
const sourceConnector = "web-crawler-test-source";
const sinkConnector = "web-crawler-test-file-sink";
const sinkFile = "/var/lib/connect-sink/weather.txt";
const out = path.join(repoRoot, ".pipeline", name);
const plan = path.join(out, "plan.json");
const password = `e2e-pipeline-${Date.now().toString(36)}-not-in-any-output`;

describe("scripts/pipeline.sh on a deployed docker stack (preview, plan, apply, drift)", () => {
  jest.setTimeout(20 * 60 * 1000);
  const phases = new Phases(name);
  const connect = connectRest(`http://127.0.0.1:${ports.connect}`);
  let stack: TestStack;
  let env: Record<string, string>;
  const driftTimes: [string, number][] = [];

  const pipeline = (...args: string[]): Promise<ScriptResult> => pipelineScript(args, env);
  const read = (file: string) => fs.readFileSync(path.join(out, file), "utf8");
  /** Resources the last preview plans to change, as `op name` (its refresh steps are left out). */
  const plannedChanges = (preview: string) =>
    [
      ...preview.matchAll(/^ {4}([+~-]|\+-) [^\s]+: \((create|update|delete|replace)\)\n\s+\[id=[^\]]*\]\n\s+\[urn=[^\]]*::([^\]]+)\]/gm),
    ].map((m) => `${m[2]} ${m[3]}`);

  beforeAll(async () => {
    await removeLeftovers(namePrefix);
    stack = await TestStack.create(name, "dev", {
      benchmark: { enabled: false },
      crawler: { mode: "load", loadRowsPerSecond: 5 },
      mariadb: { port: ports.mariadb },
      kafka: { externalPortBase: ports.kafka },
      kafkaConnect: { restPort: ports.connect },
      dashboards: { sparkUi: { port: ports.sparkUi }, console: { enabled: false } },
    });
    // A secret of this stack's own, so that "masked" is checked against a value the test knows.
    await stack.stack.setConfig("bigdata:mariadbPassword", { value: password, secret: true });
    // This single-host test stack is a dev stack to the policy pack (admin ports on loopback, no protected volumes).
    env = { PIPELINE_POLICY_CONFIG: devStackPolicyConfig(name) };
  });

  afterAll(() => {
    process.stdout.write(`[${name}] phases:\n${phases.summary()}\n`);
    process.stdout.write(`[${name}] drift detection (scripts/pipeline.sh drift, wall time):\n`);
    for (const [what, s] of driftTimes) process.stdout.write(`  ${what.padEnd(48)} ${s.toFixed(1).padStart(7)}s\n`);
  });

  test("preview saves a plan and a comment with secrets masked; apply with that plan brings the stack up", async () => {
    const preview = await phases.time("preview (new stack)", () => pipeline("preview", name));
    expect(preview.code).toBe(0);
    expect(fs.existsSync(plan)).toBe(true);
    for (const file of ["preview.txt", "comment.md", "plan.json"]) expect(read(file)).not.toContain(password);
    expect(read("comment.md")).toContain(`### \`pulumi preview\` of stack \`${name}\` with the policy pack: succeeded`);
    expect(read("preview.txt")).toContain("[secret]");

    const apply = await phases.time("apply --plan (deploy)", () => pipeline("apply", name, "--plan", plan));
    expect(apply.code).toBe(0);
    expect(apply.output).toContain(`apply of '${name}' done with the reviewed plan`);
    for (const c of [sourceConnector, sinkConnector]) expect(await connect.state(c)).toBe("RUNNING");
    const running = await docker("ps", "--filter", `label=bigdata.platform/stack=${namePrefix}`, "--format", "{{.Names}}");
    expect(running.split("\n").filter(Boolean).sort()).toEqual(
      ["connect-1", "crawler", "kafka-1", "mariadb", "spark-master", "spark-worker-1", "spark-worker-2"]
        .map((c) => `${namePrefix}-${c}`)
        .sort(),
    );
  });

  test("one connector setting previews as that key only; a plan older than the config is refused", async () => {
    const otherFile = "/var/lib/connect-sink/weather-2.txt";
    stack.updateConfig({ connectors: { fileSink: { file: otherFile } } });
    const preview = await phases.time("preview (one connector setting)", () => pipeline("preview", name));
    expect(preview.code).toBe(0);
    const text = read("preview.txt");
    expect(plannedChanges(text)).toEqual([`update ${sinkConnector}`]);
    expect(text).toContain(`~ file: "${sinkFile}" => "${otherFile}"`);
    expect(text).toMatch(/~ 1 to update/);
    expect(text).not.toContain(password);

    // Reviewed: the file sink's path. Merged before apply: another change the plan never showed.
    stack.updateConfig({ kafka: { partitions: 4 } });
    const stale = await phases.time("apply --plan (stale plan)", () => pipeline("apply", name, "--plan", plan));
    expect(stale.code).not.toBe(0);
    const refusal = stale.output.split("\n").filter((l) => /plan/i.test(l) && /error|not|constrain|expected/i.test(l));
    process.stdout.write(`[${name}] the CLI refused the stale plan with:\n${refusal.join("\n")}\n`);
    expect(refusal.length).toBeGreaterThan(0);
    // What the refused run left: the partitions change must not have reached the source connector.
    const source = await connect.config(sourceConnector);
    expect(source["topic.creation.default.partitions"]).toBe("3");

    // The refused run changed nothing (not even the file sink, which the plan did allow): with the committed settings
    // back, the platform matches the program without an apply, as the next test's first drift check shows.
    expect((await connect.config(sinkConnector)).file).toBe(sinkFile);
    stack.updateConfig({ kafka: { partitions: 3 }, connectors: { fileSink: { file: sinkFile } } });
  });

  test("drift made by hand is detected, named and repaired by apply", async () => {
    const drift = async (what: string): Promise<string> => {
      const { report, seconds } = await phases.time(`drift (${what})`, () => driftReport(name, env));
      driftTimes.push([what, seconds]);
      return report;
    };
    expect(await drift("clean stack")).toMatch(/^NO DRIFT in stack/);

    // 1. a connector's config edited through Connect's REST API
    const edited = { ...(await connect.config(sinkConnector)), file: "/var/lib/connect-sink/by-hand.txt" };
    await connect.putConfig(sinkConnector, edited);
    const afterEdit = await drift("connector config edited via REST");
    expect(afterEdit).toMatch(/^DRIFT in stack/);
    expect(afterEdit).toMatch(new RegExp(`update pulumi-nodejs:dynamic/kafka-connect:Connector \`${sinkConnector}\``));

    // 2. a connector paused by hand
    await connect.pause(sourceConnector);
    await eventually("the source connector to be PAUSED", 60_000, async () =>
      (await connect.state(sourceConnector)) === "PAUSED" ? true : undefined,
    );
    const afterPause = await drift("connector paused by hand");
    expect(afterPause).toMatch(new RegExp(`update pulumi-nodejs:dynamic/kafka-connect:Connector \`${sourceConnector}\` \\(runState\\)`));

    // 3. a container removed by hand
    await docker("rm", "-f", `${namePrefix}-crawler`);
    const afterRemove = await drift("crawler container removed by hand");
    expect(afterRemove).toMatch(new RegExp(`create docker:index/container:Container \`${namePrefix}-crawler\`: gone`));
    expect(afterRemove).toContain(`3 resource(s) differ`);
    // (Spark workers scaled by hand: not applicable on the docker target, where workers are containers, not replicas.)

    const repair = await phases.time("apply (repairs the drift)", () => pipeline("apply", name));
    expect(repair.code).toBe(0);
    expect((await connect.config(sinkConnector)).file).toBe(sinkFile);
    expect(await connect.state(sourceConnector)).toBe("RUNNING");
    expect((await docker("inspect", "-f", "{{.State.Running}}", `${namePrefix}-crawler`)).trim()).toBe("true");
    expect(await drift("after the repair")).toMatch(/^NO DRIFT in stack/);
  });

  test("destroy leaves nothing behind", async () => {
    await phases.time("destroy", () => stack.destroyAndRemove());
    expect(await leftovers(namePrefix)).toEqual([]);
    fs.rmSync(out, { recursive: true, force: true });
  });
});
