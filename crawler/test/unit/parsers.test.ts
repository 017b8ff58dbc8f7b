import { maintenancePage, portalPage, stationTablePage } from "../../fixtures/pages";
import { parseSources, type SourceConfig } from "../../src/config/sources";
import { extractFields } from "../../src/extract/extract";
import { normalise, type NormaliseResult } from "../../src/normalise/normalise";
import { findStation, type Station } from "../../src/synthetic/locations";
import { readingsAt } from "../../src/synthetic/weather-model";

const at = new Date("2021-05-12T05:00:03Z");
const now = new Date("2021-05-12T05:00:05Z");
const gangnam = findStation("seoul-gangnam") as Station;

function source(json: Record<string, unknown>): SourceConfig {
  const r = parseSources([{ name: "s", url: "http://127.0.0.1/x", intervalSeconds: 3, ...json }]);
  if (!r.ok) throw r.error;
  return r.sources[0] as SourceConfig;
}

function run(html: string, s: SourceConfig): NormaliseResult {
  const raw = extractFields(html, s.extractor);
  if (raw === null) return { ok: false, kind: "parse", reason: "layout_not_found", detail: "" };
  return normalise(raw, {
    source: s.name,
    ...(s.location !== undefined ? { location: s.location } : {}),
    utcOffsetMinutes: s.utcOffsetMinutes,
    optional: s.optional,
    units: s.units,
    now,
  });
}

const portal = source({ parser: "weather-portal" });

describe("weather-portal parser", () => {
  it("reads the Korean page exactly as the model wrote it", () => {
    const r = readingsAt(gangnam, at);
    expect(run(portalPage(gangnam, at, "ko"), portal)).toEqual({
      ok: true,
      observation: {
        observedAt: at,
        source: "s",
        location: "서울특별시 강남구 역삼동",
        temperatureC: r.temperatureC,
        pm10Ugm3: r.pm10Ugm3,
        pm25Ugm3: r.pm25Ugm3,
        ozonePpm: r.ozonePpm,
      },
    });
  });

  it("reads the English edition, converting °F and ppb, with the source's UTC offset for the bare time", () => {
    const r = readingsAt(gangnam, at);
    const result = run(portalPage(gangnam, at, "en"), source({ parser: "weather-portal", utcOffset: "+09:00" }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.observation.observedAt).toEqual(at);
    expect(result.observation.temperatureC).toBeCloseTo(r.temperatureC, 1);
    expect(result.observation.pm10Ugm3).toBe(r.pm10Ugm3);
    expect(result.observation.ozonePpm).toBeCloseTo(r.ozonePpm, 3);
  });

  it("gives the reason a broken page is skipped", () => {
    expect(run(portalPage(gangnam, at, "ko", { airList: false }), portal)).toEqual({
      ok: false,
      kind: "parse",
      reason: "missing_pm10",
      detail: "missing pm10, pm25, ozone",
    });
    expect(run(portalPage(gangnam, at, "ko", { observedAt: null }), portal)).toMatchObject({
      kind: "parse",
      reason: "missing_observed_at",
    });
    expect(run(maintenancePage(), portal)).toMatchObject({ kind: "parse", reason: "layout_not_found" });
    expect(run(portalPage(gangnam, at, "ko", { pm10: "abc", temperature: "??" }), portal)).toMatchObject({
      kind: "value",
      rejections: [
        { field: "temperature", reason: "not_a_number" },
        { field: "pm10", reason: "not_a_number" },
      ],
    });
    expect(run(portalPage(gangnam, at, "ko", { pm10: "99999", ozone: "3.5" }), portal)).toMatchObject({
      kind: "value",
      rejections: [
        { field: "pm10", reason: "out_of_range" },
        { field: "ozone", reason: "out_of_range" },
      ],
    });
  });

  it("stores NULL for a missing optional measure, but never a row of nulls", () => {
    const page = portalPage(gangnam, at, "ko", { ozone: "점검중" });
    expect(run(page, portal)).toMatchObject({ ok: false, kind: "parse", reason: "missing_ozone" });
    expect(run(page, source({ parser: "weather-portal", optional: ["ozone"] }))).toMatchObject({
      ok: true,
      observation: { ozonePpm: null },
    });
    const empty = portalPage(gangnam, at, "ko", { airList: false, temperature: null });
    expect(run(empty, source({ parser: "weather-portal", optional: ["temperature", "pm10", "pm25", "ozone"] }))).toMatchObject({
      ok: false,
      reason: "no_measures",
    });
  });
});

describe("selector sources", () => {
  const table = source({
    selectors: {
      observedAt: { selector: "#obs-time", attr: "data-utc" },
      location: "#stn-name",
      temperature: "#temp",
      pm10: "#pm10",
      pm25: "#pm25",
      ozone: "#o3",
    },
    units: { ozone: "ppb" },
  });

  it("extracts a team's own layout with CSS selectors and configured units", () => {
    const busan = findStation("busan-haeundae") as Station;
    const r = readingsAt(busan, at);
    expect(run(stationTablePage(busan, at), table)).toEqual({
      ok: true,
      observation: {
        observedAt: at,
        source: "s",
        location: busan.name,
        temperatureC: r.temperatureC,
        pm10Ugm3: r.pm10Ugm3,
        pm25Ugm3: r.pm25Ugm3,
        ozonePpm: r.ozonePpm,
      },
    });
  });

  it("reports a page where no selector matches as an unknown layout", () => {
    expect(run(maintenancePage(), table)).toMatchObject({ kind: "parse", reason: "layout_not_found" });
  });
});
