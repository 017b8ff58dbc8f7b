/**
 * The Connector dynamic provider against a local fake of Kafka Connect's REST API (node:http on 127.0.0.1, random
 * port). The fake's behaviour per connector is chosen by the config key "test.behavior":
 *   (default)   status 404 on the first poll after a PUT, then connector RUNNING with tasks UNASSIGNED, then RUNNING
 *   fail-task   task 1 FAILED with a trace that contains the password (until restarted)
 *   unassigned  connector UNASSIGNED with no tasks, forever
 * "test.reject" makes PUT answer 400 with a message that echoes the password. `conflicts` answers 409 (rebalance).
 * `PUT .../pause` and `PUT .../resume` set and clear a connector's PAUSED target state, as Connect does.
 */
import * as http from "node:http";
import { AddressInfo } from "node:net";
import {
  connectorProvider,
  connectTiming,
  CONNECT_URL_OVERRIDE_ENV,
  providerCheck,
  providerCreate,
  providerDelete,
  providerDiff,
  providerRead,
  providerUpdate,
  RawInputs,
  StoredConnectorState,
  StringMap,
} from "../../../providers/kafka-connect";
import { loadLikeTheProviderHost, serializeLikeTheSdk } from "../support/serialized-provider";

const PASSWORD = "s3cr3t-Pa55word!";
const OTHER_PASSWORD = "n3w-s3cr3t-Pa55";

interface FakeConnector {
  config: StringMap;
  statusPolls: number;
  restarted: boolean;
  paused?: boolean;
}

class FakeConnect {
  readonly connectors = new Map<string, FakeConnector>();
  readonly requests: string[] = [];
  conflicts = 0;
  private server?: http.Server;
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(port = 0): Promise<void> {
    const server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  put(name: string, config: StringMap): void {
    this.connectors.set(name, { config: { ...config, name }, statusPolls: 0, restarted: false });
  }

  private tasks(c: FakeConnector): number {
    return Number(c.config["tasks.max"] ?? "1");
  }

  private status(name: string, c: FakeConnector): unknown {
    const behavior = c.config["test.behavior"] ?? "ok";
    const type = c.config["test.type"] ?? "source";
    const poll = c.statusPolls++;
    const task = (id: number, state: string, trace?: string) => ({ id, state, worker_id: "w1:8083", ...(trace ? { trace } : {}) });
    if (c.paused) {
      const tasks = Array.from({ length: this.tasks(c) }, (_, i) => task(i, "PAUSED"));
      return { name, connector: { state: "PAUSED", worker_id: "w1:8083" }, tasks, type };
    }
    if (behavior === "unassigned") {
      return { name, connector: { state: "UNASSIGNED", worker_id: "w1:8083" }, tasks: [], type };
    }
    if (behavior === "fail-task" && !c.restarted) {
      const trace =
        `org.apache.kafka.connect.errors.ConnectException: java.sql.SQLException: Access denied (password=${PASSWORD})\n` +
        "\tat io.debezium.connector.mariadb.MariaDbConnectorTask.start(MariaDbConnectorTask.java:99)\n" +
        "\tat org.apache.kafka.connect.runtime.WorkerTask.run(WorkerTask.java:257)\n" +
        Array.from({ length: 20 }, (_, i) => `\tat frame.number${i}(Frame.java:${i})`).join("\n");
      return { name, connector: { state: "RUNNING", worker_id: "w1:8083" }, tasks: [task(0, "RUNNING"), task(1, "FAILED", trace)], type };
    }
    const tasks = Array.from({ length: this.tasks(c) }, (_, i) => task(i, poll < 2 ? "UNASSIGNED" : "RUNNING"));
    return { name, connector: { state: "RUNNING", worker_id: "w1:8083" }, tasks, type };
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x");
      this.requests.push(`${req.method} ${url.pathname}`);
      const send = (status: number, json?: unknown) => {
        res.writeHead(status, { "Content-Type": "application/json" });
        res.end(json === undefined ? "" : JSON.stringify(json));
      };
      if (this.conflicts > 0) {
        this.conflicts--;
        return send(409, {
          error_code: 409,
          message: "Cannot complete request because of a conflicting operation (e.g. worker rebalance)",
        });
      }
      const m = /^\/connectors\/([^/]+)(\/config|\/status|\/restart|\/pause|\/resume|\/tasks\/(\d+)\/restart)?$/.exec(url.pathname);
      if (!m) return send(404, { error_code: 404, message: "HTTP 404 Not Found" });
      const name = decodeURIComponent(m[1]);
      const suffix = m[2] ?? "";
      const c = this.connectors.get(name);
      const notFound = () => send(404, { error_code: 404, message: `Connector ${name} not found` });

      if (req.method === "PUT" && suffix === "/config") {
        const config = JSON.parse(body) as StringMap;
        if (config["test.reject"]) {
          return send(400, {
            error_code: 400,
            message: `Connector configuration is invalid and contains the following 1 error(s):\nInvalid value ${config["database.password"]} for configuration database.password`,
          });
        }
        const existed = !!c;
        this.put(name, config);
        return send(existed ? 200 : 201, { name, config: { ...config, name }, tasks: [], type: "source" });
      }
      if (!c) return notFound();
      if (req.method === "GET" && suffix === "") {
        const tasks = Array.from({ length: this.tasks(c) }, (_, task) => ({ connector: name, task }));
        return send(200, { name, config: c.config, tasks, type: "source" });
      }
      if (req.method === "GET" && suffix === "/config") return send(200, c.config);
      if (req.method === "GET" && suffix === "/status") {
        if (c.statusPolls === 0 && (c.config["test.behavior"] ?? "ok") === "ok") {
          c.statusPolls++;
          return notFound(); // a just-created connector
        }
        return send(200, this.status(name, c));
      }
      if (req.method === "DELETE" && suffix === "") {
        this.connectors.delete(name);
        return send(204);
      }
      if (req.method === "PUT" && (suffix === "/pause" || suffix === "/resume")) {
        c.paused = suffix === "/pause";
        return send(202);
      }
      if (req.method === "POST" && (suffix === "/restart" || m[3] !== undefined)) {
        c.restarted = true;
        return send(204);
      }
      return send(405, { error_code: 405, message: "HTTP 405 Method Not Allowed" });
    });
  }
}

