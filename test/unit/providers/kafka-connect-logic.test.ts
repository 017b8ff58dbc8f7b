/** Pure parts of the Kafka Connect provider: check messages, per-key diff, masking, status helpers, URL parsing. */
import {
  checkConnectorInputs,
  diffConnector,
  failedParts,
  isRunning,
  parseConnectUrl,
  redact,
  redactError,
  StoredConnectorState,
  summarizeStatus,
  traceHead,
  UNKNOWN_VALUE,
  ConnectorStatus,
  RawInputs,
} from "../../../providers/kafka-connect";

const base = (): RawInputs => ({
  connectUrl: "http://127.0.0.1:8083",
  name: "src",
  config: { "connector.class": "C", "tasks.max": "1", topics: "t" },
  secretConfig: { "database.password": "pw-one" },
  readyTimeoutSeconds: 300,
});

const olds = (): StoredConnectorState => ({
  ...(base() as unknown as StoredConnectorState),
  state: "RUNNING",
  taskStates: ["RUNNING"],
  type: "source",
});

const reasons = (news: RawInputs) => checkConnectorInputs(news).failures.map((f) => f.reason);

describe("check", () => {
  test("accepts valid inputs and fills defaults", () => {
    const { secretConfig: _s, readyTimeoutSeconds: _r, ...rest } = base();
    void _s;
    void _r;
    const result = checkConnectorInputs(rest);
    expect(result.failures).toEqual([]);
    expect(result.inputs).toMatchObject({ secretConfig: {}, readyTimeoutSeconds: 300 });
  });

  test("names each field exactly", () => {
    expect(reasons({})).toEqual(["connectUrl is required", "name is required", "config is required"]);
    expect(reasons({ ...base(), config: { "tasks.max": "1" } })).toEqual([`config["connector.class"] is required`]);
    expect(reasons({ ...base(), config: { "connector.class": "C", "tasks.max": 3 } })).toEqual([
      `config["tasks.max"] must be a string, got number`,
    ]);
    expect(reasons({ ...base(), config: ["x"] })).toEqual(["config must be an object of string values, got array"]);
    expect(reasons({ ...base(), secretConfig: { "database.password": 1234 } })).toEqual([
      `secretConfig["database.password"] must be a string, got number`,
    ]);
    expect(reasons({ ...base(), secretConfig: { topics: "x" } })).toEqual([
      `secretConfig["topics"] is also set in config; set each key in only one of them`,
    ]);
    expect(reasons({ ...base(), secretConfig: { "connector.class": "x" } })).toEqual([
      `secretConfig["connector.class"] is not allowed; put it in config`,
    ]);
    expect(reasons({ ...base(), connectUrl: "ftp://user:pw@host" })).toEqual([
      `connectUrl must be an http:// or https:// URL, got "ftp://[credentials]@host"`,
    ]);
    expect(reasons({ ...base(), readyTimeoutSeconds: 0 })).toEqual(["readyTimeoutSeconds must be a positive number of seconds, got 0"]);
    expect(reasons({ ...base(), name: " src" })).toEqual([`name must not start or end with whitespace, got " src"`]);
    expect(reasons({ ...base(), config: { "connector.class": "C", name: "other" } })).toEqual([
      `config["name"] must equal name ("src") if set, got "other"`,
    ]);
  });

  test("drops config.name when it equals name; never puts a secret value in a reason", () => {
    const result = checkConnectorInputs({ ...base(), config: { "connector.class": "C", name: "src" } });
    expect(result.inputs?.config).toEqual({ "connector.class": "C" });
    const bad = checkConnectorInputs({ ...base(), secretConfig: { a: { nested: "pw-one" } } });
    expect(JSON.stringify(bad.failures)).not.toContain("pw-one");
    expect(bad.failures.every((f) => f.property === "")).toBe(true);
  });

  test("accepts values unknown during preview", () => {
    expect(reasons({ ...base(), connectUrl: UNKNOWN_VALUE, name: UNKNOWN_VALUE, config: UNKNOWN_VALUE })).toEqual([]);
    expect(reasons({ ...base(), config: { "connector.class": UNKNOWN_VALUE } })).toEqual([]);
  });
});

