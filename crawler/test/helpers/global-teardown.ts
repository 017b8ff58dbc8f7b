import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";

/** Stops the MariaDB that global-setup started (not one supplied from outside) and removes its data. */
export default function globalTeardown(): void {
  const dir = process.env.CRAWLER_TEST_DB_DIR;
  if (!dir) return;
  execFileSync("bash", [join(__dirname, "..", "mariadb.sh"), "stop", dir], { stdio: "inherit", timeout: 60_000 });
  rmSync(dir, { recursive: true, force: true });
}
