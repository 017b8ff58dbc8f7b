import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Starts the test MariaDB and publishes its address to the test workers through the environment. */
export default function globalSetup(): void {
  if (process.env.CRAWLER_TEST_DB_PORT) return;
  const dir = mkdtempSync(join(tmpdir(), "crawler-test-mariadb-"));
  const out = execFileSync("bash", [join(__dirname, "..", "mariadb.sh"), "start", dir], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    timeout: 300_000, // the first run may install the package
  });
  const vars = Object.fromEntries(
    out
      .split("\n")
      .map((line) => /^(MARIADB_\w+)=(.*)$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1], m[2]]),
  );
  process.env.CRAWLER_TEST_DB_HOST = vars.MARIADB_HOST;
  process.env.CRAWLER_TEST_DB_PORT = vars.MARIADB_PORT;
  process.env.CRAWLER_TEST_DB_USER = vars.MARIADB_USER;
  process.env.CRAWLER_TEST_DB_PASSWORD = vars.MARIADB_PASSWORD;
  process.env.CRAWLER_TEST_DB_NAME = vars.MARIADB_DATABASE;
  process.env.CRAWLER_TEST_DB_DIR = dir;
}
