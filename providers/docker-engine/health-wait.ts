/**
 * Waiting for a container's healthcheck to pass (the docker provider's `wait`/`waitTimeout`): polls inspect until
 * State.Health.Status is "healthy". Fails early when the container becomes unhealthy, exits or restarts, or has no
 * healthcheck at all, and on timeout; the message carries the last healthcheck results and the container's last log
 * lines (the caller masks secrets).
 */
import { dockerRequest, DockerClient, dockerTiming, inspectOrUndefined, sleep } from "./http-client";

const HEALTH_RESULTS = 3;
const LOG_LINES = 20;

interface ContainerState {
  Status?: string;
  Running?: boolean;
  Restarting?: boolean;
  ExitCode?: number;
  Error?: string;
  Health?: { Status?: string; Log?: { ExitCode?: number; Output?: string }[] };
}

/**
 * Splits the multiplexed stream of `GET /containers/{id}/logs` (8-byte frame headers: stream, 0, 0, 0, size) into
 * text; a stream that is not framed (a TTY container) is returned as is.
 */
export function demuxLogs(buffer: Buffer): string {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const stream = buffer[offset];
    const size = buffer.readUInt32BE(offset + 4);
    const framed = stream <= 2 && buffer[offset + 1] === 0 && buffer[offset + 2] === 0 && buffer[offset + 3] === 0;
    if (!framed || offset + 8 + size > buffer.length) return buffer.toString("utf8");
    parts.push(buffer.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  if (offset !== buffer.length) return buffer.toString("utf8");
  return Buffer.concat(parts).toString("utf8");
}

/** Indented last lines, or "(none)". */
export function indentLines(lines: readonly string[]): string {
  return lines.length ? lines.map((l) => `    ${l.slice(0, 500)}`).join("\n") : "    (none)";
}

/** The container's last `tail` log lines (stdout and stderr); never throws. */
export async function lastLogLines(client: DockerClient, id: string, tail = LOG_LINES): Promise<string[]> {
  try {
    const response = await dockerRequest(client, "GET", `/containers/${encodeURIComponent(id)}/logs`, {
      query: { stdout: 1, stderr: 1, tail },
      timeoutMs: 15_000,
    });
    if (response.status !== 200) return [`(logs unavailable: HTTP ${response.status})`];
    return demuxLogs(response.body).split(/\r?\n/).filter((l) => l.trim() !== "").slice(-tail);
  } catch (error) {
    return [`(logs unavailable: ${(error as Error).message})`];
  }
}

/** The last healthcheck results: "exit 1: <output>" (output lines joined). */
export function healthResults(state: ContainerState | undefined, count = HEALTH_RESULTS): string[] {
  const log = state?.Health?.Log ?? [];
  return log.slice(-count).map((entry) => {
    const output = (entry.Output ?? "").split(/\r?\n/).filter((l) => l.trim() !== "").join(" | ");
    return `exit ${entry.ExitCode ?? "?"}: ${output || "(no output)"}`;
  });
}

/** Why the wait must stop now, or undefined to keep waiting. */
export function healthProblem(state: ContainerState | undefined, restartsBefore: number, restarts: number): string | undefined {
  if (!state) return "it disappeared";
  if (restarts > restartsBefore || state.Restarting) return `it exited (exit code ${state.ExitCode ?? "?"}) and is being restarted`;
  if (state.Status === "exited" || state.Status === "dead") {
    return `it exited (exit code ${state.ExitCode ?? "?"}${state.Error ? `, ${state.Error}` : ""})`;
  }
  if (state.Health?.Status === "unhealthy") return "it became unhealthy";
  if (state.Running && !state.Health) return "it has no healthcheck (set healthcheck, or leave wait unset)";
  return undefined;
}

/** Polls until healthy; throws with the reason, the last healthcheck results and the last log lines. */
export async function waitHealthy(client: DockerClient, id: string, name: string, timeoutSeconds: number): Promise<void> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  const path = `/containers/${encodeURIComponent(id)}/json`;
  let restartsBefore: number | undefined;
  let last: ContainerState | undefined;
  let problem: string | undefined;
  for (;;) {
    const live = await inspectOrUndefined(client, path);
    last = live?.State as ContainerState | undefined;
    const restarts = typeof live?.RestartCount === "number" ? live.RestartCount : 0;
    restartsBefore ??= restarts;
    if (last?.Health?.Status === "healthy") return;
    problem = healthProblem(last, restartsBefore, restarts);
    if (problem) break;
    if (Date.now() >= deadline) {
      problem = `it was not healthy within ${timeoutSeconds}s (health: ${last?.Health?.Status ?? "none"})`;
      break;
    }
    await sleep(Math.min(dockerTiming.pollMs, Math.max(0, deadline - Date.now())));
  }
  const logs = await lastLogLines(client, id);
  throw new Error(
    `container ${JSON.stringify(name)} did not become healthy: ${problem}.\n` +
      `  last healthcheck results:\n${indentLines(healthResults(last))}\n` +
      `  last ${LOG_LINES} log lines:\n${indentLines(logs)}`,
  );
}

export { HEALTH_RESULTS, LOG_LINES };
