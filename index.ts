import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "./config/issues";
import { loadPlatformConfig, type PlatformConfig } from "./config/load";
import { readPulumiStackConfig } from "./config/pulumi-source";
import { Platform } from "./components/platform";
import { readJobSources } from "./components/benchmark-job";
import { readNotebookFiles } from "./components/notebook";
import { targetFor, targetRegistry } from "./targets/registry";

// Validation comes first and fails with every problem listed: nothing is declared from a bad config.
function validatedConfig(): PlatformConfig {
  try {
    return loadPlatformConfig(readPulumiStackConfig(), targetRegistry);
  } catch (e) {
    // A RunError fails the run with just the message: the list of problems, no stack trace.
    if (e instanceof ConfigError) throw new pulumi.RunError(e.message);
    throw e;
  }
}
const config = validatedConfig();

const platform = new Platform(config.namePrefix, {
  config,
  target: targetFor(config),
  tableDdlTemplate: fs.readFileSync(path.join(__dirname, "crawler", "schema", "observations.sql"), "utf8"),
  jobSources: readJobSources(path.join(__dirname, "jobs")),
  notebookFiles: readNotebookFiles(__dirname),
});

export const target = config.target;
export const dashboards = {
  console: platform.dashboards.consoleUrl,
  kafkaTopics: platform.dashboards.kafkaTopicsUrl,
  kafkaConnect: platform.dashboards.kafkaConnectUrl,
  spark: platform.dashboards.sparkUrl,
};
export const kafkaBootstrapServers = platform.kafkaBootstrapServers;
export const mariadbJdbcUrl = platform.mariadbJdbcUrl;
export const mariadbPassword = platform.mariadbPassword;
export const topics = [platform.topic];
export const connectorStates = platform.connectorStates;
export const sparkMasterUrl = platform.sparkMasterUrl;

// Outputs that only some configurations have are exported only when set: Pulumi warns about every undefined
// stack output, and a clean `pulumi up` prints no warning.
const optionalOutputs = {
  kafkaExternalBootstrapServers: platform.kafkaExternalBootstrapServers,
  connectRestUrl: platform.connectRestUrl,
  sinkFile: platform.sinkFile,
  /** The paper's Table 6 (local vs cluster mode, per dataset size) when benchmark.enabled; see README. */
  benchmarkTable6: platform.benchmark?.table6,
  benchmarkTable6Markdown: platform.benchmark?.table6Markdown,
  /** JupyterLab on the Spark cluster when notebook.enabled; log in with the secret notebookToken. */
  notebookUrl: platform.notebook?.url,
  notebookToken: platform.notebook?.token,
  /** Confirms the console's connector actions when dashboards.console.actionsEnabled. */
  consoleToken: platform.dashboards.consoleToken,
};
for (const [name, value] of Object.entries(optionalOutputs)) {
  if (value !== undefined) (module.exports as Record<string, unknown>)[name] = value;
}
