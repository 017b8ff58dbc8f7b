import { SYNTHETIC_PREFIX, type Observation } from "../observation";
import type { Station } from "../synthetic/locations";
import { readingsAt } from "../synthetic/weather-model";

/**
 * The synthetic dataset as a numbered sequence: row n is station (n mod L) at time start + floor(n / L) × step.
 * Being a pure function of n makes it reproducible (re-running a range inserts nothing new, thanks to the unique
 * key) and resumable (a restart continues from what the table already holds).
 *
 * The defaults reproduce the paper's month: 137 stations every 3 s from 2021-05-01 is 122.7 million rows in 31
 * days, against the paper's 122,408,524.
 */
export class SyntheticSequence {
  private readonly sources: string[];

  constructor(
    readonly stations: readonly Station[],
    readonly start: Date,
    readonly stepSeconds: number,
  ) {
    this.sources = stations.map((s) => SYNTHETIC_PREFIX + s.id);
  }

  get stationCount(): number {
    return this.stations.length;
  }

  sourceOf(index: number): string {
    return this.sources[index] as string;
  }

  row(n: number): Observation {
    const count = this.stations.length;
    const station = this.stations[n % count] as Station;
    const step = Math.floor(n / count);
    const observedAt = new Date(this.start.getTime() + step * this.stepSeconds * 1000);
    const r = readingsAt(station, observedAt);
    return {
      observedAt,
      source: this.sources[n % count] as string,
      location: station.name,
      temperatureC: r.temperatureC,
      pm10Ugm3: r.pm10Ugm3,
      pm25Ugm3: r.pm25Ugm3,
      ozonePpm: r.ozonePpm,
    };
  }

  /** The step a stored observation time belongs to, or undefined if it is not on this sequence's grid. */
  stepOf(observedAt: Date): number | undefined {
    const offset = (observedAt.getTime() - this.start.getTime()) / (this.stepSeconds * 1000);
    return Number.isInteger(offset) && offset >= 0 ? offset : undefined;
  }
}
