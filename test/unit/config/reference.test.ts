import { renderConfigReference } from "../../../config/reference";
import { targetRegistry } from "../../../targets/registry";
import { readRepoFile } from "../support/stack-config";

test("README's configuration reference matches the schema (npm run docs:config regenerates it)", () => {
  const readme = readRepoFile("README.md");
  const section = readme.slice(readme.indexOf("<!-- config-reference:start -->"), readme.indexOf("<!-- config-reference:end -->"));
  expect(section).toBe(`<!-- config-reference:start -->\n${renderConfigReference(targetRegistry)}\n`);
});

test("every documented key of the stack files exists in the schema", () => {
  const reference = renderConfigReference(targetRegistry);
  for (const key of [
    "bigdata:target",
    "bigdata:kafka.controllers",
    "bigdata:spark.workers.count",
    "bigdata:connectors.source.kind",
    "bigdata:mariadbPassword",
  ]) {
    expect(reference).toContain(`\`${key}\``);
  }
});
