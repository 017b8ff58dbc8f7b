import type { Measure } from "../observation";

/**
 * Units the crawler understands, per measure, with the factor to the canonical unit of the table column
 * (°C, µg/m³, ppm). Pages write units in many ways (Korean portals use the CJK compatibility signs ㎍/㎥), so
 * spellings are folded to one key first by {@link canonicalUnitKey}.
 */
export type UnitConversion = (value: number) => number;

const identity: UnitConversion = (v) => v;

export const UNITS: Record<Measure, Record<string, UnitConversion>> = {
  temperature: {
    c: identity,
    f: (v) => ((v - 32) * 5) / 9,
    k: (v) => v - 273.15,
  },
  pm10: { "ug/m3": identity, "mg/m3": (v) => v * 1000 },
  pm25: { "ug/m3": identity, "mg/m3": (v) => v * 1000 },
  ozone: { ppm: identity, ppb: (v) => v / 1000 },
};

/** The unit assumed when a page prints a bare number and the source configures none. */
export const DEFAULT_UNIT: Record<Measure, string> = {
  temperature: "c",
  pm10: "ug/m3",
  pm25: "ug/m3",
  ozone: "ppm",
};

/** Folds the many spellings of a unit ("㎍/㎥", "µg/m³", "ug/m3", "℃", "°C") to one lower-case key. */
export function canonicalUnitKey(raw: string): string {
  const folded = raw
    .normalize("NFKC") // ㎍ → μg, ㎥ → m3, ℃ → °C, ³ → 3
    .toLowerCase()
    .replace(/\s+/g, "")
    .replace(/[μµ]/g, "u")
    .replace(/³/g, "3")
    .replace(/^°|^º|^deg(rees?)?/, "");
  return folded === "" ? "" : folded;
}

export function knownUnits(measure: Measure): string[] {
  return Object.keys(UNITS[measure]);
}
