import * as fs from "fs";
import * as path from "path";
import { renderConfigReference } from "../config/reference";
import { targetRegistry } from "../targets/registry";

/** Rewrites the configuration reference between its markers in README.md. */
const readme = path.join(__dirname, "..", "README.md");
const start = "<!-- config-reference:start -->";
const end = "<!-- config-reference:end -->";
const text = fs.readFileSync(readme, "utf8");
const from = text.indexOf(start);
const to = text.indexOf(end);
if (from < 0 || to < from) throw new Error(`README.md needs the markers ${start} and ${end}`);
fs.writeFileSync(readme, `${text.slice(0, from + start.length)}\n${renderConfigReference(targetRegistry)}\n${text.slice(to)}`);