/** A port nothing listens on (yet). */
async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function inputs(url: string, overrides: Partial<RawInputs> = {}, config: StringMap = {}): RawInputs {
  return {
    connectUrl: url,
    name: "weather-source",
    config: {
      "connector.class": "io.debezium.connector.mariadb.MariaDbConnector",
      "tasks.max": "2",
      "database.user": "connect",
      ...config,
    },
    secretConfig: { "database.password": PASSWORD },
    readyTimeoutSeconds: 5,
    ...overrides,
  };
}

async function rejection(
  promise: Promise<unknown>,
): Promise<Error & { id?: string; properties?: StoredConnectorState; reasons?: string[] }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { id?: string; properties?: StoredConnectorState; reasons?: string[] };
  }
  throw new Error("expected a rejection");
}

const savedTiming = { ...connectTiming };
let fake: FakeConnect;

beforeAll(() => {
  Object.assign(connectTiming, { requestTimeoutMs: 2_000, initialBackoffMs: 20, maxBackoffMs: 100, failedGraceMs: 150 });
});
afterAll(() => {
  Object.assign(connectTiming, savedTiming);
});
beforeEach(async () => {
  fake = new FakeConnect();
  await fake.start();
});
afterEach(async () => {
  await fake.stop();
  delete process.env[CONNECT_URL_OVERRIDE_ENV];
});

