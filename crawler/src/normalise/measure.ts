import type { Measure } from "../observation";
import { DEFAULT_UNIT, UNITS, canonicalUnitKey } from "./units";

/**
 * Plausible ranges in canonical units. Values outside are rejected rather than clamped: a reading of 9999 µg/m³
 * is a broken sensor or a broken page, and storing it would poison every aggregate downstream. The bounds are wide
 * enough for real extremes (Asian dust storms push PM10 past 1,000 µg/m³) and fit the DECIMAL columns.
 */
export const RANGES: Record<Measure, { min: number; max: number; scale: number }> = {
  temperature: { min: -60, max: 60, scale: 2 },
  pm10: { min: 0, max: 3000, scale: 2 },
  pm25: { min: 0, max: 1500, scale: 2 },
  ozone: { min: 0, max: 1, scale: 4 },
};

/** Texts that sites print when a station has no reading; they mean "missing", not "garbage". */
const NO_READING = new Set(["", "-", "--", "—", "–", "n/a", "na", "none", "null", "점검중", "통신장애", "정보없음", "없음"]);

/** Why a measure's text was not accepted. `missing` is not an error by itself; the others are bad values. */
export type MeasureRejection = "missing" | "not_a_number" | "unknown_unit" | "out_of_range";

export type MeasureResult = { ok: true; value: number } | { ok: false; reason: MeasureRejection; detail: string };

const NUMBER_WITH_UNIT = /^([+-]?\d+(?:\.\d+)?)\s*(.*)$/;

/**
 * Parses a measure as printed on a page ("34㎍/㎥", "0.028 ppm", "77.5°F", "-3.1℃") into its canonical unit.
 * `defaultUnit` is the unit to assume when the page prints a bare number.
 */
export function parseMeasure(measure: Measure, text: string | undefined, defaultUnit?: string): MeasureResult {
  const cleaned = (text ?? "")
    .replace(/[\u00a0\u2009\u202f]/g, " ") // non-breaking and thin spaces around units
    .replace(/[\u2212\u2013]/g, "-") // typographic minus signs
    .replace(/,/g, "") // thousands separators ("1,024")
    .trim();
  if (NO_READING.has(cleaned.toLowerCase())) return { ok: false, reason: "missing", detail: "no reading" };

  const match = NUMBER_WITH_UNIT.exec(cleaned);
  if (!match) return { ok: false, reason: "not_a_number", detail: `"${truncate(cleaned)}" is not a number` };
  const raw = Number(match[1]);
  const unitText = stripQualityWords(match[2] ?? "");
  const unitKey = canonicalUnitKey(unitText) || canonicalUnitKey(defaultUnit ?? "") || DEFAULT_UNIT[measure];
  const convert = UNITS[measure][unitKey];
  if (!convert) {
    return { ok: false, reason: "unknown_unit", detail: `unit "${truncate(unitText)}" is not a ${measure} unit` };
  }

  const value = round(convert(raw), RANGES[measure].scale);
  const { min, max } = RANGES[measure];
  if (!Number.isFinite(value) || value < min || value > max) {
    return { ok: false, reason: "out_of_range", detail: `${value} is outside ${min}..${max}` };
  }
  return { ok: true, value };
}

/** Portals append a grade after the number ("34㎍/㎥ 보통" = moderate); it is not part of the unit. */
function stripQualityWords(unit: string): string {
  return unit.replace(/\s*\(?(좋음|보통|나쁨|매우\s*나쁨|good|moderate|unhealthy|very\s+unhealthy|hazardous)\)?\s*$/i, "").trim();
}

function round(value: number, scale: number): number {
  const factor = 10 ** scale;
  // Adding 0 turns -0 into 0, which would otherwise be written as "-0.00".
  return Math.round(value * factor) / factor + 0;
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
