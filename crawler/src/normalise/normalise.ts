import { MEASURES, type Measure, type Observation, type PageField } from "../observation";
import { parseMeasure, type MeasureRejection } from "./measure";
import { parseObservedAt } from "./time";

/** Text of each field as found on a page, before any interpretation. Absent = not found on the page. */
export type RawFields = Partial<Record<PageField, string>>;

export interface NormaliseOptions {
  source: string;
  /** Configured location; wins over the page's (a team knows which station a URL is). */
  location?: string;
  utcOffsetMinutes: number;
  /** Measures a page may lack (e.g. a station without an ozone sensor); the others are required. */
  optional: ReadonlySet<Measure>;
  /** Units to assume for bare numbers, per measure. */
  units: Partial<Record<Measure, string>>;
  now: Date;
}

export interface ValueRejection {
  field: Measure;
  reason: Exclude<MeasureRejection, "missing">;
  detail: string;
}

export type NormaliseResult =
  | { ok: true; observation: Observation }
  /** The page lacks what makes it an observation (time, location, a required measure). */
  | { ok: false; kind: "parse"; reason: string; detail: string }
  /** The page has the fields but some values are unusable (garbage, unknown unit, out of range). */
  | { ok: false; kind: "value"; rejections: ValueRejection[] };

const MAX_LOCATION = 100; // the column is VARCHAR(100)

/**
 * Turns raw page text into a row, or says exactly why not. A row is written only when every required field is
 * valid: a page with one bad value is skipped whole, because a half-understood page is more likely a changed
 * layout than a real reading, and the next poll will bring a fresh observation anyway.
 */
export function normalise(raw: RawFields, opts: NormaliseOptions): NormaliseResult {
  const time = parseObservedAt(raw.observedAt, opts.utcOffsetMinutes, opts.now);
  if (!time.ok) return { ok: false, kind: "parse", reason: `${time.reason}_observed_at`, detail: time.detail };

  const location = (opts.location ?? raw.location ?? "").replace(/\s+/g, " ").trim();
  if (location === "") return { ok: false, kind: "parse", reason: "missing_location", detail: "no location" };
  if (location.length > MAX_LOCATION) {
    return { ok: false, kind: "parse", reason: "bad_location", detail: `location longer than ${MAX_LOCATION}` };
  }

  const values: Record<Measure, number | null> = { temperature: null, pm10: null, pm25: null, ozone: null };
  const missing: Measure[] = [];
  const rejections: ValueRejection[] = [];
  for (const measure of MEASURES) {
    const result = parseMeasure(measure, raw[measure], opts.units[measure]);
    if (result.ok) values[measure] = result.value;
    else if (result.reason === "missing") {
      if (!opts.optional.has(measure)) missing.push(measure);
    } else rejections.push({ field: measure, reason: result.reason, detail: result.detail });
  }
  if (missing.length > 0) {
    return { ok: false, kind: "parse", reason: `missing_${missing[0]}`, detail: `missing ${missing.join(", ")}` };
  }
  if (rejections.length > 0) return { ok: false, kind: "value", rejections };
  if (MEASURES.every((m) => values[m] === null)) {
    return { ok: false, kind: "parse", reason: "no_measures", detail: "no measure on the page" };
  }

  return {
    ok: true,
    observation: {
      observedAt: time.value,
      source: opts.source,
      location,
      temperatureC: values.temperature,
      pm10Ugm3: values.pm10,
      pm25Ugm3: values.pm25,
      ozonePpm: values.ozone,
    },
  };
}
