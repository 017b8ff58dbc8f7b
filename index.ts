import * as fs from "fs";
import * as path from "path";
import { loadPlatformConfig } from "./config/load";
import { readPulumiStackConfig } from "./config/pulumi-source";
import { Platform } from "./components/platform";
import { targetFor } from "./targets/select";

// Validation comes first and throws with every problem listed: nothing is declared from a bad config.
const config = loadPlatformConfig(readPulumiStackConfig());

const platform = new Platform(config.namePrefix, {
  config,
  target: targetFor(config),
  tableDdlTemplate: fs.readFileSync(path.join(__dirname, "crawler", "schema", "observations.sql"), "utf8"),
});

export const target = config.target;
export const dashboards = {
  kafkaTopics: platform.dashboards.kafkaTopicsUrl,
  kafkaConnect: platform.dashboards.kafkaConnectUrl,
  spark: platform.dashboards.sparkUrl,
};
export const kafkaBootstrapServers = platform.kafkaBootstrapServers;
export const kafkaExternalBootstrapServers = platform.kafkaExternalBootstrapServers;
export const connectRestUrl = platform.connectRestUrl;
export const mariadbJdbcUrl = platform.mariadbJdbcUrl;
export const mariadbPassword = platform.mariadbPassword;
export const topics = [platform.topic];
export const sinkFile = platform.sinkFile;
export const connectorStates = platform.connectorStates;
export const sparkMasterUrl = platform.sparkMasterUrl;
