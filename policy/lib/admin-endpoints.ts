/**
 * What counts as an admin endpoint: one that reads or changes the platform's data or configuration without
 * authentication in our images (MariaDB's SQL port, Connect's REST API, Spark's master and UIs, consoles and
 * notebooks, Schema Registry and REST Proxy). Kafka's broker listeners and the crawler's metrics are not: clients
 * outside the platform network are what the external listener is for.
 */

/** Platform components (the `bigdata.platform/component` label) all of whose published ports are admin endpoints. */
export const adminComponents: Readonly<Record<string, string>> = {
  mariadb: "MariaDB",
  "kafka-connect": "Kafka Connect's REST API",
  spark: "Spark's master and UIs",
  dashboards: "a Kafka console",
  notebook: "a notebook",
  "schema-registry": "Schema Registry",
  "rest-proxy": "Kafka REST Proxy",
};

/** The same services by their well-known container ports, for workloads without our labels. */
export const adminPorts: Readonly<Record<number, string>> = {
  3306: "MariaDB",
  8083: "Kafka Connect's REST API",
  7077: "Spark's master",
  8080: "Spark's master UI or a console",
  4040: "a Spark driver UI",
  8888: "a notebook",
};

/** What admin endpoint a published port leads to, or undefined when it is not one. */
export function adminEndpoint(labels: Readonly<Record<string, string>>, containerPort: number | undefined): string | undefined {
  const component = labels["bigdata.platform/component"];
  if (component !== undefined && component in adminComponents) return adminComponents[component];
  return containerPort === undefined ? undefined : adminPorts[containerPort];
}

/** Host addresses that mean "every interface" (Docker's default when a published port names no address). */
export const isWildcardAddress = (ip: string | undefined): boolean => ip === undefined || ["", "0.0.0.0", "::", "[::]"].includes(ip);