describe("create", () => {
  test("PUTs config + secretConfig, waits through 404 and UNASSIGNED until every task is RUNNING", async () => {
    const result = await providerCreate(inputs(fake.url));
    expect(result.id).toBe("weather-source");
    expect(result.outs).toMatchObject({
      name: "weather-source",
      state: "RUNNING",
      taskStates: ["RUNNING", "RUNNING"],
      type: "source",
      secretConfig: { "database.password": PASSWORD },
    });
    // config output holds no secret; Connect got the merged config.
    expect(result.outs?.config).not.toHaveProperty("database.password");
    expect(JSON.stringify(result.outs?.config)).not.toContain(PASSWORD);
    expect(fake.connectors.get("weather-source")?.config["database.password"]).toBe(PASSWORD);
    expect(fake.requests).toContain("PUT /connectors/weather-source/config");
    expect(fake.requests.filter((r) => r.endsWith("/status")).length).toBeGreaterThanOrEqual(3);
  });

  test("retries through 409 (rebalance in progress)", async () => {
    fake.conflicts = 4;
    const result = await providerCreate(inputs(fake.url));
    expect(result.outs?.state).toBe("RUNNING");
    expect(fake.conflicts).toBe(0);
  });

  test("retries through connection refused until Connect comes up", async () => {
    await fake.stop();
    const port = await freePort();
    const started = providerCreate(inputs(`http://127.0.0.1:${port}`));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await fake.start(port);
    const result = await started;
    expect(result.outs?.taskStates).toEqual(["RUNNING", "RUNNING"]);
  });

  test("a FAILED task fails with the connector, the states seen and the trace's first lines, password masked", async () => {
    const error = await rejection(providerCreate(inputs(fake.url, {}, { "test.behavior": "fail-task" })));
    expect(error.message).toContain(`connector "weather-source"`);
    expect(error.message).toContain("task 1 FAILED");
    expect(error.message).toContain("connector RUNNING, tasks [0 RUNNING, 1 FAILED]");
    expect(error.message).toContain("Access denied (password=[secret])");
    expect(error.message).toContain("MariaDbConnectorTask.start");
    expect(error.message).toMatch(/more line\(s\)/);
    expect(error.message).not.toContain(PASSWORD);
    expect(error.stack ?? "").not.toContain(PASSWORD);
    // Created but not ready: Pulumi records it with an initialization error instead of forgetting it.
    expect(error.id).toBe("weather-source");
    expect(error.properties).toMatchObject({ state: "RUNNING", taskStates: ["RUNNING", "FAILED"] });
    expect(error.reasons?.join("\n")).not.toContain(PASSWORD);
  });

  test("times out on a connector that stays UNASSIGNED, naming the states seen", async () => {
    const started = Date.now();
    const error = await rejection(providerCreate(inputs(fake.url, { readyTimeoutSeconds: 0.6 }, { "test.behavior": "unassigned" })));
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(error.message).toContain(`connector "weather-source"`);
    expect(error.message).toContain("within 0.6s");
    expect(error.message).toContain("last: connector UNASSIGNED, no tasks");
    expect(error.id).toBe("weather-source");
  });

  test("adopts an existing connector whose config is identical, without a PUT", async () => {
    const ins = inputs(fake.url);
    fake.put("weather-source", { ...(ins.config as StringMap), ...(ins.secretConfig as StringMap) });
    fake.connectors.get("weather-source")!.statusPolls = 5;
    const result = await providerCreate(ins);
    expect(result.outs?.state).toBe("RUNNING");
    expect(fake.requests.filter((r) => r.startsWith("PUT"))).toEqual([]);
  });

  test("refuses to take over an existing connector with a different config, naming keys but no values", async () => {
    fake.put("weather-source", { "connector.class": "Other", "database.password": OTHER_PASSWORD });
    const error = await rejection(providerCreate(inputs(fake.url)));
    expect(error.message).toContain(`connector "weather-source" already exists`);
    expect(error.message).toContain("keys that differ: connector.class, database.password, database.user, tasks.max");
    expect(error.message).not.toContain(PASSWORD);
    expect(error.message).not.toContain(OTHER_PASSWORD);
    expect(error.id).toBeUndefined();
    expect(fake.requests.filter((r) => r.startsWith("PUT"))).toEqual([]);
  });

  test("a config Connect rejects (400) fails at once with the secret masked", async () => {
    const error = await rejection(providerCreate(inputs(fake.url, {}, { "test.reject": "true" })));
    expect(error.message).toContain("HTTP 400");
    expect(error.message).toContain("Invalid value [secret] for configuration database.password");
    expect(error.message).not.toContain(PASSWORD);
  });
});

