import * as pulumi from "@pulumi/pulumi";
import type { PlacementSpec, ResourceSpec } from "../model/workload";
import type { Target } from "../model/target";
import type { PlatformConfig } from "../config/load";
import { published } from "../config/derived";
import { pinnedPlacements } from "../model/placement";
import type { Passwords } from "./passwords";

export interface MariaDbArgs {
  readonly target: Target;
  /** An image with the official `mariadb` image's interface (env, init scripts, healthcheck.sh). */
  readonly image: string;
  /** Database the crawler writes to. Default in config: `testdb`, as in the paper. */
  readonly database: string;
  /** Application user, owner of the database. */
  readonly user: string;
  readonly password: pulumi.Input<string>;
  readonly rootPassword: pulumi.Input<string>;
  /** User the CDC connector reads the binlog with (replication grants only). */
  readonly cdcUser: string;
  readonly cdcPassword: pulumi.Input<string>;
  /** DDL run once when the data volume is new (the crawler's table). */
  readonly initSql: string;
  /** Binlog server id; CDC clients must use other ids. */
  readonly serverId: number;
  /** Host port; internal only when undefined. */
  readonly publishedPort?: number;
  readonly placement?: PlacementSpec;
  readonly resources?: ResourceSpec;
}

export const mariadbHost = "mariadb";
export const mariadbPort = 3306;

/**
 * The crawler's database, with the binlog settings change data capture needs: row-based,
 * full row images, a server id, and a user with replication grants.
 */
export class MariaDb extends pulumi.ComponentResource {
  readonly host = mariadbHost;
  readonly port = mariadbPort;
  readonly jdbcUrl: string;
  readonly readiness: readonly pulumi.Resource[];

  constructor(name: string, args: MariaDbArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bigdata:platform:MariaDb", name, {}, opts);
    this.jdbcUrl = `jdbc:mariadb://${mariadbHost}:${mariadbPort}/${args.database}`;

    const workload = args.target.deploy(
      {
        name: mariadbHost,
        component: "mariadb",
        image: args.image,
        args: [
          "--log-bin=mysqld-bin",
          "--binlog-format=ROW",
          "--binlog-row-image=FULL",
          `--server-id=${args.serverId}`,
          "--character-set-server=utf8mb4",
          "--collation-server=utf8mb4_unicode_ci",
        ],
        env: { MARIADB_DATABASE: args.database, MARIADB_USER: args.user, MARIADB_CDC_USER: args.cdcUser },
        secretEnv: {
          MARIADB_ROOT_PASSWORD: args.rootPassword,
          MARIADB_PASSWORD: args.password,
          MARIADB_CDC_PASSWORD: args.cdcPassword,
        },
        files: [
          { path: "/docker-entrypoint-initdb.d/10-schema.sql", content: `USE \`${args.database}\`;\n${args.initSql}` },
          // A script, so the CDC password comes from the secret environment and never sits in a file.
          { path: "/docker-entrypoint-initdb.d/20-cdc-user.sh", content: cdcUserScript, mode: "0755" },
        ],
        ports: [{ name: "mysql", containerPort: mariadbPort, published: args.publishedPort }],
        volumes: [{ name: "data", mountPath: "/var/lib/mysql" }],
        healthcheck: {
          shell: "healthcheck.sh --connect --innodb_initialized",
          intervalSeconds: 5,
          timeoutSeconds: 5,
          retries: 30,
          startPeriodSeconds: 20,
        },
        resources: args.resources,
        placement: args.placement,
        stopGracePeriodSeconds: 30,
      },
      { parent: this },
    );
    this.readiness = workload.readiness;
    this.registerOutputs({ jdbcUrl: this.jdbcUrl });
  }
}

/** Runs inside the image's first-start initialisation, where the server listens on its socket only. */
const cdcUserScript = `#!/bin/sh
set -eu
secret() { eval "v=\\\${$1:-}"; if [ -n "$v" ]; then printf %s "$v"; else eval "cat \\"\\\${$1_FILE}\\""; fi; }
mariadb --protocol=socket -uroot -p"$(secret MARIADB_ROOT_PASSWORD)" <<SQL
CREATE USER IF NOT EXISTS '$MARIADB_CDC_USER'@'%' IDENTIFIED BY '$(secret MARIADB_CDC_PASSWORD)';
GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO '$MARIADB_CDC_USER'@'%';
FLUSH PRIVILEGES;
SQL
`;

/** The platform's database as the stack config describes it; `tableDdlTemplate` has `{{table}}` for the table's name. */
export function mariaDbArgs(cfg: PlatformConfig, target: Target, passwords: Passwords, tableDdlTemplate: string): MariaDbArgs {
  return {
    target,
    image: cfg.images.mariadb,
    database: cfg.mariadb.database,
    user: cfg.mariadb.user,
    password: passwords.mariadbPassword,
    rootPassword: passwords.mariadbRootPassword,
    cdcUser: cfg.mariadb.cdcUser,
    cdcPassword: passwords.mariadbCdcPassword,
    initSql: tableDdlTemplate.split("{{table}}").join(cfg.mariadb.table),
    serverId: cfg.mariadb.serverId,
    publishedPort: published(cfg.mariadb.port),
    placement: pinnedPlacements(cfg.nodes, cfg.mariadb.placement, 1)[0],
    resources: cfg.mariadb.resources,
  };
}
