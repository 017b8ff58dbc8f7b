/** One validated row of the observations table, in canonical units. */
export interface Observation {
  /** When the source says the observation was made (UTC). */
  observedAt: Date;
  /** Configured source name; synthetic rows carry the prefix {@link SYNTHETIC_PREFIX}. */
  source: string;
  location: string;
  temperatureC: number | null;
  pm10Ugm3: number | null;
  pm25Ugm3: number | null;
  ozonePpm: number | null;
}

/** Marks rows made up by load mode, so analysis and the benchmarks can tell them from crawled data. */
export const SYNTHETIC_PREFIX = "synthetic:";

/** The four measures a page can carry, by their configuration names. */
export const MEASURES = ["temperature", "pm10", "pm25", "ozone"] as const;
export type Measure = (typeof MEASURES)[number];

/** Every field a page parser or selector map can provide. */
export const PAGE_FIELDS = ["observedAt", "location", ...MEASURES] as const;
export type PageField = (typeof PAGE_FIELDS)[number];
