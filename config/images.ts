import * as fs from "fs";
import * as path from "path";
import type { ImageSet } from "./schema";

/** Every image the platform runs, keyed the way config sections name them. */
export const imageRoles = ["mariadb", "kafka", "kafkaConnect", "spark", "crawler", "kafkaUi", "schemaRegistry", "restProxy"] as const;
export type ImageRole = (typeof imageRoles)[number];

/** The config key that overrides each role's image, for error messages. */
export const imageConfigKeys: Record<ImageRole, string> = {
  mariadb: "mariadb.image",
  kafka: "kafka.image",
  kafkaConnect: "kafkaConnect.image",
  spark: "spark.image",
  crawler: "crawler.image",
  kafkaUi: "dashboards.kafkaUi.image",
  schemaRegistry: "schemaRegistry.image",
  restProxy: "restProxy.image",
};

interface ImageVersions {
  mariadbOfficial: string;
  mariadbLocal: string;
  kafka: string;
  spark: string;
  crawler: string;
  kafkaUi: string;
  confluent: string;
}

/**
 * Versions live in config/image-versions.json, which bootstrap/docker/images.sh reads too, so that
 * the program's local image names and the images built here can never drift apart.
 */
export function readImageVersions(file: string = path.join(__dirname, "image-versions.json")): ImageVersions {
  return JSON.parse(fs.readFileSync(file, "utf8")) as ImageVersions;
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
    kafkaUi: `kafbat/kafka-ui:${v.kafkaUi}`,
    schemaRegistry: `confluentinc/cp-schema-registry:${v.confluent}`,
    restProxy: `confluentinc/cp-kafka-rest:${v.confluent}`,
  };
}

/** Why an image reference is not pinned, or undefined when it is (a non-`latest` tag or a digest). */
export function unpinnedReason(image: string): string | undefined {
  if (image.includes("@sha256:")) return undefined;
  const lastSegment = image.slice(image.lastIndexOf("/") + 1);
  const colon = lastSegment.lastIndexOf(":");
  if (colon < 0) return "has no tag";
  if (lastSegment.slice(colon + 1) === "latest") return "uses the moving tag 'latest'";
  return undefined;
}
