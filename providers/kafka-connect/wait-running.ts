/**
 * Waiting until a connector and all of its tasks (at least one) are RUNNING, or failing with a message that names
 * the connector, the states seen and the first lines of the failing task's trace.
 */
import {
  connectTiming,
  connectorPath,
  describeNetworkError,
  httpRequest,
  HttpResponse,
  isRetryableStatus,
  OperationContext,
  parseStatus,
  responseMessage,
  sleep,
  backoffMs,
  unexpectedResponse,
} from "./rest-client";
import { ConnectorStatus } from "./types";

/** How many trace lines a message keeps. */
const TRACE_LINES = 8;

/** An error from `waitForRunning`; carries the last status seen so that the provider can record it. */
export interface NotReadyError extends Error {
  lastStatus?: ConnectorStatus;
}

/** "connector RUNNING, tasks [0 RUNNING, 1 FAILED]" or "connector UNASSIGNED, no tasks". */
export function summarizeStatus(status: ConnectorStatus): string {
  const tasks = status.tasks.length ? `tasks [${status.tasks.map((t) => `${t.id} ${t.state}`).join(", ")}]` : "no tasks";
  return `connector ${status.connector.state}, ${tasks}`;
}

/** Connector RUNNING, at least one task, every task RUNNING. */
export function isRunning(status: ConnectorStatus): boolean {
  return status.connector.state === "RUNNING" && status.tasks.length > 0 && status.tasks.every((t) => t.state === "RUNNING");
}

/** The FAILED parts of a status with their traces. */
export function failedParts(status: ConnectorStatus): { what: string; trace?: string }[] {
  const parts: { what: string; trace?: string }[] = [];
  if (status.connector.state === "FAILED") parts.push({ what: "connector", trace: status.connector.trace });
  for (const task of status.tasks) {
    if (task.state === "FAILED") parts.push({ what: `task ${task.id}`, trace: task.trace });
  }
  return parts;
}

/** The first `lines` lines of a Java stack trace, indented for a message. */
export function traceHead(trace: string | undefined, lines = TRACE_LINES): string {
  if (!trace) return "    (Connect gave no trace)";
  const all = trace.split(/\r?\n/).filter((l) => l.trim().length > 0);
  const head = all.slice(0, lines).map((l) => "    " + l.replace(/^\s+/, "").slice(0, 400));
  if (all.length > lines) head.push(`    ... ${all.length - lines} more line(s)`);
  return head.join("\n");
}

function failureDetails(status: ConnectorStatus): string {
  return failedParts(status)
    .map((p) => `\n  ${p.what} FAILED, trace:\n${traceHead(p.trace)}`)
    .join("");
}

function notReady(message: string, lastStatus: ConnectorStatus | undefined): NotReadyError {
  const error: NotReadyError = new Error(message);
  if (lastStatus) error.lastStatus = lastStatus;
  return error;
}

/**
 * Polls `GET /connectors/{name}/status` until the connector and all its tasks are RUNNING. 404 (a just-created
 * connector), 409 (rebalance) and connection errors are retried until the deadline. A FAILED connector or task ends
 * the wait once it has stayed FAILED for `connectTiming.failedGraceMs` (the status can lag behind a config change).
 */
export async function waitForRunning(ctx: OperationContext, name: string): Promise<ConnectorStatus> {
  const path = connectorPath(name, "/status");
  const seen: string[] = [];
  const note = (what: string) => {
    if (seen[seen.length - 1] !== what) seen.push(what);
  };
  const seenText = () => {
    const shown = seen.length > 8 ? ["...", ...seen.slice(-8)] : seen;
    return shown.join(" -> ") || "nothing (no answer)";
  };
  let lastStatus: ConnectorStatus | undefined;
  let failedSince: number | undefined;

  for (let attempt = 0; ; attempt++) {
    const remaining = ctx.deadline - Date.now();
    if (remaining <= 0) break;
    let response: HttpResponse | undefined;
    try {
      response = await httpRequest(ctx.endpoint, "GET", path, undefined, Math.min(connectTiming.requestTimeoutMs, remaining));
    } catch (error) {
      note(describeNetworkError(error));
    }
    if (response?.status === 200) {
      const status = parseStatus(response.json, name);
      lastStatus = status;
      note(summarizeStatus(status));
      if (isRunning(status)) return status;
      if (failedParts(status).length > 0) {
        failedSince ??= Date.now();
        if (Date.now() - failedSince >= connectTiming.failedGraceMs) {
          throw notReady(
            `connector "${name}" at ${ctx.endpoint.baseUrl} is FAILED (${summarizeStatus(status)}); ` +
              `states seen: ${seenText()}.${failureDetails(status)}`,
            status,
          );
        }
      } else {
        failedSince = undefined;
      }
    } else if (response?.status === 404) {
      note("not found yet (404)");
    } else if (response && (isRetryableStatus(response) || response.status >= 500)) {
      note(`HTTP ${response.status} ${responseMessage(response)}`.trim());
    } else if (response) {
      throw unexpectedResponse(ctx.endpoint, "GET", path, response);
    }
    await sleep(backoffMs(attempt, ctx.deadline));
  }

  const last = lastStatus ? summarizeStatus(lastStatus) : "no status";
  throw notReady(
    `connector "${name}" at ${ctx.endpoint.baseUrl} was not RUNNING with all tasks RUNNING (at least one) ` +
      `within ${ctx.timeoutSeconds}s; last: ${last}; states seen: ${seenText()}.` +
      (lastStatus ? failureDetails(lastStatus) : ""),
    lastStatus,
  );
}

// Exported by name (not `export const`) so that the functions above refer to the constant itself rather than to
// `exports.X`, which would make closure serialization capture this whole module object.
export { TRACE_LINES };
