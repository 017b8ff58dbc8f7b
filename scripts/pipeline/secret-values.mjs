// Prints, one per line, every secret value of a stack: from `pulumi config --show-secrets --json` (argv[2]) and from
// `pulumi stack export --show-secrets` (argv[3]), where a secret is {"4dabf18193072939515e22adb298388d": <sig>,
// "plaintext": "<JSON>"}. scripts/pipeline.sh greps its outputs for them; nothing here prints them anywhere else.
import fs from "fs";

const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const values = new Set();

/** Leaves of a decoded secret: strings as they are, everything else as its JSON. */
function addLeaves(value) {
  if (typeof value === "string") values.add(value);
  else if (Array.isArray(value)) value.forEach(addLeaves);
  else if (value && typeof value === "object") Object.values(value).forEach(addLeaves);
  else if (value !== null && value !== undefined) values.add(String(value));
}

function walkState(node) {
  if (Array.isArray(node)) return node.forEach(walkState);
  if (!node || typeof node !== "object") return;
  if (SECRET_SIG in node && typeof node.plaintext === "string") {
    addLeaves(JSON.parse(node.plaintext));
    return;
  }
  Object.values(node).forEach(walkState);
}

const readJson = (file) => {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return {};
  }
};

for (const entry of Object.values(readJson(process.argv[2]))) {
  if (entry && entry.secret) addLeaves(entry.objectValue ?? entry.value);
}
walkState(readJson(process.argv[3]));
// Short values ("1", "true") would match everywhere and are not secrets worth the name; generated passwords are long.
const long = [...values].filter((v) => v.length >= 6);
process.stdout.write(long.join("\n") + (long.length ? "\n" : ""));
