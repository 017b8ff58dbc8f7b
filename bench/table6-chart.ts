import * as fs from "fs";
import * as path from "path";
import { type ConsoleTable6Row, consoleTable6Rows, type Table6Row, table6Markdown } from "../components/benchmark-results";
import { readImageVersions } from "../config/images";
import { run } from "../harness/shell";

/**
 * The Table 6 chart as SVG, drawn by the console's own renderer (its Vega-Lite spec console/charts/table6.vl.json and
 * vl-convert) inside the console image: the same chart as the console's overview shows, from the same rows.
 */
export async function table6Svg(rows: readonly ConsoleTable6Row[]): Promise<string> {
  const image = `bigdata-local/console:${readImageVersions().console}`;
  const draw =
    "import json, sys; from bigdata_console import chart, table6; " +
    "sys.stdout.write(chart.render(table6.spec_with_data(table6.normalize(json.load(sys.stdin)))))";
  const { stdout } = await run("docker", ["run", "--rm", "-i", "--network", "none", "--entrypoint", "python3", image, "-c", draw], {
    input: JSON.stringify(rows),
    timeoutMs: 120_000,
  });
  if (!stdout.startsWith("<svg")) throw new Error(`the console image drew no SVG: ${stdout.slice(0, 200)}`);
  return stdout;
}

/** Writes table6.md, table6.json (the chart's rows) and table6.svg into `dir`; returns their paths. */
export async function writeTable6(dir: string, rows: readonly Table6Row[]): Promise<string[]> {
  fs.mkdirSync(dir, { recursive: true });
  const chartRows = consoleTable6Rows(rows);
  const files: [string, string][] = [
    ["table6.md", `${table6Markdown(rows)}\n`],
    ["table6.json", `${JSON.stringify(chartRows, null, 2)}\n`],
    ["table6.svg", await table6Svg(chartRows)],
  ];
  for (const [name, content] of files) fs.writeFileSync(path.join(dir, name), content);
  return files.map(([name]) => path.join(dir, name));
}
