import { benchmarkLocalCores, brokerExternalPorts, sparkUiPort } from "./derived";
import type { ParsedPlatformConfig } from "./schema";

type Labels = Readonly<Record<string, string>>;

/** A size the user sets, which must fit every node the service can land on. */
export interface SizeFigure {
  readonly key: string;
  readonly resource: "memoryMb" | "cpus";
  readonly value: number;
  /** How the figure reads in a message, e.g. "MB per worker". */
  readonly unit: string;
}

/** Figures of instances that land by one set of placement labels. */
export interface Footprint {
  readonly labels: Labels;
  readonly figures: readonly SizeFigure[];
}

/** What the config says about one service, in one place: its image, whether it runs, where, how big, what it publishes. */
export interface ServiceEntry<Role extends string = string> {
  /** The service's image role: the key of `images` in the model and of the image sets' defaults. */
  readonly role: Role;
  /** The config key that overrides its image. */
  readonly imageKey: string;
  image(cfg: ParsedPlatformConfig): string | undefined;
  enabled(cfg: ParsedPlatformConfig): boolean;
  /** Host ports it publishes by config key; `null` where one is kept inside the platform. */
  publishedPorts(cfg: ParsedPlatformConfig): readonly (readonly [string, number | null])[];
  /** Its placement settings by config key. */
  placements(cfg: ParsedPlatformConfig): readonly (readonly [string, Labels])[];
  footprints(cfg: ParsedPlatformConfig): readonly Footprint[];
}

const memory = (key: string, value: number | undefined, unit = "MB"): SizeFigure[] =>
  value === undefined ? [] : [{ key, resource: "memoryMb", value, unit }];
const cores = (key: string, value: number | undefined, unit = "cpus"): SizeFigure[] =>
  value === undefined ? [] : [{ key, resource: "cpus", value, unit }];
const limits = (section: string, r: { cpus?: number; memoryMb?: number }): SizeFigure[] => [
  ...cores(`${section}.resources.cpus`, r.cpus),
  ...memory(`${section}.resources.memoryMb`, r.memoryMb),
];

const always = () => true;
const noPlacement = () => [];

