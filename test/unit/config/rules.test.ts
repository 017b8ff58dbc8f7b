import { ConfigError, formatIssue } from "../../../config/issues";
import { configSource, loadConfig } from "../support/stack-config";

/** The formatted problems a config produces, or [] when it is valid. */
function problems(values: Record<string, unknown>, secretKeys: string[] = []): string[] {
  try {
    loadConfig(configSource(values, { secretKeys }));
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.issues.map(formatIssue);
    throw e;
  }
}

const swarmNodes = [
  { name: "node-1", labels: { role: "data" }, cpus: 2, memoryMb: 4096 },
  { name: "node-2", labels: { role: "kafka" }, cpus: 2, memoryMb: 4096 },
  { name: "node-3", labels: { role: "kafka" }, cpus: 2, memoryMb: 4096 },
];
const pinned = { mariadb: { image: "mariadb:11.4.8" } };
const docker = { target: "docker", crawler: { mode: "load" } };

describe("stack config rules", () => {
  test("a minimal docker config is valid and filled with the documented defaults", () => {
    const cfg = loadConfig(configSource(docker, { stack: "dev" }));
    expect(cfg.namePrefix).toBe("bigdata-dev");
    expect(cfg.kafka).toMatchObject({ brokers: 1, controllers: 0, heapMb: 512, defaultReplicationFactor: 1 });
    expect(cfg.spark.workers).toMatchObject({ count: 2, cores: 1, memoryMb: 1024 });
    expect(cfg.connectors.source).toMatchObject({ kind: "debezium-mariadb", topicPrefix: "web-crawler-" });
    expect(cfg.mariadb).toMatchObject({ database: "testdb", table: "test", port: 3306 });
    expect(cfg.images.kafka).toMatch(/^apache\/kafka:4\.\d+\.\d+$/);
  });

  test("target is required and must be one of the three", () => {
    expect(problems({ crawler: { mode: "load" } })).toEqual([
      'bigdata:target: Invalid option: expected one of "docker"|"swarm"|"kubernetes"',
    ]);
    expect(problems({ ...docker, target: "nomad" })).toEqual([
      'bigdata:target: Invalid option: expected one of "docker"|"swarm"|"kubernetes"',
    ]);
  });

  test("with NodePort services every published port must be a node port of the cluster's range", () => {
    const k8s = { target: "kubernetes", crawler: { mode: "load" }, kubernetes: { serviceType: "NodePort" } };
    expect(
      problems({
        ...k8s,
        mariadb: { port: 30306 },
        kafka: { externalPortBase: 30092 },
        kafkaConnect: { restPort: 30083 },
        dashboards: { sparkUi: { port: 30080 }, console: { topicsPort: 30081, connectPort: 30082 } },
      }),
    ).toEqual([]);
    expect(
      problems({
        ...k8s,
        mariadb: { port: 30306 },
        kafka: { brokers: 3, externalPortBase: 32766 },
        kafkaConnect: { restPort: null, adminUrl: "http://connect.example:8083" },
        dashboards: { sparkUi: { enabled: false }, console: { enabled: false } },
      }),
    ).toEqual([
      "bigdata:kafka.externalPortBase: with kubernetes.serviceType NodePort a published port is a node port and must lie in kubernetes.nodePortRange 30000-32767; got 32768 (+2 for broker 3)",
    ]);
    expect(
      problems({
        ...k8s,
        kubernetes: { serviceType: "NodePort", nodePortRange: "20000-20100" },
        mariadb: { port: 30306 },
        kafka: { externalPortBase: null },
        kafkaConnect: { restPort: 20083 },
        dashboards: { sparkUi: { enabled: false }, console: { enabled: false } },
      }),
    ).toEqual([
      "bigdata:mariadb.port: with kubernetes.serviceType NodePort a published port is a node port and must lie in kubernetes.nodePortRange 20000-20100; got 30306",
    ]);
    expect(problems({ ...k8s, kubernetes: { serviceType: "ClusterIP" } })[0]).toMatch(
      /^bigdata:kubernetes.serviceType: Invalid option: expected one of "LoadBalancer"\|"NodePort"/,
    );
  });

  test("a misspelt key is reported, not ignored, with the key it most likely meant", () => {
    expect(problems({ ...docker, kafka: { broker: 3 } })).toEqual([
      "bigdata:kafka.broker: is not a known setting; did you mean kafka.brokers? (see the configuration reference in README.md)",
    ]);
    expect(problems({ ...docker, kafak: { brokers: 3 }, spark: { workers: { memoryMB: 512 } } })).toEqual([
      "bigdata:spark.workers.memoryMB: is not a known setting; did you mean spark.workers.memoryMb? (see the configuration reference in README.md)",
      "bigdata:kafak: is not a known setting; did you mean kafka? (see the configuration reference in README.md)",
    ]);
    expect(
      problems({
        ...docker,
        crawler: { mode: "load", sources: [{ name: "a", url: "http://a.example/", parser: "weather-portal", intervalSecond: 3 }] },
      }),
    ).toEqual([
      "bigdata:crawler.sources[0].intervalSecond: is not a known setting; did you mean crawler.sources[0].intervalSeconds? (see the configuration reference in README.md)",
    ]);
    expect(problems({ ...docker, kafka: { zookeeper: "zk:2181" } })).toEqual([
      "bigdata:kafka.zookeeper: is not a known setting (see the configuration reference in README.md)",
    ]);
  });

  test("field types and ranges name the nested key", () => {
    expect(problems({ ...docker, spark: { workers: { cores: 0 } } })).toEqual([
      "bigdata:spark.workers.cores: Too small: expected number to be >0",
    ]);
    expect(problems({ ...docker, kafka: { heapMb: "lots" } })).toEqual([
      "bigdata:kafka.heapMb: Invalid input: expected number, received string",
    ]);
  });

  test("a node's Docker API must be one the platform can poll", () => {
    expect(problems({ ...docker, nodes: [{ name: "node-1", dockerHost: "ssh://admin@node-1" }] })).toEqual([
      "bigdata:nodes[0].dockerHost: must be tcp://HOST:PORT or unix:///PATH/TO/docker.sock (TLS and ssh:// are not supported: tunnel them to one of these)",
    ]);
  });

  test("KRaft controller quorum must be odd", () => {
    expect(problems({ ...docker, kafka: { controllers: 2, brokers: 3 } })).toEqual([
      "bigdata:kafka.controllers: a KRaft controller quorum must have an odd number of voters (1, 3, 5, ...); got 2",
    ]);
  });

  test("combined nodes make the broker count the quorum", () => {
    expect(problems({ ...docker, kafka: { brokers: 2 } })).toEqual([
      "bigdata:kafka.brokers: with kafka.controllers = 0 every broker is a KRaft voter, so the broker count must be odd (1, 3, 5, ...) or dedicated controllers set; got 2",
    ]);
  });

  test("KRaft quorum may not exceed the nodes that can host it", () => {
    expect(
      problems({
        target: "swarm",
        nodes: swarmNodes,
        ...pinned,
        crawler: { mode: "load" },
        kafka: { controllers: 3, controllerPlacement: { role: "kafka" } },
      }),
    ).toContain(
      "bigdata:kafka.controllers: 3 KRaft voters need as many nodes matching kafka.controllerPlacement, one voter per node, but only 2 declared node(s) match (node-2, node-3)",
    );
  });

  test("replication factors and min.insync.replicas stay within the broker count", () => {
    expect(
      problems({
        ...docker,
        kafka: { brokers: 1, defaultReplicationFactor: 3, minInsyncReplicas: 2 },
        kafkaConnect: { internalTopicReplicationFactor: 3 },
      }),
    ).toEqual([
      "bigdata:kafka.defaultReplicationFactor: must not exceed the broker count (kafka.brokers = 1); got 3",
      "bigdata:kafka.minInsyncReplicas: must not exceed the broker count (kafka.brokers = 1); got 2",
      "bigdata:kafkaConnect.internalTopicReplicationFactor: must not exceed the broker count (kafka.brokers = 1); got 3",
    ]);
  });

  test("min.insync.replicas may not exceed the replication factor", () => {
    expect(problems({ ...docker, kafka: { brokers: 3, defaultReplicationFactor: 2, minInsyncReplicas: 3 } })).toEqual([
      "bigdata:kafka.minInsyncReplicas: must not exceed kafka.defaultReplicationFactor (2), or no write could ever be acknowledged; got 3",
    ]);
  });

  test("published ports are unique across all services", () => {
    expect(problems({ ...docker, dashboards: { sparkUi: { port: 8083 } } })).toEqual([
      "bigdata:dashboards.sparkUi.port: host port 8083 is already published by kafkaConnect.restPort; published ports must be unique across all services",
    ]);
  });

  test("each broker's external port counts", () => {
    expect(problems({ ...docker, kafka: { brokers: 3, externalPortBase: 3304 } })).toEqual([
      "bigdata:kafka.externalPortBase: host port 3306 is already published by mariadb.port; published ports must be unique across all services",
    ]);
  });

  test("spark worker size must fit the declared nodes", () => {
    expect(
      problems({
        target: "swarm",
        nodes: swarmNodes,
        ...pinned,
        crawler: { mode: "load" },
        spark: { workers: { cores: 4, memoryMb: 8192, placement: { role: "kafka" } } },
      }),
    ).toEqual([
      "bigdata:spark.workers.cores: 4 cores per worker exceed node 'node-2' (2 cpus in nodes)",
      "bigdata:spark.workers.memoryMb: 8192 MB per worker exceed node 'node-2' (4096 MB in nodes)",
      "bigdata:spark.workers.cores: 4 cores per worker exceed node 'node-3' (2 cpus in nodes)",
      "bigdata:spark.workers.memoryMb: 8192 MB per worker exceed node 'node-3' (4096 MB in nodes)",
    ]);
  });

  test("every service's heap, memory and cores must fit each declared node it can land on", () => {
    const small = [
      { name: "node-1", labels: { role: "data" }, cpus: 1, memoryMb: 1024 },
      { name: "node-2", labels: { role: "kafka" }, cpus: 2, memoryMb: 2048 },
    ];
    expect(
      problems({
        target: "swarm",
        nodes: small,
        ...pinned,
        crawler: { mode: "load", placement: { role: "data" }, resources: { cpus: 2 } },
        mariadb: { ...pinned.mariadb, placement: { role: "data" }, resources: { memoryMb: 1536 } },
        kafka: { brokerPlacement: { role: "kafka" }, heapMb: 3072 },
        kafkaConnect: { placement: { role: "kafka" }, heapMb: 512 },
        spark: { masterPlacement: { role: "data" }, masterHeapMb: 2048, workers: { placement: { role: "kafka" } } },
        benchmark: { enabled: true, localCores: 3, driverMemoryMb: 4096 },
      }),
    ).toEqual([
      "bigdata:mariadb.resources.memoryMb: 1536 MB exceed node 'node-1' (1024 MB in nodes)",
      "bigdata:kafka.heapMb: 3072 MB of heap exceed node 'node-2' (2048 MB in nodes)",
      "bigdata:spark.masterHeapMb: 2048 MB of heap exceed node 'node-1' (1024 MB in nodes)",
      "bigdata:benchmark.localCores: 3 cores of the local-mode run exceed node 'node-2' (2 cpus in nodes)",
      "bigdata:benchmark.driverMemoryMb: 4096 MB of driver heap exceed node 'node-2' (2048 MB in nodes)",
      "bigdata:crawler.resources.cpus: 2 cpus exceed node 'node-1' (1 cpus in nodes)",
    ]);
  });

  test("a service without placement must fit every node; a disabled one is not checked", () => {
    const nodes = [{ name: "k-1", cpus: 4, memoryMb: 512 }];
    const base = {
      target: "kubernetes",
      nodes,
      ...pinned,
      crawler: { enabled: false },
      kafka: { heapMb: 256 },
      kafkaConnect: { heapMb: 256 },
      spark: { masterHeapMb: 256, workers: { memoryMb: 256 } },
    };
    expect(problems({ ...base, schemaRegistry: { enabled: false, heapMb: 1024 } })).toEqual([]);
    expect(problems({ ...base, schemaRegistry: { enabled: true, heapMb: 1024 } })).toEqual([
      "bigdata:schemaRegistry.heapMb: 1024 MB of heap exceed node 'k-1' (512 MB in nodes)",
    ]);
  });

  test("a JVM's heap must leave room inside its container's memory limit", () => {
    expect(
      problems({
        ...docker,
        kafka: { heapMb: 1024, resources: { memoryMb: 1024 } },
        kafkaConnect: { heapMb: 512, resources: { memoryMb: 768 } },
      }),
    ).toEqual([
      "bigdata:kafka.heapMb: 1024 MB of heap do not fit in kafka.resources.memoryMb (1024 MB), which also holds the JVM's own memory; lower the heap or raise the limit",
    ]);
  });

  test("a file sink needs the file connector in the Connect image", () => {
    expect(problems({ ...docker, kafkaConnect: { plugins: ["debezium-mariadb"] } })).toEqual([
      "bigdata:connectors.fileSink.enabled: the file sink (FileStreamSinkConnector) needs the 'file' plugin, but kafkaConnect.plugins ([\"debezium-mariadb\"]) does not list it; use a Connect image that carries it on plugin.path and list it there",
    ]);
  });

  test("the paper's JDBC source needs a Connect image that carries it", () => {
    expect(problems({ ...docker, connectors: { source: { kind: "jdbc" } } })).toEqual([
      "bigdata:connectors.source.kind: the 'jdbc' source connector needs the 'jdbc' plugin, but kafkaConnect.plugins ([\"file\",\"debezium-mariadb\"]) does not list it; use a Connect image that carries it on plugin.path and list it there",
    ]);
  });

  test("connectors need a reachable Connect REST API", () => {
    expect(problems({ ...docker, kafkaConnect: { restPort: null } })).toEqual([
      "bigdata:kafkaConnect.restPort: connectors are managed through the Connect REST API from where `pulumi` runs: publish it (a port number) or set kafkaConnect.adminUrl",
    ]);
  });

  test("swarm placement must refer to declared node labels", () => {
    expect(
      problems({ target: "swarm", nodes: swarmNodes, ...pinned, crawler: { mode: "load" }, spark: { masterPlacement: { role: "spark" } } }),
    ).toEqual([
      "bigdata:spark.masterPlacement: no node declared in nodes has the labels {role=spark}; declared: node-1 {role=data}; node-2 {role=kafka}; node-3 {role=kafka}",
    ]);
  });

  test("the swarm target needs its nodes declared", () => {
    expect(problems({ target: "swarm", ...pinned, crawler: { mode: "load" } })).toEqual([
      "bigdata:nodes: the swarm target needs the swarm's nodes declared (name = the node's hostname, labels, optional cpus and memoryMb)",
    ]);
  });

  test("placement has no meaning on the docker target", () => {
    expect(problems({ ...docker, mariadb: { placement: { role: "data" } } })).toEqual([
      "bigdata:mariadb.placement: placement applies to the swarm and kubernetes targets only; remove it for target 'docker'",
    ]);
  });

  test("images must be pinned on swarm and kubernetes, but may float on docker", () => {
    expect(problems({ ...docker, kafka: { image: "apache/kafka" } })).toEqual([]);
    expect(
      problems({
        target: "kubernetes",
        crawler: { mode: "load" },
        kafka: { image: "apache/kafka" },
        spark: { image: "apache/spark:latest" },
      }),
    ).toEqual([
      "bigdata:kafka.image: 'apache/kafka' has no tag (Docker would pull `latest`); the kubernetes target needs a pinned version tag or digest",
      "bigdata:spark.image: 'apache/spark:latest' uses the moving tag `latest`; the kubernetes target needs a pinned version tag or digest",
    ]);
    expect(problems({ target: "kubernetes", crawler: { mode: "load" }, kafka: { image: "registry.local:5000/kafka@sha256:abc" } })).toEqual(
      [],
    );
  });

  test("a service with no buildable image must get one or be turned off", () => {
    expect(problems({ ...docker, imageSet: "local", dashboards: { kafkaUi: { enabled: true }, console: { enabled: false } } })).toEqual([
      "bigdata:dashboards.kafkaUi.image: no image of this service can be built from the registries this machine reaches (imageSet 'local'); set an image from a registry you have, or turn the service off",
    ]);
    expect(problems({ ...docker, imageSet: "local" })).toEqual([]);
  });

  test("passwords are only taken from secret keys", () => {
    expect(problems({ ...docker, mariadb: { password: "hunter2hunter2" } })).toEqual([
      "bigdata:mariadb.password: passwords are not read from plain config; set one of the secret keys (mariadbRootPassword, mariadbPassword, mariadbCdcPassword) with `pulumi config set --secret`",
      "bigdata:mariadb.password: is not a known setting (see the configuration reference in README.md)",
    ]);
    expect(problems({ ...docker, mariadbPassword: "a-long-enough-password" })).toEqual([
      "bigdata:mariadbPassword: must be a secret: pulumi config set --secret mariadbPassword <value>",
    ]);
    expect(problems({ ...docker, mariadbPassword: "short" }, ["mariadbPassword"])).toEqual([
      "bigdata:mariadbPassword: must be at least 12 characters of letters, digits and _ . , : @ % + = -",
    ]);
    expect(problems({ ...docker, mariadbPassword: "a-long-enough-password" }, ["mariadbPassword"])).toEqual([]);
  });

  test("crawl mode needs sources, each with one way to parse it", () => {
    expect(problems({ target: "docker" })).toEqual([
      "bigdata:crawler.sources: crawl mode needs at least one source (name, url, parser or selectors); or use crawler.mode 'load'",
    ]);
    const source = { name: "seoul", url: "http://weather.internal/seoul" };
    expect(problems({ target: "docker", crawler: { sources: [{ ...source, parser: "weather-table" }, { ...source }] } })).toEqual([
      "bigdata:crawler.sources[1].name: source name 'seoul' is used twice; names key the rows' source column",
      "bigdata:crawler.sources[1]: set exactly one of parser (a named parser) or selectors (CSS selectors per field)",
    ]);
  });

  test("a field error does not hide the cross-field problems of the rest", () => {
    expect(
      problems({ ...docker, kafka: { brokers: 2, brokr: 1, defaultReplicationFactor: 3 }, spark: { workers: { cores: "two" } } }),
    ).toEqual([
      "bigdata:kafka.brokr: is not a known setting; did you mean kafka.brokers? (see the configuration reference in README.md)",
      "bigdata:spark.workers.cores: Invalid input: expected number, received string",
      "bigdata:kafka.brokers: with kafka.controllers = 0 every broker is a KRaft voter, so the broker count must be odd (1, 3, 5, ...) or dedicated controllers set; got 2",
      "bigdata:kafka.defaultReplicationFactor: must not exceed the broker count (kafka.brokers = 2); got 3",
    ]);
  });

  test("every problem is listed at once, and the error says nothing was created", () => {
    expect(() =>
      loadConfig(configSource({ ...docker, kafka: { brokers: 2, defaultReplicationFactor: 3 }, dashboards: { sparkUi: { port: 3306 } } })),
    ).toThrow(
      [
        "Invalid stack configuration (3 problems); nothing was created:",
        "  - bigdata:kafka.brokers: with kafka.controllers = 0 every broker is a KRaft voter, so the broker count must be odd (1, 3, 5, ...) or dedicated controllers set; got 2",
        "  - bigdata:kafka.defaultReplicationFactor: must not exceed the broker count (kafka.brokers = 2); got 3",
        "  - bigdata:dashboards.sparkUi.port: host port 3306 is already published by mariadb.port; published ports must be unique across all services",
      ].join("\n"),
    );
  });
});

