import * as fs from "fs";
import * as path from "path";
import type { ImageSet } from "./schema";
import type { ImageRole } from "./services";

export interface ImageVersions {
  /** Versions of the images built here: images/versions.env, which bootstrap/docker/images.sh builds from. */
  readonly kafka: string;
  readonly spark: string;
  readonly mariadbLocal: string;
  /** The crawler's own package version (crawler/package.json). */
  readonly crawler: string;
  /** The console's own version (console/bigdata_console/__init__.py). */
  readonly console: string;
  /** Pins of images only available from registries: config/official-image-versions.json. */
  readonly mariadbOfficial: string;
  readonly kafkaUi: string;
  readonly confluent: string;
}

const repoRoot = path.resolve(__dirname, "..");

function readEnvFile(file: string): Record<string, string> {
  const entries = fs
    .readFileSync(file, "utf8")
    .split("\n")
    .map((line) => /^([A-Z0-9_]+)=(.*)$/.exec(line.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1], m[2]]);
  return Object.fromEntries(entries);
}

/**
 * Reads every version from the file that owns it, so the program's image names and the images
 * built on this machine cannot drift apart.
 */
export function readImageVersions(root: string = repoRoot): ImageVersions {
  const built = readEnvFile(path.join(root, "images", "versions.env"));
  const official = JSON.parse(fs.readFileSync(path.join(root, "config", "official-image-versions.json"), "utf8")) as Record<string, string>;
  const crawler = JSON.parse(fs.readFileSync(path.join(root, "crawler", "package.json"), "utf8")) as { version: string };
  const consoleInit = fs.readFileSync(path.join(root, "console", "bigdata_console", "__init__.py"), "utf8");
  const consoleVersion = /^__version__ = "([^"]+)"$/m.exec(consoleInit)?.[1];
  if (consoleVersion === undefined) throw new Error('console/bigdata_console/__init__.py has no __version__ = "..." line');
  return {
    kafka: built.KAFKA_VERSION,
    spark: built.SPARK_VERSION,
    mariadbLocal: built.MARIADB_VERSION,
    crawler: crawler.version,
    console: consoleVersion,
    mariadbOfficial: official.mariadb,
    kafkaUi: official.kafkaUi,
    confluent: official.confluent,
  };
}

/** Default image per role for each image set; `undefined` where no image can be built here. */
export function defaultImages(set: ImageSet, v: ImageVersions = readImageVersions()): Record<ImageRole, string | undefined> {
  if (set === "local") {
    return {
      mariadb: `bigdata-local/mariadb:${v.mariadbLocal}`,
      kafka: `bigdata-local/kafka:${v.kafka}`,
      kafkaConnect: `bigdata-local/kafka-connect:${v.kafka}`,
      spark: `bigdata-local/spark:${v.spark}`,
      crawler: `bigdata-local/crawler:${v.crawler}`,
      console: `bigdata-local/console:${v.console}`,
      // Built on request (bootstrap/docker/images.sh notebook; scripts/bootstrap.sh builds it too) FROM the spark image.
      notebook: `bigdata-local/notebook:${v.spark}`,
      kafkaUi: undefined,
      schemaRegistry: undefined,
      restProxy: undefined,
    };
  }
  return {
    mariadb: `mariadb:${v.mariadbOfficial}`,
    kafka: `apache/kafka:${v.kafka}`,
    // Built from images/kafka-connect with the official Kafka image as its base.
    kafkaConnect: `bigdata-platform/kafka-connect:${v.kafka}`,
    spark: `apache/spark:${v.spark}-python3`,
    crawler: `bigdata-platform/crawler:${v.crawler}`,
    // Built from console/Dockerfile with BASE_IMAGE=debian:bookworm-slim (console/README.md).
    console: `bigdata-platform/console:${v.console}`,
    // Built from images/notebook with the Spark image of this set as its base (the same pyspark and Python as the workers).
    notebook: `bigdata-platform/notebook:${v.spark}`,
    kafkaUi: `kafbat/kafka-ui:${v.kafkaUi}`,
    schemaRegistry: `confluentinc/cp-schema-registry:${v.confluent}`,
    restProxy: `confluentinc/cp-kafka-rest:${v.confluent}`,
  };
}
