import type { Station } from "./locations";

/**
 * A deterministic weather model: the same station and time always give the same readings. The fixture site and
 * load mode both use it, so tests can predict what a page shows and synthetic data has realistic shape (seasonal
 * and daily cycles, smooth weather fronts, dust episodes, afternoon ozone peaks) without any randomness to seed.
 */
export interface Readings {
  temperatureC: number;
  pm10Ugm3: number;
  pm25Ugm3: number;
  ozonePpm: number;
}

const HOUR_MS = 3_600_000;
const KST_OFFSET_HOURS = 9;

export function readingsAt(station: Station, at: Date): Readings {
  const seed = hash32(station.id);
  const hours = at.getTime() / HOUR_MS;
  const localHour = (((hours + KST_OFFSET_HOURS) % 24) + 24) % 24;
  const dayOfYear = (((hours / 24) % 365.2425) + 365.2425) % 365.2425;

  const seasonal = 12.5 - 14 * Math.cos((2 * Math.PI * (dayOfYear - 15)) / 365.2425);
  const daily = 5 * Math.sin((2 * Math.PI * (localHour - 9)) / 24);
  const front = 6 * (smoothNoise(seed, hours / 30) - 0.5);
  const temperatureC = round(seasonal + station.temperatureOffset + daily + front, 1);

  const dust = Math.exp(2.2 * (smoothNoise(seed ^ 0x5bd1e995, hours / 20) - 0.5));
  const rushHour = 1 + 0.15 * Math.sin((2 * Math.PI * (localHour - 5)) / 12);
  const pm10Ugm3 = Math.max(3, Math.round(38 * station.pollution * dust * rushHour));
  const fineShare = 0.4 + 0.2 * smoothNoise(seed ^ 0x27d4eb2d, hours / 8);
  const pm25Ugm3 = Math.max(1, Math.round(pm10Ugm3 * fineShare));

  const sun = Math.max(0, Math.sin((2 * Math.PI * (localHour - 8)) / 24));
  const ozonePpm = round(0.008 + 0.045 * sun * (0.6 + 0.8 * smoothNoise(seed ^ 0x165667b1, hours / 10)), 3);

  return { temperatureC, pm10Ugm3, pm25Ugm3, ozonePpm };
}

/** Value noise in [0, 1): random at integers, smoothly interpolated between them. */
function smoothNoise(seed: number, x: number): number {
  const i = Math.floor(x);
  const f = x - i;
  const t = f * f * (3 - 2 * f);
  return lattice(seed, i) * (1 - t) + lattice(seed, i + 1) * t;
}

function lattice(seed: number, i: number): number {
  let h = (seed ^ Math.imul(i | 0, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/** FNV-1a, to turn a station id into a stable seed. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f + 0;
}
