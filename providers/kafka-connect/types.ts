/**
 * Shapes shared by the Kafka Connect dynamic provider's modules.
 *
 * Everything here is plain data: the provider is serialized with Pulumi's closure serialization, so its modules keep
 * to module-level functions and constants (no classes holding sockets, no captured program state).
 */

/** A connector config map as Kafka Connect's REST API takes it: every value a string. */
export type StringMap = Record<string, string>;

/** Sentinel that Pulumi puts in place of values that are not known yet during `pulumi preview` (rpc.unknownValue). */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * Connect's target states a connector can be put in by hand (`PUT /connectors/{name}/pause|stop|resume`). The program
 * asks for RUNNING; `read` reports the live one, so a connector paused or stopped out of band shows as drift
 * (`~ runState: "PAUSED" => "RUNNING"`) and `update` resumes it.
 */
export type RunState = "RUNNING" | "PAUSED" | "STOPPED";

/** Default for `readyTimeoutSeconds`. */
export const DEFAULT_READY_TIMEOUT_SECONDS = 300;

/** Inputs after `check`: defaults filled in, every value validated. */
export interface ConnectorInputs {
  connectUrl: string;
  name: string;
  /** Non-secret keys only; never contains `name` (Connect adds that itself). */
  config: StringMap;
  /** Secret keys only; kept apart from `config` so that `config` never holds a secret value. */
  secretConfig: StringMap;
  readyTimeoutSeconds: number;
  /** Desired target state; always RUNNING from the program (see RunState). */
  runState: RunState;
}

/** What the provider stores as the resource's outputs (state). */
export interface ConnectorOutputs extends ConnectorInputs {
  /** Connector state when last observed (RUNNING, FAILED, PAUSED, UNASSIGNED, ...). */
  state: string;
  /** Task states ordered by task id. */
  taskStates: string[];
  /** source | sink (or "unknown" while Connect has not started the connector yet). */
  type: string;
}

/** Outputs as read back from state: older or partial states may miss fields, so the provider reads them defensively. */
export type StoredConnectorState = Partial<ConnectorOutputs> & { __provider?: unknown };

/** Inputs as the engine hands them over: before `check` they are unvalidated and may hold UNKNOWN_VALUE. */
export type RawInputs = Record<string, unknown>;

/** `GET /connectors/{name}` */
export interface ConnectorInfo {
  name: string;
  config: StringMap;
  tasks: { connector: string; task: number }[];
  type?: string;
}

/** One entry of `tasks` in `GET /connectors/{name}/status`. */
export interface TaskStatus {
  id: number;
  state: string;
  worker_id?: string;
  trace?: string;
}

/** `GET /connectors/{name}/status` */
export interface ConnectorStatus {
  name: string;
  connector: { state: string; worker_id?: string; trace?: string };
  tasks: TaskStatus[];
  type?: string;
}
