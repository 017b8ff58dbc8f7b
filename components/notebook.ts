import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { FileSpec, PlacementSpec, ResourceSpec } from "../model/workload";
import type { Target } from "../model/target";
import type { PlatformConfig } from "../config/load";
import { notebookContainerPort } from "../config/rules";
import { pinnedPlacements } from "../model/placement";

/** The files the notebook ships next to each other in its samples folder: the sample notebook and the job module it imports. */
export type NotebookFiles = Readonly<Record<"hourly-aggregates.ipynb" | "weather_job.py", string>>;

/** The repository's sample notebook (notebooks/) and the weather job whose parsing and aggregation it reuses (jobs/). */
export function readNotebookFiles(root: string = path.join(__dirname, "..")): NotebookFiles {
  return {
    "hourly-aggregates.ipynb": fs.readFileSync(path.join(root, "notebooks", "hourly-aggregates.ipynb"), "utf8"),
    "weather_job.py": fs.readFileSync(path.join(root, "jobs", "weather_job.py"), "utf8"),
  };
}

export interface NotebookArgs {
  readonly target: Target;
  /** The notebook image: JupyterLab in the Spark image's venv, so Python, pyspark and jars match the workers. */
  readonly image: string;
  /** Names the generated token in state. */
  readonly namePrefix: string;
  readonly masterUrl: string;
  readonly bootstrapServers: string;
  readonly topic: string;
  /** Host port of JupyterLab. */
  readonly port: number;
  /** spark.cores.max: cluster cores one notebook's session may hold. */
  readonly coresMax: number;
  readonly executorCores: number;
  readonly executorMemoryMb: number;
  readonly driverMemoryMb: number;
  /** Fixed ports executors connect back to the driver on. */
  readonly driverPort: number;
  readonly blockManagerPort: number;
  readonly files: NotebookFiles;
  readonly placement?: PlacementSpec;
  readonly resources: ResourceSpec;
  /** The Spark cluster, up before the notebook offers sessions on it. */
  readonly dependsOn: readonly pulumi.Resource[];
}

/** The notebook's name on the platform network: executors reach the driver at it. */
const notebookHost = "notebook";
/** Jupyter's root folder; the samples and the working volume are below it. */
const notebookRoot = "/opt/spark/work-dir";
const samplesDirectory = `${notebookRoot}/samples`;
const notebooksVolumePath = `${notebookRoot}/notebooks`;
const tokenFile = "/run/secrets/notebook-token";
const sparkDefaultsFile = "/opt/spark/conf/spark-defaults.conf";

/** spark-defaults.conf of the notebook's sessions: where the cluster is, how executors reach the driver, how much it may take. */
function notebookSparkDefaults(args: Omit<NotebookArgs, "target" | "image" | "namePrefix" | "files" | "dependsOn">): string {
  const settings: [string, string][] = [
    ["spark.master", args.masterUrl],
    // Client mode: the driver runs in the kernel; executors on the workers connect back to it by name, on fixed ports.
    ["spark.driver.host", notebookHost],
    ["spark.driver.bindAddress", "0.0.0.0"],
    ["spark.driver.port", String(args.driverPort)],
    ["spark.blockManager.port", String(args.blockManagerPort)],
    ["spark.driver.memory", `${args.driverMemoryMb}m`],
    ["spark.cores.max", String(args.coresMax)],
    ["spark.executor.cores", String(args.executorCores)],
    ["spark.executor.memory", `${args.executorMemoryMb}m`],
    // As the weather job sizes it: the session's cores, at least 2. Spark's default of 200 made each of the sample's
    // aggregations 200 tasks on its one core (its e2e run: 163 s, 121 s with this on a busier machine).
    ["spark.sql.shuffle.partitions", String(Math.max(2, args.coresMax))],
    // Hours as the weather job and the tests count them; DataFrames render as HTML tables without pandas.
    ["spark.sql.session.timeZone", "UTC"],
    ["spark.sql.repl.eagerEval.enabled", "true"],
  ];
  return [
    "# Written by the platform's Notebook component (components/notebook.ts); every session the kernels start reads it.",
    ...settings.map(([k, v]) => `${k.padEnd(34)} ${v}`),
    "",
  ].join("\n");
}

/**
 * JupyterLab whose PySpark sessions run on the platform's Spark cluster in client mode: the driver in the kernel,
 * executors on the workers. Login needs a generated token (a secret in state, a secret file in the container, the
 * stack output `notebookToken`). The sample notebook and the job module it imports are files the program ships, so
 * a change in the repository reaches the notebook with `pulumi up`, without an image rebuild.
 */
