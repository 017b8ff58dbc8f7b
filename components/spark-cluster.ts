import * as pulumi from "@pulumi/pulumi";
import type { PlacementSpec, VolumeSpec } from "../model/workload";
import type { Target } from "../model/target";
import type { PlatformConfig } from "../config/load";
import { sparkUiPort } from "../config/derived";
import { pinnedPlacements, spreadPlacement } from "../model/placement";

export interface SparkClusterArgs {
  readonly target: Target;
  /** An image with the official `apache/spark` layout (/opt/spark/bin) and python3 with pyspark. */
  readonly image: string;
  readonly masterHeapMb: number;
  readonly workers: number;
  readonly workerCores: number;
  readonly workerMemoryMb: number;
  /** Host port of the master's web UI; internal only when undefined. */
  readonly uiPort?: number;
  readonly masterPlacement?: PlacementSpec;
  readonly workerPlacement?: PlacementSpec;
  /** A volume every worker mounts, for jobs whose executors read and write files (the benchmark). */
  readonly dataVolume?: VolumeSpec;
}

/** Where the shared data volume is mounted: the Spark image creates it owned by its `spark` user. */
export const sparkDataVolume: VolumeSpec = { name: "spark-data", mountPath: "/var/lib/spark-data", shared: true };

export const sparkMasterHost = "spark-master";
export const sparkMasterPort = 7077;
export const sparkMasterUiPort = 8080;
const workerUiPort = 8081;
/** Memory of the worker daemon itself; executors get workerMemoryMb on top. */
const workerDaemonMb = 256;

/** The container's own address; python3 is in every Spark image with PySpark, `hostname -i` is not. */
const ownAddress = `python3 -c 'import socket; print(socket.gethostbyname(socket.gethostname()))'`;

/** A probe that needs nothing but the python3 every Spark image with PySpark has. */
export function httpProbe(url: string, mustContain?: string): string {
  const check = mustContain === undefined ? "" : ` and ${JSON.stringify(mustContain)} in body`;
  return `python3 -c 'import sys,urllib.request; body=urllib.request.urlopen("${url}", timeout=4).read().decode(); sys.exit(0 if body${check} else 1)'`;
}

/**
 * A Spark standalone cluster. Workers reach the master by name on the platform network, never
 * through a published port (the routing mesh breaks that), and register under their own address
 * so the master and drivers can reach them whatever the target names replicas.
 */
export class SparkCluster extends pulumi.ComponentResource {
  readonly masterUrl = `spark://${sparkMasterHost}:${sparkMasterPort}`;
  /** The master's web UI inside the platform network. */
  readonly masterUiUrl = `http://${sparkMasterHost}:${sparkMasterUiPort}`;
  readonly readiness: readonly pulumi.Resource[];

  constructor(name: string, args: SparkClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bigdata:platform:SparkCluster", name, {}, opts);
    const master = args.target.deploy(
      {
        name: sparkMasterHost,
        component: "spark",
        image: args.image,
        command: [
          "sh",
          "-c",
          `exec /opt/spark/bin/spark-class org.apache.spark.deploy.master.Master --host ${sparkMasterHost} --port ${sparkMasterPort} --webui-port ${sparkMasterUiPort}`,
        ],
        env: { SPARK_DAEMON_MEMORY: `${args.masterHeapMb}m`, SPARK_NO_DAEMONIZE: "true" },
        ports: [
          { name: "spark", containerPort: sparkMasterPort },
          { name: "ui", containerPort: sparkMasterUiPort, published: args.uiPort },
        ],
        healthcheck: {
          shell: httpProbe(`http://localhost:${sparkMasterUiPort}/json/`, '"ALIVE"'),
          intervalSeconds: 5,
          timeoutSeconds: 5,
          retries: 30,
          startPeriodSeconds: 10,
        },
        placement: args.masterPlacement,
        resources: { memoryMb: args.masterHeapMb + 256 },
      },
      { parent: this },
    );
    const readiness = [...master.readiness];
    if (args.workers > 0) {
      const worker = args.target.deploy(
        {
          name: "spark-worker",
          component: "spark",
          image: args.image,
          replicas: args.workers,
          command: [
            "sh",
            "-c",
            `exec /opt/spark/bin/spark-class org.apache.spark.deploy.worker.Worker --host "$(${ownAddress})" ` +
              `--cores ${args.workerCores} --memory ${args.workerMemoryMb}m --webui-port ${workerUiPort} spark://${sparkMasterHost}:${sparkMasterPort}`,
          ],
          env: { SPARK_DAEMON_MEMORY: `${workerDaemonMb}m`, SPARK_NO_DAEMONIZE: "true" },
          // Worker UIs stay inside the network: published, every added worker would need a new host port.
          ports: [{ name: "ui", containerPort: workerUiPort }],
          healthcheck: {
            shell: httpProbe(`http://localhost:${workerUiPort}/json/`, "spark://"),
            intervalSeconds: 5,
            timeoutSeconds: 5,
            retries: 30,
            startPeriodSeconds: 10,
          },
          placement: args.workerPlacement,
          volumes: args.dataVolume ? [args.dataVolume] : undefined,
          // Headroom above the executors for the JVM outside its heap and for PySpark's python workers.
          resources: { cpus: args.workerCores, memoryMb: args.workerMemoryMb + workerDaemonMb + 768 },
        },
        { parent: this, dependsOn: master.readiness },
      );
      readiness.push(...worker.readiness);
    }
    this.readiness = readiness;
    this.registerOutputs({ masterUrl: this.masterUrl });
  }
}

/** The Spark cluster as the stack config describes it; workers mount the data volume when the benchmark runs. */
export function sparkClusterArgs(cfg: PlatformConfig, target: Target): SparkClusterArgs {
  const w = cfg.spark.workers;
  return {
    target,
    image: cfg.images.spark,
    masterHeapMb: cfg.spark.masterHeapMb,
    workers: w.count,
    workerCores: w.cores,
    workerMemoryMb: w.memoryMb,
    uiPort: sparkUiPort(cfg),
    masterPlacement: pinnedPlacements(cfg.nodes, cfg.spark.masterPlacement, 1)[0],
    workerPlacement: spreadPlacement(cfg.nodes, w.placement, w.count),
    dataVolume: cfg.benchmark.enabled ? sparkDataVolume : undefined,
  };
}
