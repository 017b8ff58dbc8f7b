// Summarizes `pulumi preview --refresh --json` (argv[3]) for stack argv[2] as Markdown: a first line "DRIFT ..." or
// "NO DRIFT ...", then one line per resource whose live state differs from the program, with the operation that
// `scripts/pipeline.sh apply` would run and the properties that differ. argv[4] is how long the check took (s).
import fs from "fs";

const [stack, file, seconds] = process.argv.slice(2);
let preview;
try {
  preview = JSON.parse(fs.readFileSync(file, "utf8"));
} catch {
  process.stdout.write(`ERROR: the drift check of stack \`${stack}\` printed no preview (see its output); nothing was compared\n`);
  process.exit(0);
}

// Operations of the plan after the refresh; `refresh` steps are the reads themselves.
const NOT_DRIFT = new Set(["same", "refresh", "read"]);
const WHY = {
  create: "gone from the live platform: apply creates it again",
  delete: "in the state but no longer in the program: apply deletes it",
  update: "differs: apply updates it",
  replace: "differs in a property that forces a replacement: apply replaces it",
  "create-replacement": "differs in a property that forces a replacement: apply replaces it",
};
const nameOf = (urn) => urn.split("::").pop();
const typeOf = (urn) => urn.split("::")[2].split("$").pop();
const drifted = (preview.steps ?? []).filter((s) => !NOT_DRIFT.has(s.op) && !s.op.endsWith("-replaced") && s.op !== "delete-replaced");
const errors = (preview.diagnostics ?? []).filter((d) => d.severity === "error").map((d) => d.message.trim());
// A refresh that finds a workload not ready (a pod still starting, or failing) marks it unhealthy, and the plan updates
// it with no property changed, to wait for it again; the refresh's warning says why, one "* " line per reason.
const unhealthy = new Map(
  (preview.diagnostics ?? [])
    .filter((d) => d.urn && d.message.includes("Refreshed resource is in an unhealthy state"))
    .map((d) => [
      d.urn,
      d.message
        .split("\n")
        .filter((l) => l.startsWith("* "))
        .map((l) => l.slice(2).trim()),
    ]),
);

const lines = [];
if (drifted.length > 0) {
  lines.push(`DRIFT in stack \`${stack}\`: ${drifted.length} resource(s) differ from the program (checked in ${seconds} s):`);
  for (const s of drifted) {
    const keys = Object.keys(s.detailedDiff ?? {}).length ? Object.keys(s.detailedDiff) : (s.diffReasons ?? []);
    const reasons = unhealthy.get(s.urn);
    if (keys.length === 0 && reasons !== undefined) {
      lines.push(`- ${s.op} ${typeOf(s.urn)} \`${nameOf(s.urn)}\` (unhealthy: ${reasons.join("; ")}): not ready: apply waits for it again`);
      continue;
    }
    const what = keys.length ? ` (${keys.join(", ")})` : "";
    lines.push(`- ${s.op} ${typeOf(s.urn)} \`${nameOf(s.urn)}\`${what}: ${WHY[s.op] ?? s.op}`);
  }
  lines.push("", `Repair: \`scripts/pipeline.sh apply ${stack}\` (pulumi up --refresh), or change the program to match the live platform.`);
} else if (errors.length > 0) {
  lines.push(`ERROR: the drift check of stack \`${stack}\` failed before it could compare (checked in ${seconds} s):`);
  for (const e of errors) lines.push(`- ${e.split("\n")[0]}`);
} else {
  lines.push(`NO DRIFT in stack \`${stack}\`: the live platform matches the program (checked in ${seconds} s).`);
}
process.stdout.write(lines.join("\n") + "\n");
