/**
 * Waiting for a service to converge (the docker provider's `convergeConfig`): every `delay`, until `timeout`, count
 * the service's tasks that run the current spec (the `_up-to-date` filter the Docker CLI uses), are meant to run and
 * do run. Swarm only reports a task whose container has a healthcheck as running once it is healthy, so "running"
 * includes "healthy" where a healthcheck exists. The same tasks must stay running for dockerTiming.convergeStableMs
 * (a task that crashes right after starting is "running" for a moment). A paused or rolled-back update fails at
 * once; a timeout fails with the tasks' states and error messages.
 */
import { dockerRequest, DockerClient, dockerError, dockerTiming, inspectOrUndefined, sleep } from "./http-client";

const DEFAULT_CONVERGE_DELAY_NS = 7e9;
const DEFAULT_CONVERGE_TIMEOUT_NS = 180e9;
const TASKS_SHOWN = 8;

export interface SwarmTask {
  ID?: string;
  ServiceID?: string;
  Slot?: number;
  NodeID?: string;
  DesiredState?: string;
  UpdatedAt?: string;
  Status?: { State?: string; Message?: string; Err?: string; ContainerStatus?: { ContainerID?: string } };
}

export interface ConvergeOptions {
  replicas: number;
  delayNs?: number;
  timeoutNs?: number;
}

export async function listTasks(client: DockerClient, filters: Record<string, string[]>): Promise<SwarmTask[]> {
  const response = await dockerRequest(client, "GET", "/tasks", { query: { filters: JSON.stringify(filters) } });
  if (response.status !== 200) throw dockerError(client, "GET", "/tasks", response);
  return Array.isArray(response.json) ? (response.json as SwarmTask[]) : [];
}

/** "slot 1: rejected (desired shutdown): No such image: x" per task, newest first. */
export function describeTasks(tasks: readonly SwarmTask[], limit = TASKS_SHOWN): string[] {
  const sorted = [...tasks].sort((a, b) => String(b.UpdatedAt ?? "").localeCompare(String(a.UpdatedAt ?? "")));
  const lines = sorted.slice(0, limit).map((t) => {
    const error = t.Status?.Err || t.Status?.Message || "";
    const node = t.NodeID ? ` on node ${t.NodeID.slice(0, 12)}` : "";
    return `slot ${t.Slot ?? "?"}${node}: ${t.Status?.State ?? "?"} (desired ${t.DesiredState ?? "?"})${error ? `: ${error}` : ""}`;
  });
  if (sorted.length > limit) lines.push(`... ${sorted.length - limit} older task(s)`);
  return lines;
}

/** Running tasks of the current spec, meant to run. */
export function countRunning(tasks: readonly SwarmTask[]): number {
  return tasks.filter((t) => t.DesiredState === "running" && t.Status?.State === "running").length;
}

function runningIds(tasks: readonly SwarmTask[]): string {
  return tasks
    .filter((t) => t.DesiredState === "running" && t.Status?.State === "running")
    .map((t) => t.ID ?? "")
    .sort()
    .join(",");
}

/** Waits until `replicas` tasks of the current spec run; returns how many run. */
export async function waitConverged(client: DockerClient, id: string, name: string, options: ConvergeOptions): Promise<number> {
  const delayMs = Math.max(50, (options.delayNs ?? DEFAULT_CONVERGE_DELAY_NS) / 1e6);
  const timeoutNs = options.timeoutNs ?? DEFAULT_CONVERGE_TIMEOUT_NS;
  const deadline = Date.now() + timeoutNs / 1e6;
  let summary = "no answer yet";
  let stable: { since: number; tasks: string } | undefined;
  for (;;) {
    const service = await inspectOrUndefined(client, `/services/${encodeURIComponent(id)}`);
    if (!service) throw new Error(`service ${JSON.stringify(name)} disappeared while waiting for it to converge`);
    const update = (service.UpdateStatus ?? {}) as { State?: string; Message?: string };
    const current = await listTasks(client, { service: [id], "_up-to-date": ["true"], "desired-state": ["running"] });
    const running = countRunning(current);
    const updating = update.State === "updating" || update.State === "rollback_started";
    summary = `${running} of ${options.replicas} task(s) running${update.State ? ` (update ${update.State})` : ""}`;
    if (update.State === "paused" || update.State === "rollback_paused" || update.State === "rollback_completed") {
      throw await notConverged(client, id, name, `its update is ${update.State}: ${update.Message ?? ""}; ${summary}`);
    }
    if (!updating && running >= options.replicas && current.length <= options.replicas) {
      const tasks = runningIds(current);
      if (stable?.tasks !== tasks) stable = { since: Date.now(), tasks };
      if (Date.now() - stable.since >= dockerTiming.convergeStableMs) return running;
      summary += `, waiting ${dockerTiming.convergeStableMs / 1000}s for them to stay running`;
    } else {
      stable = undefined;
    }
    if (Date.now() >= deadline) {
      throw await notConverged(client, id, name, `it did not converge within ${timeoutNs / 1e9}s: ${summary}`);
    }
    await sleep(Math.min(delayMs, Math.max(0, deadline - Date.now())));
  }
}

async function notConverged(client: DockerClient, id: string, name: string, reason: string): Promise<Error> {
  let lines: string[];
  try {
    lines = describeTasks(await listTasks(client, { service: [id] }));
  } catch (error) {
    lines = [`(tasks unavailable: ${(error as Error).message})`];
  }
  const tasks = lines.length ? lines.map((l) => `    ${l}`).join("\n") : "    (no tasks)";
  return new Error(`service ${JSON.stringify(name)}: ${reason}\n  tasks, newest first:\n${tasks}`);
}

/**
 * After removal: waits (up to `timeoutMs`) until the service's tasks are gone, so that its networks, volumes, configs
 * and secrets are free again. All tasks are listed and matched by ServiceID: the `service` filter fails for a removed
 * service. Never fails: whatever is still in use is retried by those deletes.
 */
export async function waitTasksGone(client: DockerClient, id: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const tasks = await listTasks(client, {}).catch(() => [] as SwarmTask[]);
    if (!tasks.some((t) => t.ServiceID === id)) return;
    await sleep(dockerTiming.pollMs);
  }
}

export { DEFAULT_CONVERGE_DELAY_NS, DEFAULT_CONVERGE_TIMEOUT_NS, TASKS_SHOWN };
