import type { ParsedPlatformConfig } from "./schema";

/**
 * Values that follow from several settings, computed in one place for the components, the rules and the
 * service table alike.
 */

/** Host port of the Spark master's UI, or undefined when it stays inside the platform. */
export const sparkUiPort = (cfg: ParsedPlatformConfig): number | undefined =>
  cfg.dashboards.sparkUi.enabled ? cfg.dashboards.sparkUi.port : undefined;

/** Cores of the benchmark's local-mode run: by default the cluster's, so both modes get the same cores. */
export const benchmarkLocalCores = (cfg: ParsedPlatformConfig): number =>
  cfg.benchmark.localCores ?? cfg.spark.workers.count * cfg.spark.workers.cores;

/** Published port of each broker's external listener: broker i gets externalPortBase + i - 1; none when not published. */
export const brokerExternalPorts = (cfg: ParsedPlatformConfig): number[] => {
  const base = cfg.kafka.externalPortBase;
  return base === null ? [] : Array.from({ length: cfg.kafka.brokers }, (_, i) => base + i);
};

/** A published port setting as components take it: `null` (kept inside) becomes undefined. */
export const published = (port: number | null): number | undefined => port ?? undefined;