describe("benchmark rules", () => {
  test("needs Spark workers and distinct sizes", () => {
    expect(problems({ ...docker, benchmark: { enabled: true, sizesMb: [20, 20] }, spark: { workers: { count: 0 } } })).toEqual([
      "bigdata:spark.workers.count: benchmark.enabled needs at least one Spark worker for its cluster-mode run; got 0",
      "bigdata:benchmark.sizesMb: each size may appear once; repeated: 20",
    ]);
    expect(problems({ ...docker, benchmark: { enabled: true, sizesMb: [] } })).toEqual([
      "bigdata:benchmark.sizesMb: Too small: expected array to have >=1 items",
    ]);
    expect(problems({ ...docker, benchmark: { sizesMb: [0] } })).toEqual([
      "bigdata:benchmark.sizesMb[0]: Too small: expected number to be >0",
    ]);
  });

  test("on a swarm the workers must share the job's node", () => {
    const swarm = {
      target: "swarm",
      imageSet: "official",
      nodes: swarmNodes,
      crawler: { mode: "load" },
      ...pinned,
      kafka: { brokerPlacement: { role: "kafka" }, brokers: 1 },
    };
    expect(problems({ ...swarm, benchmark: { enabled: true } })).toEqual([
      "bigdata:spark.workers.placement: benchmark.enabled on swarm: the cluster-mode run reads its dataset from a local volume, so every Spark worker must be on the node that runs the job; the placement must match exactly one node, but matches 3 (node-1, node-2, node-3). Turn the benchmark off or pin the workers to one node",
    ]);
    expect(problems({ ...swarm, benchmark: { enabled: true }, spark: { workers: { placement: { role: "data" } } } })).toEqual([]);
  });
});