describe("update", () => {
  test("PUTs the changed config and waits for RUNNING again", async () => {
    const created = await providerCreate(inputs(fake.url));
    const news = inputs(fake.url, { secretConfig: { "database.password": OTHER_PASSWORD } }, { "tasks.max": "3" });
    const result = await providerUpdate("weather-source", created.outs!, news);
    expect(result.outs?.taskStates).toEqual(["RUNNING", "RUNNING", "RUNNING"]);
    expect(fake.connectors.get("weather-source")?.config).toMatchObject({ "tasks.max": "3", "database.password": OTHER_PASSWORD });
    expect(fake.requests.filter((r) => r.startsWith("PUT"))).toHaveLength(2);
  });

  test("with the live config already equal, restarts FAILED tasks instead of PUTting", async () => {
    const ins = inputs(fake.url, {}, { "test.behavior": "fail-task" });
    fake.put("weather-source", { ...(ins.config as StringMap), ...(ins.secretConfig as StringMap) });
    const result = await providerUpdate("weather-source", { ...ins, state: "RUNNING" } as StoredConnectorState, ins);
    expect(result.outs?.taskStates).toEqual(["RUNNING", "RUNNING"]);
    expect(fake.requests).toContain("POST /connectors/weather-source/tasks/1/restart");
    expect(fake.requests.filter((r) => r.startsWith("PUT"))).toEqual([]);
  });

  test("recreates a connector deleted out of band", async () => {
    const ins = inputs(fake.url);
    const result = await providerUpdate("weather-source", { ...ins } as StoredConnectorState, ins);
    expect(result.outs?.state).toBe("RUNNING");
    expect(fake.connectors.has("weather-source")).toBe(true);
  });
});

describe("delete", () => {
  test("DELETEs the connector; 404 counts as already gone; 409 is retried", async () => {
    const created = await providerCreate(inputs(fake.url));
    fake.conflicts = 2;
    await providerDelete("weather-source", created.outs!);
    expect(fake.connectors.has("weather-source")).toBe(false);
    await expect(providerDelete("weather-source", created.outs!)).resolves.toBeUndefined();
    expect(fake.conflicts).toBe(0);
    // two 409s, the 204, then the 404 of the second delete
    expect(fake.requests.filter((r) => r === "DELETE /connectors/weather-source")).toHaveLength(4);
  });

  test("uses KAFKA_CONNECT_URL_OVERRIDE when Connect moved", async () => {
    const created = await providerCreate(inputs(fake.url));
    process.env[CONNECT_URL_OVERRIDE_ENV] = fake.url;
    await providerDelete("weather-source", { ...created.outs!, connectUrl: "http://127.0.0.1:1" });
    expect(fake.connectors.has("weather-source")).toBe(false);
  });
});

describe("read", () => {
  test("returns live config without Connect's own name key, secrets split out, and the live states", async () => {
    const created = await providerCreate(inputs(fake.url));
    const result = await providerRead("weather-source", created.outs);
    expect(result.id).toBe("weather-source");
    expect(result.props?.config).toEqual(created.outs?.config);
    expect(result.props?.config).not.toHaveProperty("name");
    expect(result.props?.secretConfig).toEqual({ "database.password": PASSWORD });
    expect(result.props?.taskStates).toEqual(["RUNNING", "RUNNING"]);
    expect(result.inputs?.config).toEqual(created.outs?.config);
    // No drift after a refresh of an unchanged connector.
    const diff = await providerDiff("weather-source", result.props!, inputs(fake.url));
    expect(diff.changes).toBe(false);
  });

  test("shows keys changed out of band as drift", async () => {
    const created = await providerCreate(inputs(fake.url));
    fake.connectors.get("weather-source")!.config["poll.interval.ms"] = "500";
    const result = await providerRead("weather-source", created.outs);
    const diff = await providerDiff("weather-source", result.props!, inputs(fake.url));
    expect(diff.diffs).toEqual([`config["poll.interval.ms"]`]);
    expect(diff.detailedDiff[`config["poll.interval.ms"]`].kind).toBe("DELETE");
  });

  test("a connector paused by hand is drift of runState, and update resumes it without a PUT", async () => {
    const created = await providerCreate(inputs(fake.url));
    fake.connectors.get("weather-source")!.paused = true;
    const result = await providerRead("weather-source", created.outs);
    expect(result.inputs?.runState).toBe("PAUSED");
    expect(result.props?.state).toBe("PAUSED");
    const diff = await providerDiff("weather-source", result.props!, inputs(fake.url));
    expect(diff.diffs).toEqual(["runState"]);
    const puts = fake.requests.filter((r) => r.endsWith("/config")).length;
    const updated = await providerUpdate("weather-source", result.props!, inputs(fake.url));
    expect(fake.requests).toContain("PUT /connectors/weather-source/resume");
    expect(fake.requests.filter((r) => r.endsWith("/config"))).toHaveLength(puts);
    expect(updated.outs).toMatchObject({ state: "RUNNING", runState: "RUNNING" });
  });

  test("a state recorded before runState existed is no drift", async () => {
    const created = await providerCreate(inputs(fake.url));
    const { runState: _runState, ...legacy } = created.outs!;
    const diff = await providerDiff("weather-source", legacy, inputs(fake.url, { runState: "RUNNING" }));
    expect(diff.changes).toBe(false);
  });

  test("returns no id for a connector deleted out of band", async () => {
    const created = await providerCreate(inputs(fake.url));
    fake.connectors.delete("weather-source");
    const result = await providerRead("weather-source", created.outs);
    expect(result.id).toBeUndefined();
  });

  test("without prior state (import) keeps password-like keys out of config", async () => {
    fake.put("imported", { "connector.class": "FileStreamSink", "database.password": PASSWORD, topics: "t" });
    process.env[CONNECT_URL_OVERRIDE_ENV] = fake.url;
    const result = await providerRead("imported", undefined);
    expect(result.props?.config).toEqual({ "connector.class": "FileStreamSink", topics: "t" });
    expect(result.props?.secretConfig).toEqual({ "database.password": PASSWORD });
  });
});

