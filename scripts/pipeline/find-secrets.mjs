// Fails when a file (argv[3..]) contains one of the secret values listed in argv[2], one per line. It names the file
// and line of each hit, never the value: this is the check that a preview posted as a comment masks every secret.
import fs from "fs";

const secrets = fs.readFileSync(process.argv[2], "utf8").split("\n").filter(Boolean);
let hits = 0;
for (const file of process.argv.slice(3)) {
  const lines = fs.readFileSync(file, "utf8").split("\n");
  lines.forEach((line, i) => {
    if (secrets.some((s) => line.includes(s))) {
      hits++;
      process.stderr.write(`pipeline: a secret value of the stack appears in ${file} line ${i + 1}\n`);
    }
  });
}
if (hits > 0) {
  process.stderr.write(`pipeline: ${hits} line(s) carry a secret value in clear: do not publish these files\n`);
  process.exit(1);
}
process.stdout.write(`pipeline: checked ${process.argv.length - 3} file(s) against ${secrets.length} secret value(s): none appears\n`);