describe("notebook config rules", () => {
  const notebook = (settings: Record<string, unknown>, more: Record<string, unknown> = {}) =>
    problems({ ...docker, notebook: { enabled: true, ...settings }, ...more });

  test("off by default, on loopback port 8888 with one core and fixed driver ports", () => {
    const cfg = loadConfig(configSource(docker));
    expect(cfg.notebook).toEqual({
      enabled: false,
      port: 8888,
      coresMax: 1,
      executorMemoryMb: 512,
      driverMemoryMb: 512,
      driverPort: 7078,
      blockManagerPort: 7079,
      placement: {},
      resources: {},
    });
    expect(cfg.images.notebook).toBe("bigdata-platform/notebook:4.0.0");
    expect(loadConfig(configSource({ ...docker, imageSet: "local", dashboards: { kafkaUi: { enabled: false } } })).images.notebook).toBe(
      "bigdata-local/notebook:4.0.0",
    );
    expect(notebook({})).toEqual([]);
  });

  test("one notebook may not take every core of the cluster, and needs a worker", () => {
    expect(notebook({ coresMax: 2 })).toEqual([
      "bigdata:notebook.coresMax: 2 cores would let one notebook take every core of the cluster (spark.workers.count × spark.workers.cores = 2); at most 1",
    ]);
    expect(notebook({ coresMax: 3 }, { spark: { workers: { count: 2, cores: 2 } } })).toEqual([]);
    expect(notebook({}, { spark: { workers: { count: 0 } } })).toEqual([
      "bigdata:spark.workers.count: notebook.enabled needs at least one Spark worker for its sessions' executors; got 0",
    ]);
    // A one-core cluster: the notebook gets that core.
    expect(notebook({}, { spark: { workers: { count: 1 } } })).toEqual([]);
  });

  test("executors must fit a worker, the driver's heap its container, and the driver's ports must differ", () => {
    expect(notebook({ executorMemoryMb: 2048, driverMemoryMb: 1024, resources: { memoryMb: 1024 } })).toEqual([
      "bigdata:notebook.executorMemoryMb: no worker can start an executor of 2048 MB (spark.workers.memoryMb = 1024); at most 1024",
      "bigdata:notebook.driverMemoryMb: 1024 MB of driver heap do not fit in notebook.resources.memoryMb (1024 MB), which also holds JupyterLab and the kernel; lower the heap or raise the limit",
    ]);
    expect(notebook({ driverPort: 8888, blockManagerPort: 8888 })).toEqual([
      "bigdata:notebook.blockManagerPort: must differ from notebook.driverPort (8888)",
      "bigdata:notebook.driverPort: 8888 is JupyterLab's own port in the notebook's container",
      "bigdata:notebook.blockManagerPort: 8888 is JupyterLab's own port in the notebook's container",
    ]);
  });

  test("its published port is checked with the others; a disabled notebook's is not", () => {
    expect(notebook({ port: 8080 })).toEqual([
      "bigdata:notebook.port: host port 8080 is already published by dashboards.sparkUi.port; published ports must be unique across all services",
    ]);
    expect(problems({ ...docker, notebook: { port: 8080 } })).toEqual([]);
    expect(notebook({ port: 0 })).toEqual(["bigdata:notebook.port: Too small: expected number to be >=1"]);
  });
});