const serviceTable = [
  {
    role: "mariadb",
    imageKey: "mariadb.image",
    image: (c) => c.mariadb.image,
    enabled: always,
    publishedPorts: (c) => [["mariadb.port", c.mariadb.port]],
    placements: (c) => [["mariadb.placement", c.mariadb.placement]],
    footprints: (c) => [{ labels: c.mariadb.placement, figures: limits("mariadb", c.mariadb.resources) }],
  },
  {
    role: "kafka",
    imageKey: "kafka.image",
    image: (c) => c.kafka.image,
    enabled: always,
    publishedPorts: (c) =>
      brokerExternalPorts(c).map(
        (port, i) => [i === 0 ? "kafka.externalPortBase" : `kafka.externalPortBase (+${i} for broker ${i + 1})`, port] as const,
      ),
    placements: (c) => [
      ["kafka.brokerPlacement", c.kafka.brokerPlacement],
      ["kafka.controllerPlacement", c.kafka.controllerPlacement],
    ],
    footprints: (c) => {
      const figures = [...memory("kafka.heapMb", c.kafka.heapMb, "MB of heap"), ...limits("kafka", c.kafka.resources)];
      const brokers = { labels: c.kafka.brokerPlacement, figures };
      return c.kafka.controllers > 0 ? [brokers, { labels: c.kafka.controllerPlacement, figures }] : [brokers];
    },
  },
  {
    role: "kafkaConnect",
    imageKey: "kafkaConnect.image",
    image: (c) => c.kafkaConnect.image,
    enabled: always,
    publishedPorts: (c) => [["kafkaConnect.restPort", c.kafkaConnect.restPort]],
    placements: (c) => [["kafkaConnect.placement", c.kafkaConnect.placement]],
    footprints: (c) => [
      {
        labels: c.kafkaConnect.placement,
        figures: [
          ...memory("kafkaConnect.heapMb", c.kafkaConnect.heapMb, "MB of heap"),
          ...limits("kafkaConnect", c.kafkaConnect.resources),
        ],
      },
    ],
  },
  {
    role: "spark",
    imageKey: "spark.image",
    image: (c) => c.spark.image,
    enabled: always,
    publishedPorts: (c) => [["dashboards.sparkUi.port", sparkUiPort(c) ?? null]],
    placements: (c) => [
      ["spark.masterPlacement", c.spark.masterPlacement],
      ["spark.workers.placement", c.spark.workers.placement],
    ],
    footprints: (c) => {
      const w = c.spark.workers;
      const b = c.benchmark;
      // The benchmark's runs go where the workers are (their node holds the data volume where it is per node).
      const benchmark = b.enabled
        ? [
            ...cores("benchmark.localCores", benchmarkLocalCores(c), "cores of the local-mode run"),
            ...memory("benchmark.driverMemoryMb", b.driverMemoryMb, "MB of driver heap"),
          ]
        : [];
      return [
        { labels: c.spark.masterPlacement, figures: memory("spark.masterHeapMb", c.spark.masterHeapMb, "MB of heap") },
        {
          labels: w.placement,
          figures: [
            ...cores("spark.workers.cores", w.cores, "cores per worker"),
            ...memory("spark.workers.memoryMb", w.memoryMb, "MB per worker"),
            ...benchmark,
          ],
        },
      ];
    },
  },
  {
    role: "crawler",
    imageKey: "crawler.image",
    image: (c) => c.crawler.image,
    enabled: (c) => c.crawler.enabled,
    publishedPorts: () => [],
    placements: (c) => [["crawler.placement", c.crawler.placement]],
    footprints: (c) => [{ labels: c.crawler.placement, figures: limits("crawler", c.crawler.resources) }],
  },
  {
    role: "notebook",
    imageKey: "notebook.image",
    image: (c) => c.notebook.image,
    enabled: (c) => c.notebook.enabled,
    publishedPorts: (c) => [["notebook.port", c.notebook.port]],
    placements: (c) => [["notebook.placement", c.notebook.placement]],
    footprints: (c) => [
      {
        labels: c.notebook.placement,
        figures: [
          ...memory("notebook.driverMemoryMb", c.notebook.driverMemoryMb, "MB of driver heap"),
          ...limits("notebook", c.notebook.resources),
        ],
      },
    ],
  },
  {
    role: "console",
    imageKey: "dashboards.console.image",
    image: (c) => c.dashboards.console.image,
    enabled: (c) => c.dashboards.console.enabled,
    publishedPorts: (c) => [
      ["dashboards.console.topicsPort", c.dashboards.console.topicsPort],
      ["dashboards.console.connectPort", c.dashboards.console.connectPort],
    ],
    placements: (c) => [["dashboards.console.placement", c.dashboards.console.placement]],
    footprints: (c) => [{ labels: c.dashboards.console.placement, figures: limits("dashboards.console", c.dashboards.console.resources) }],
  },
  {
    role: "kafkaUi",
    imageKey: "dashboards.kafkaUi.image",
    image: (c) => c.dashboards.kafkaUi.image,
    enabled: (c) => c.dashboards.kafkaUi.enabled,
    publishedPorts: (c) => [
      ["dashboards.kafkaUi.topicsPort", c.dashboards.kafkaUi.topicsPort],
      ["dashboards.kafkaUi.connectPort", c.dashboards.kafkaUi.connectPort],
    ],
    placements: noPlacement,
    footprints: () => [],
  },
  {
    role: "schemaRegistry",
    imageKey: "schemaRegistry.image",
    image: (c) => c.schemaRegistry.image,
    enabled: (c) => c.schemaRegistry.enabled,
    publishedPorts: (c) => [["schemaRegistry.port", c.schemaRegistry.port]],
    placements: noPlacement,
    footprints: (c) => [{ labels: {}, figures: memory("schemaRegistry.heapMb", c.schemaRegistry.heapMb, "MB of heap") }],
  },
  {
    role: "restProxy",
    imageKey: "restProxy.image",
    image: (c) => c.restProxy.image,
    enabled: (c) => c.restProxy.enabled,
    publishedPorts: (c) => [["restProxy.port", c.restProxy.port]],
    placements: noPlacement,
    footprints: (c) => [{ labels: {}, figures: memory("restProxy.heapMb", c.restProxy.heapMb, "MB of heap") }],
  },
] as const satisfies readonly ServiceEntry[];

export type ImageRole = (typeof serviceTable)[number]["role"];
/** Every service of the platform, in the order their images are listed. */
export const services: readonly ServiceEntry<ImageRole>[] = serviceTable;
export const imageRoles: readonly ImageRole[] = services.map((s) => s.role);

/** Services that run with this config, so that what only matters for a running service (its image, its ports) is checked for those. */
export const enabledServices = (cfg: ParsedPlatformConfig): ServiceEntry<ImageRole>[] => services.filter((s) => s.enabled(cfg));

/** Host ports every enabled service publishes, by config key. */
export function publishedPorts(cfg: ParsedPlatformConfig): [string, number][] {
  return enabledServices(cfg)
    .flatMap((s) => s.publishedPorts(cfg))
    .filter((p): p is readonly [string, number] => p[1] !== null)
    .map(([key, port]) => [key, port]);
}

/** Every placement in the config, by key. */
export const placements = (cfg: ParsedPlatformConfig): (readonly [string, Labels])[] => services.flatMap((s) => s.placements(cfg));

/** The image each service would run (the override, else the image set's default), `undefined` where none can be had. */
export type ImagesByRole = Readonly<Record<ImageRole, string | undefined>>;
