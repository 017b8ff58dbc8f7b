import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const repo = path.resolve(__dirname, "../../..");
const urn = (type: string, name: string) => `urn:pulumi:e2e::bigdata::bigdata:platform:Platform$${type}::${name}`;
const worker = urn("kubernetes:apps/v1:Deployment", "bigdata-spark-worker");
const consoleUrn = urn("kubernetes:apps/v1:Deployment", "bigdata-console");

/** scripts/pipeline/drift-summary.mjs on a `pulumi preview --refresh --json` document written for the test. */
function summary(preview: object): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drift-summary-"));
  try {
    const file = path.join(dir, "drift.json");
    fs.writeFileSync(file, JSON.stringify(preview));
    const result = spawnSync("node", [path.join(repo, "scripts/pipeline/drift-summary.mjs"), "e2e", file, "8"], { encoding: "utf8" });
    expect(result.status).toBe(0);
    return result.stdout;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("the drift report (scripts/pipeline/drift-summary.mjs)", () => {
  test("names each resource that differs, with the properties that differ", () => {
    const report = summary({
      steps: [
        { op: "refresh", urn: worker },
        { op: "update", urn: worker, detailedDiff: { "spec.replicas": { kind: "update" } } },
      ],
    });
    expect(report).toBe(
      "DRIFT in stack `e2e`: 1 resource(s) differ from the program (checked in 8 s):\n" +
        "- update kubernetes:apps/v1:Deployment `bigdata-spark-worker` (spec.replicas): differs: apply updates it\n\n" +
        "Repair: `scripts/pipeline.sh apply e2e` (pulumi up --refresh), or change the program to match the live platform.\n",
    );
  });

  test("says why a workload that the refresh found not ready is updated with no property changed", () => {
    const report = summary({
      steps: [{ op: "update", urn: consoleUrn, detailedDiff: {} }],
      diagnostics: [
        {
          urn: consoleUrn,
          severity: "warning",
          message:
            "warning: Refreshed resource is in an unhealthy state:\n* Resource 'console' was created but failed to initialize\n" +
            "* [Pod ns/console-1]: containers with unready status: [dashboards]\n",
        },
      ],
    });
    expect(report).toContain(
      "- update kubernetes:apps/v1:Deployment `bigdata-console` (unhealthy: Resource 'console' was created but failed to initialize; " +
        "[Pod ns/console-1]: containers with unready status: [dashboards]): not ready: apply waits for it again\n",
    );
  });

  test("reports no drift when every step is a read or the same", () => {
    expect(
      summary({
        steps: [
          { op: "refresh", urn: worker },
          { op: "same", urn: worker },
        ],
      }),
    ).toMatch(/^NO DRIFT in stack `e2e`/);
  });
});
