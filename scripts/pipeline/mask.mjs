// Copies stdin to stdout line by line with every secret value listed in argv[2] (one per line) replaced by
// "[secret]". Pulumi masks secrets in its diffs, but not every message it prints (a plan violation quotes the changed
// property values), and a pipeline's log is read by more people than the stack's secrets are meant for.
import fs from "fs";
import readline from "readline";

const secrets = fs
  .readFileSync(process.argv[2], "utf8")
  .split("\n")
  .filter(Boolean)
  .sort((a, b) => b.length - a.length); // a longer value first, so that one containing another is masked whole
const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  let out = line;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join("[secret]");
  process.stdout.write(out + "\n");
}