describe("diff through the provider object", () => {
  test("answers changes:false when nothing the connector cares about changed, else 'unknown' with replaces kept", async () => {
    const created = await providerCreate(inputs(fake.url));
    const same = await providerDiff("weather-source", created.outs!, inputs("http://10.1.2.3:8083", { readyTimeoutSeconds: 9 }));
    expect(same.changes).toBe(false);
    const renamed = await providerDiff("weather-source", created.outs!, inputs(fake.url, { name: "weather-source-v2" }));
    expect(renamed.changes).toBeUndefined();
    expect(renamed).toMatchObject({ replaces: ["name"], deleteBeforeReplace: true, diffs: ["name"] });
    const secret = await providerDiff(
      "weather-source",
      created.outs!,
      inputs(fake.url, { secretConfig: { "database.password": OTHER_PASSWORD } }),
    );
    expect(secret.diffs).toEqual(['secretConfig["database.password"]']);
    expect(JSON.stringify(secret)).not.toContain(OTHER_PASSWORD);
  });
});

describe("check through the provider object", () => {
  test("fills defaults and reports failures naming the field", async () => {
    const ok = await providerCheck({}, { connectUrl: fake.url, name: "x", config: { "connector.class": "C", name: "x" } });
    expect(ok.failures).toBeUndefined();
    expect(ok.inputs).toMatchObject({ config: { "connector.class": "C" }, secretConfig: {}, readyTimeoutSeconds: 300 });
    const bad = await providerCheck({}, { connectUrl: fake.url, name: "x", config: { "tasks.max": 2 } });
    expect(bad.failures?.map((f) => f.reason)).toEqual([
      `config["tasks.max"] must be a string, got number`,
      `config["connector.class"] is required`,
    ]);
  });
});

describe("serialization (as pulumi.dynamic.Resource does it)", () => {
  test("the provider serializes, holds no secret, and works after deserialization", async () => {
    // Make sure a secret has flowed through the module before serializing: nothing may have captured it.
    await providerCreate(inputs(fake.url));
    const serialized = await serializeLikeTheSdk(connectorProvider);
    expect(serialized.exportName).toBe("handler");
    expect(serialized.containsSecrets).toBe(false);
    expect(serialized.text).not.toContain(PASSWORD);
    expect(serialized.text).not.toContain(fake.url);

    const provider = loadLikeTheProviderHost(serialized.text);

    const ins = inputs(fake.url, { name: "serialized-one" });
    const created = await provider.create(ins);
    expect(created.outs).toMatchObject({ state: "RUNNING", taskStates: ["RUNNING", "RUNNING"] });
    const diff = await provider.diff!("serialized-one", created.outs, {
      ...ins,
      config: { ...(ins.config as StringMap), "tasks.max": "1" },
    });
    expect(diff.changes).toBeUndefined(); // "changes unknown": see providerDiff
    expect((diff as { diffs?: string[] }).diffs).toEqual(['config["tasks.max"]']);
    await provider.delete!("serialized-one", created.outs);
    expect(fake.connectors.has("serialized-one")).toBe(false);
  });
});
