import { parseMeasure } from "../../src/normalise/measure";

describe("parseMeasure", () => {
  it.each([
    ["pm10", "34㎍/㎥", 34],
    ["pm10", "34 µg/m³", 34],
    ["pm10", "34μg/m3", 34],
    ["pm10", "34 ug/m3 보통", 34],
    ["pm25", "0.018 mg/m³", 18],
    ["pm25", "0.0185㎎/㎥", 18.5],
    ["ozone", "0.028ppm", 0.028],
    ["ozone", "28 ppb", 0.028],
    ["temperature", "25.3°", 25.3],
    ["temperature", "-3.1℃", -3.1],
    ["temperature", "\u22123.1 °C", -3.1],
    ["temperature", "77.5°F", 25.28],
    ["temperature", "25", 25],
    ["pm10", "1,024", 1024],
  ] as const)("%s %j → %d", (measure, text, expected) => {
    expect(parseMeasure(measure, text)).toEqual({ ok: true, value: expected });
  });

  it("uses the configured unit for bare numbers", () => {
    expect(parseMeasure("ozone", "28", "ppb")).toEqual({ ok: true, value: 0.028 });
    expect(parseMeasure("ozone", "0.028 ppm", "ppb")).toEqual({ ok: true, value: 0.028 });
  });

  it.each(["", "-", "—", "점검중", "통신장애", "N/A", undefined])("treats %j as missing", (text) => {
    expect(parseMeasure("pm10", text)).toMatchObject({ ok: false, reason: "missing" });
  });

  it("rejects garbage, unknown units and out-of-range values with a reason", () => {
    expect(parseMeasure("pm10", "abc")).toMatchObject({ ok: false, reason: "not_a_number", detail: '"abc" is not a number' });
    expect(parseMeasure("ozone", "28 mg/L")).toMatchObject({
      ok: false,
      reason: "unknown_unit",
      detail: 'unit "mg/L" is not a ozone unit',
    });
    expect(parseMeasure("pm10", "34 ppm")).toMatchObject({ ok: false, reason: "unknown_unit" });
    expect(parseMeasure("pm10", "99999")).toMatchObject({ ok: false, reason: "out_of_range", detail: "99999 is outside 0..3000" });
    expect(parseMeasure("pm25", "18㎎/㎥")).toMatchObject({ ok: false, reason: "out_of_range", detail: "18000 is outside 0..1500" });
    expect(parseMeasure("pm10", "-1")).toMatchObject({ ok: false, reason: "out_of_range" });
    expect(parseMeasure("ozone", "3.5")).toMatchObject({ ok: false, reason: "out_of_range" });
    expect(parseMeasure("temperature", "71 °C")).toMatchObject({ ok: false, reason: "out_of_range" });
  });

  it("rounds to the column's scale and never yields -0", () => {
    expect(parseMeasure("ozone", "0.02849 ppm")).toEqual({ ok: true, value: 0.0285 });
    expect(parseMeasure("temperature", "-0.001")).toEqual({ ok: true, value: 0 });
    expect(Object.is((parseMeasure("temperature", "-0.001") as { value: number }).value, -0)).toBe(false);
  });
});
