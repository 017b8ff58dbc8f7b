import { execFile } from "child_process";

export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command without a shell; rejects with its output when it exits non-zero. */
export function run(
  command: string,
  args: readonly string[],
  opts: { timeoutMs?: number; input?: string; env?: Record<string, string> } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    // The test's own environment: jest gives each test file a copy of process.env, which a child would not see by default.
    const child = execFile(
      command,
      [...args],
      { env: { ...process.env, ...opts.env }, maxBuffer: 256 * 1024 * 1024, timeout: opts.timeoutMs ?? 300_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${command} ${args.join(" ")} failed: ${error.message}\n${stderr}`));
        else resolve({ stdout, stderr });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

export const docker = (...args: string[]) => run("docker", args).then((r) => r.stdout);

/** The docker CLI against one engine: this machine's (no host), or another Docker host's API. */
export const dockerOn =
  (host: string | undefined) =>
  (...args: string[]) =>
    host === undefined ? docker(...args) : docker("-H", host, ...args);

/** Runs a command inside one running workload (a container, a pod) and returns its standard output. */
export type InWorkload = (argv: readonly string[], timeoutMs?: number) => Promise<string>;

/** `docker exec` into a container on an engine (this machine's, or `host`). */
export const inContainer =
  (container: string, host?: string): InWorkload =>
  (argv, timeoutMs) =>
    run("docker", [...(host === undefined ? [] : ["-H", host]), "exec", container, ...argv], { timeoutMs }).then((r) => r.stdout);

/** The container running a workload on an engine (this machine's, or `host`), whatever the target named it (labels are the same everywhere). */
export async function containerOf(namePrefix: string, workload: string, host?: string): Promise<string> {
  const names = (
    await dockerOn(host)(
      "ps",
      "--filter",
      `label=bigdata.platform/stack=${namePrefix}`,
      "--filter",
      `label=bigdata.platform/workload=${workload}`,
      "--format",
      "{{.Names}}",
    )
  )
    .split("\n")
    .filter(Boolean);
  if (names.length === 0) throw new Error(`no running container of ${workload}`);
  return names[0];
}

/** Everything Docker still holds of a stack, found by the label every target puts on what it creates. */
export async function leftovers(namePrefix: string, host?: string): Promise<string[]> {
  const docker = dockerOn(host);
  const filter = `label=bigdata.platform/stack=${namePrefix}`;
  const lines = async (args: string[]) => (await docker(...args)).split("\n").filter(Boolean);
  const containers = await lines(["ps", "-a", "--filter", filter, "--format", "container {{.Names}}"]);
  const volumes = await lines(["volume", "ls", "--filter", filter, "--format", "volume {{.Name}}"]);
  const networks = await lines(["network", "ls", "--filter", filter, "--format", "network {{.Name}}"]);
  // Services, secrets and configs are listed by managers only.
  const swarm = (await docker("info", "--format", "{{.Swarm.ControlAvailable}}")).trim() === "true";
  const services = swarm ? await lines(["service", "ls", "--filter", filter, "--format", "service {{.Name}}"]) : [];
  return [...containers, ...services, ...volumes, ...networks];
}

/** Polls until `probe` returns a value, or fails with the last reason after `timeoutMs`. */
export async function eventually<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
  throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}${last ? `: ${String(last)}` : ""}`);
}

/**
 * Removes what an earlier, interrupted run of a test stack left on this engine (its state went with
 * its checkout, so Pulumi cannot destroy it): found by the stack label every target sets.
 */
export async function removeLeftovers(namePrefix: string, host?: string): Promise<void> {
  const docker = dockerOn(host);
  const filter = `label=bigdata.platform/stack=${namePrefix}`;
  const ids = async (...args: string[]) => (await docker(...args, "--filter", filter, "-q")).split("\n").filter(Boolean);
  const swarm = (await docker("info", "--format", "{{.Swarm.ControlAvailable}}")).trim() === "true";
  if (swarm) for (const id of await ids("service", "ls")) await docker("service", "rm", id).catch(() => "");
  await eventually("leftover containers to go", 120_000, async () => {
    for (const id of await ids("ps", "-a")) await docker("rm", "-f", "-v", id).catch(() => "");
    return (await ids("ps", "-a")).length === 0 ? true : undefined;
  });
  for (const id of await ids("volume", "ls")) await docker("volume", "rm", "-f", id).catch(() => "");
  for (const id of await ids("network", "ls")) await docker("network", "rm", id).catch(() => "");
  if (swarm) for (const kind of ["secret", "config"]) for (const id of await ids(kind, "ls")) await docker(kind, "rm", id).catch(() => "");
}

/** The objects a program printed as `PREFIX {json}` lines, in order. */
export function printedJson<T>(stdout: string, prefix: string): T[] {
  return stdout
    .split("\n")
    .filter((l) => l.startsWith(`${prefix} `))
    .map((l) => JSON.parse(l.slice(prefix.length + 1)) as T);
}

/** The result a program printed as one `PREFIX {json}` line; an error quoting the end of its output when there is none. */
export function printedResult<T>(stdout: string, prefix: string): T {
  const found = printedJson<T>(stdout, prefix);
  if (found.length === 0) throw new Error(`no ${prefix} line in the output; it ends:\n${stdout.slice(-2000)}`);
  return found[found.length - 1];
}
