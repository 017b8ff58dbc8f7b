import { SyntheticSequence } from "../../src/load/synthetic";
import { RANGES } from "../../src/normalise/measure";
import { stationCatalogue, STATIONS } from "../../src/synthetic/locations";

describe("SyntheticSequence", () => {
  const seq = new SyntheticSequence(stationCatalogue(137), new Date("2021-05-01T00:00:00Z"), 3);

  it("is a pure function of the row number, marked synthetic", () => {
    expect(seq.row(12345)).toEqual(seq.row(12345));
    const r = seq.row(137 * 10 + 5);
    expect(r.source).toBe(`synthetic:${stationCatalogue(137)[5]?.id}`);
    expect(r.observedAt.toISOString()).toBe("2021-05-01T00:00:30.000Z");
    expect(seq.stepOf(r.observedAt)).toBe(10);
    expect(seq.stepOf(new Date("2021-05-01T00:00:31Z"))).toBeUndefined();
  });

  it("names stations uniquely beyond the built-in list", () => {
    const names = stationCatalogue(137).map((s) => s.id);
    expect(new Set(names).size).toBe(137);
    expect(names[STATIONS.length]).toBe(`${STATIONS[0]?.id}-2`);
  });

  it("stays within the accepted ranges over a month (one row per station-hour)", () => {
    const perHour = 137 * 1200;
    for (let n = 0; n < perHour * 24 * 31; n += perHour + 7) {
      const r = seq.row(n);
      expect(r.temperatureC).toBeGreaterThanOrEqual(RANGES.temperature.min);
      expect(r.temperatureC).toBeLessThanOrEqual(RANGES.temperature.max);
      expect(r.pm10Ugm3).toBeGreaterThan(0);
      expect(r.pm10Ugm3).toBeLessThanOrEqual(RANGES.pm10.max);
      expect(r.pm25Ugm3).toBeLessThanOrEqual(r.pm10Ugm3 as number);
      expect(r.ozonePpm).toBeGreaterThan(0);
      expect(r.ozonePpm).toBeLessThan(0.2);
    }
  });
});
