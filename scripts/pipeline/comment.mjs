// Turns a `pulumi preview --diff` output (argv[4]) into the Markdown of a pull-request comment for stack argv[2]
// (argv[3] is the preview's exit code). GitHub refuses comments over 65536 characters, so a long diff is cut, and the
// comment says so: the full output is the job's artifact.
import fs from "fs";

const LIMIT = 60000;
const [stack, code, file] = process.argv.slice(2);
const text = fs.readFileSync(file, "utf8");
const summary = text.slice(text.lastIndexOf("\nResources:") + 1).trim();
const body = text.length > LIMIT ? `${text.slice(0, LIMIT)}\n... (cut at ${LIMIT} characters: see the job's artifact)` : text;
const status = code === "0" ? "succeeded" : `FAILED (exit ${code})`;
process.stdout.write(
  [
    `<!-- pulumi-preview:${stack} -->`,
    `### \`pulumi preview\` of stack \`${stack}\` with the policy pack: ${status}`,
    "",
    text.includes("\nResources:") ? "```\n" + summary + "\n```" : "",
    "",
    "<details><summary>Full diff</summary>",
    "",
    "```diff",
    body.replace(/```/g, "'''"),
    "```",
    "</details>",
    "",
  ].join("\n"),
);