describe("diff", () => {
  test("no change when nothing changed", () => {
    expect(diffConnector(olds(), base())).toMatchObject({ changes: false, replaces: [], diffs: [], detailedDiff: {} });
  });

  test("lists exactly the changed config keys with their kind", () => {
    const news = { ...base(), config: { "connector.class": "C", "tasks.max": "3", "poll.interval.ms": "100" } };
    const diff = diffConnector(olds(), news);
    expect(diff.changes).toBe(true);
    expect(diff.replaces).toEqual([]);
    expect(diff.detailedDiff).toEqual({
      'config["poll.interval.ms"]': { kind: "ADD", inputDiff: true },
      'config["tasks.max"]': { kind: "UPDATE", inputDiff: true },
      'config["topics"]': { kind: "DELETE", inputDiff: true },
    });
  });

  test("a secret change shows the key but never a value", () => {
    const diff = diffConnector(olds(), { ...base(), secretConfig: { "database.password": "pw-two" } });
    expect(diff.diffs).toEqual(['secretConfig["database.password"]']);
    expect(JSON.stringify(diff)).not.toContain("pw-one");
    expect(JSON.stringify(diff)).not.toContain("pw-two");
  });

  test("a name change replaces, deleting the old connector first", () => {
    const diff = diffConnector(olds(), { ...base(), name: "src-v2" });
    expect(diff).toMatchObject({ changes: true, replaces: ["name"], deleteBeforeReplace: true });
    expect(diff.detailedDiff.name).toEqual({ kind: "UPDATE_REPLACE", inputDiff: true });
  });

  test("connectUrl or readyTimeoutSeconds alone are not a change to the connector", () => {
    const diff = diffConnector(olds(), { ...base(), connectUrl: "http://10.0.0.5:28083", readyTimeoutSeconds: 30 });
    expect(diff.changes).toBe(false);
    expect(diff.stables).toEqual(["name"]);
  });

  test("unknown values count as updates", () => {
    expect(diffConnector(olds(), { ...base(), config: UNKNOWN_VALUE }).detailedDiff).toEqual({
      config: { kind: "UPDATE", inputDiff: true },
    });
    expect(diffConnector(olds(), { ...base(), config: { ...(base().config as object), topics: UNKNOWN_VALUE } }).diffs).toEqual([
      'config["topics"]',
    ]);
    expect(diffConnector(olds(), { ...base(), name: UNKNOWN_VALUE }).replaces).toEqual(["name"]);
  });
});

describe("masking", () => {
  test("masks raw and JSON-escaped secrets, longest first, in message, reasons and stack", () => {
    expect(redact('a "p\\"w" b p"w pw', ['p"w', "pw"])).toBe('a "[secret]" b [secret] [secret]');
    const source = Object.assign(new Error("boom pw-one"), { id: "x", reasons: ["pw-one failed"] });
    const error = redactError(source, ["pw-one"]);
    expect(error.message).toBe("boom [secret]");
    expect(error.stack).not.toContain("pw-one");
    expect(error.reasons).toEqual(["[secret] failed"]);
    expect(error.id).toBe("x");
  });
});

describe("status helpers", () => {
  const status = (connector: string, ...tasks: string[]): ConnectorStatus => ({
    name: "src",
    connector: { state: connector },
    tasks: tasks.map((state, id) => ({ id, state, ...(state === "FAILED" ? { trace: "E: x\n\tat a\n\tat b" } : {}) })),
  });

  test("RUNNING needs the connector, at least one task and every task RUNNING", () => {
    expect(isRunning(status("RUNNING", "RUNNING", "RUNNING"))).toBe(true);
    expect(isRunning(status("RUNNING"))).toBe(false);
    expect(isRunning(status("RUNNING", "RUNNING", "UNASSIGNED"))).toBe(false);
    expect(isRunning(status("PAUSED", "RUNNING"))).toBe(false);
  });

  test("summaries and failing parts", () => {
    expect(summarizeStatus(status("UNASSIGNED"))).toBe("connector UNASSIGNED, no tasks");
    expect(summarizeStatus(status("RUNNING", "RUNNING", "FAILED"))).toBe("connector RUNNING, tasks [0 RUNNING, 1 FAILED]");
    expect(failedParts(status("FAILED", "FAILED")).map((p) => p.what)).toEqual(["connector", "task 0"]);
    expect(traceHead("l1\n\tat l2\n\tat l3", 2)).toBe("    l1\n    at l2\n    ... 1 more line(s)");
  });
});

describe("connectUrl", () => {
  test("strips the trailing slash and turns user:password into basic auth", () => {
    expect(parseConnectUrl("http://127.0.0.1:8083/")).toEqual({ baseUrl: "http://127.0.0.1:8083", authorization: undefined });
    const ep = parseConnectUrl("https://admin:p%40ss@connect.example:8443/base/");
    expect(ep.baseUrl).toBe("https://connect.example:8443/base");
    expect(ep.authorization).toBe("Basic " + Buffer.from("admin:p@ss").toString("base64"));
    expect(() => parseConnectUrl("ftp://x")).toThrow(`connectUrl must be an http:// or https:// URL, got "ftp://x"`);
  });
});