export class Notebook extends pulumi.ComponentResource {
  /** Where JupyterLab is reached from outside (log in with the token). */
  readonly url: string;
  readonly token: pulumi.Output<string>;
  readonly readiness: readonly pulumi.Resource[];

  constructor(name: string, args: NotebookArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bigdata:platform:Notebook", name, {}, opts);
    const token = new random.RandomPassword(`${args.namePrefix}-notebook-token`, { length: 32, special: false }, { parent: this });
    this.token = pulumi.secret(token.result);
    this.url = args.target.publishedUrl(args.port, "/lab");

    const files: FileSpec[] = [
      { path: tokenFile, content: this.token, secret: true, mode: "0444" },
      { path: sparkDefaultsFile, content: notebookSparkDefaults(args) },
      ...Object.entries(args.files).map(([file, content]) => ({ path: `${samplesDirectory}/${file}`, content })),
    ];
    const lab = [
      "jupyter lab",
      `--ip=0.0.0.0 --port=${notebookContainerPort} --no-browser`,
      `--ServerApp.root_dir=${notebookRoot}`,
      "--ServerApp.allow_remote_access=True",
      "--ServerApp.default_url=/lab/tree/samples/hourly-aggregates.ipynb",
    ].join(" ");
    const workload = args.target.deploy(
      {
        name: notebookHost,
        component: "notebook",
        image: args.image,
        // The token goes from its file into Jupyter's own variable, so it is in no spec, no env list and no argv.
        command: ["sh", "-c", `JUPYTER_TOKEN="$(cat "$NOTEBOOK_TOKEN_FILE")" && export JUPYTER_TOKEN && exec ${lab}`],
        env: {
          NOTEBOOK_TOKEN_FILE: tokenFile,
          SPARK_MASTER_URL: args.masterUrl,
          KAFKA_BOOTSTRAP_SERVERS: args.bootstrapServers,
          KAFKA_TOPIC: args.topic,
        },
        files,
        ports: [
          { name: "http", containerPort: notebookContainerPort, published: args.port },
          { name: "spark-driver", containerPort: args.driverPort },
          { name: "blockmanager", containerPort: args.blockManagerPort },
        ],
        volumes: [{ name: "notebooks", mountPath: notebooksVolumePath }],
        healthcheck: {
          // /api/status answers 403 without the token: a 200 proves the server runs and the token is the one it uses.
          shell:
            `python3 -c 'import os,sys,urllib.request as u; t=open(os.environ["NOTEBOOK_TOKEN_FILE"]).read().strip(); ` +
            `r=u.urlopen(u.Request("http://127.0.0.1:${notebookContainerPort}/api/status", headers={"Authorization": "token "+t}), timeout=4); ` +
            `sys.exit(0 if b"started" in r.read() else 1)'`,
          intervalSeconds: 10,
          timeoutSeconds: 5,
          retries: 12,
          startPeriodSeconds: 20,
        },
        placement: args.placement,
        resources: args.resources,
        // Kernels are asked to shut down on SIGTERM.
        stopGracePeriodSeconds: 20,
      },
      { parent: this, dependsOn: args.dependsOn },
    );
    this.readiness = workload.readiness;
    this.registerOutputs({ url: this.url, token: this.token });
  }
}

/** JVM outside the driver's heap, the Jupyter server, the kernel's Python and matplotlib. */
const notebookOverheadMb = 1024;

/** The notebook as the stack config describes it, on the given cluster and topic. */
export function notebookArgs(
  cfg: PlatformConfig,
  target: Target,
  files: NotebookFiles,
  spark: { readonly masterUrl: string; readonly readiness: readonly pulumi.Resource[] },
  kafka: { readonly bootstrapServers: string },
  topic: string,
): NotebookArgs {
  const n = cfg.notebook;
  return {
    target,
    image: cfg.images.notebook,
    namePrefix: cfg.namePrefix,
    masterUrl: spark.masterUrl,
    bootstrapServers: kafka.bootstrapServers,
    topic,
    port: n.port,
    coresMax: n.coresMax,
    executorCores: Math.min(n.coresMax, cfg.spark.workers.cores),
    executorMemoryMb: n.executorMemoryMb,
    driverMemoryMb: n.driverMemoryMb,
    driverPort: n.driverPort,
    blockManagerPort: n.blockManagerPort,
    files,
    placement: pinnedPlacements(cfg.nodes, n.placement, 1)[0],
    resources: { cpus: n.resources.cpus ?? 1, memoryMb: n.resources.memoryMb ?? n.driverMemoryMb + notebookOverheadMb },
    dependsOn: spark.readiness,
  };
}
