import * as pulumi from "@pulumi/pulumi";
import type { PlacementSpec, ResourceSpec } from "../model/workload";
import type { Target } from "../model/target";
import type { PlatformConfig } from "../config/load";
import { spreadPlacement } from "../model/placement";
import type { Passwords } from "./passwords";

export interface CrawlerSource {
  readonly name: string;
  readonly url: string;
  readonly intervalSeconds: number;
  readonly parser?: string;
  readonly selectors?: Readonly<Record<string, string>>;
}

export interface CrawlerArgs {
  readonly target: Target;
  /** Built from crawler/Dockerfile. */
  readonly image: string;
  readonly databaseHost: string;
  readonly databasePort: number;
  readonly database: string;
  readonly table: string;
  readonly user: string;
  readonly password: pulumi.Input<string>;
  /** `crawl` parses the configured pages; `load` writes synthetic observations (source `synthetic:*`). */
  readonly mode: "crawl" | "load";
  readonly sources: readonly CrawlerSource[];
  readonly userAgent: string;
  readonly loadRowsPerSecond: number;
  readonly loadLocations: number;
  readonly batchSize: number;
  /** Health and metrics port inside the platform network. */
  readonly metricsPort: number;
  readonly placement?: PlacementSpec;
  readonly resources?: ResourceSpec;
  /** What must run before the first row is written (database, connectors). */
  readonly dependsOn?: readonly pulumi.Resource[];
}

/** The web crawler that feeds the pipeline: weather observations into the MariaDB table. */
export class Crawler extends pulumi.ComponentResource {
  readonly readiness: readonly pulumi.Resource[];
  /** Prometheus metrics inside the platform network. */
  readonly metricsUrl: string;

  constructor(name: string, args: CrawlerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bigdata:platform:Crawler", name, {}, opts);
    this.metricsUrl = `http://crawler:${args.metricsPort}/metrics`;
    const workload = args.target.deploy(
      {
        name: "crawler",
        component: "crawler",
        image: args.image,
        env: {
          CRAWLER_DB_HOST: args.databaseHost,
          CRAWLER_DB_PORT: String(args.databasePort),
          CRAWLER_DB_NAME: args.database,
          CRAWLER_DB_USER: args.user,
          CRAWLER_TABLE: args.table,
          CRAWLER_MODE: args.mode,
          CRAWLER_SOURCES: JSON.stringify(args.sources),
          CRAWLER_USER_AGENT: args.userAgent,
          CRAWLER_LOAD_ROWS_PER_SECOND: String(args.loadRowsPerSecond),
          CRAWLER_LOAD_LOCATIONS: String(args.loadLocations),
          CRAWLER_BATCH_SIZE: String(args.batchSize),
          CRAWLER_HTTP_PORT: String(args.metricsPort),
        },
        secretEnv: { CRAWLER_DB_PASSWORD: args.password },
        ports: [{ name: "metrics", containerPort: args.metricsPort }],
        healthcheck: {
          shell: `node -e "fetch('http://127.0.0.1:${args.metricsPort}/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"`,
          intervalSeconds: 10,
          timeoutSeconds: 5,
          retries: 12,
          startPeriodSeconds: 10,
        },
        placement: args.placement,
        resources: args.resources,
        // The crawler finishes the batch in flight on SIGTERM.
        stopGracePeriodSeconds: 20,
      },
      { parent: this, dependsOn: args.dependsOn },
    );
    this.readiness = workload.readiness;
    this.registerOutputs({ metricsUrl: this.metricsUrl });
  }
}

/** The crawler as the stack config describes it, writing into the given database. */
export function crawlerArgs(
  cfg: PlatformConfig,
  target: Target,
  passwords: Passwords,
  database: { readonly host: string; readonly port: number },
  dependsOn: readonly pulumi.Resource[],
): CrawlerArgs {
  return {
    target,
    image: cfg.images.crawler,
    databaseHost: database.host,
    databasePort: database.port,
    database: cfg.mariadb.database,
    table: cfg.mariadb.table,
    user: cfg.mariadb.user,
    password: passwords.mariadbPassword,
    mode: cfg.crawler.mode,
    sources: cfg.crawler.sources,
    userAgent: cfg.crawler.userAgent,
    loadRowsPerSecond: cfg.crawler.loadRowsPerSecond,
    loadLocations: cfg.crawler.loadLocations,
    batchSize: cfg.crawler.batchSize,
    metricsPort: cfg.crawler.metricsPort,
    placement: spreadPlacement(cfg.nodes, cfg.crawler.placement, 1),
    resources: cfg.crawler.resources,
    dependsOn,
  };
}
