import { loadConfig } from "../../src/config/env";
import { ConfigError } from "../../src/config/issues";

const base = {
  CRAWLER_DB_HOST: "mariadb",
  CRAWLER_DB_USER: "crawler",
  CRAWLER_DB_PASSWORD: "secret",
  CRAWLER_SOURCES: JSON.stringify([
    { name: "seoul", url: "http://127.0.0.1:8080/weather/seoul-gangnam", intervalSeconds: 3, parser: "weather-portal" },
  ]),
};

function problems(env: Record<string, string | undefined>, read?: (p: string) => string): string[] {
  try {
    loadConfig(env, read);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error("expected a ConfigError");
}

const source = (extra: Record<string, unknown>) =>
  JSON.stringify([{ name: "s", url: "http://127.0.0.1/x", intervalSeconds: 3, parser: "weather-portal", ...extra }]);

describe("loadConfig", () => {
  it("applies the documented defaults", () => {
    const c = loadConfig(base);
    expect(c.mode).toBe("crawl");
    expect(c.db).toEqual({ host: "mariadb", port: 3306, database: "testdb", user: "crawler", password: "secret", poolSize: 4 });
    expect(c.table).toBe("test");
    expect(c.http).toEqual({ host: "0.0.0.0", port: 9464 });
    expect(c.batch).toEqual({ size: 500, maxWaitMs: 1000 });
    expect(c.fetch.hostRequestsPerSecond).toBe(1);
    expect(c.load.stations).toHaveLength(137);
    expect(c.load.start.toISOString()).toBe("2021-05-01T00:00:00.000Z");
    expect(c.sources[0]).toMatchObject({
      name: "seoul",
      intervalSeconds: 3,
      extractor: { kind: "parser", parser: "weather-portal" },
      utcOffsetMinutes: 0,
    });
  });

  it("names every missing variable at once", () => {
    expect(problems({})).toEqual([
      "CRAWLER_DB_HOST: is required: the MariaDB host name",
      "CRAWLER_DB_USER: is required: the MariaDB user",
      "CRAWLER_DB_PASSWORD: is required (or CRAWLER_DB_PASSWORD_FILE with the path of a secret file)",
      "CRAWLER_SOURCES: is required in crawl mode: a JSON array of sources (or CRAWLER_SOURCES_FILE)",
    ]);
  });

  it("says what is allowed for malformed values", () => {
    expect(problems({ ...base, CRAWLER_DB_PORT: "abc", CRAWLER_MODE: "scrape", CRAWLER_TABLE: "drop table;" })).toEqual([
      'CRAWLER_MODE: must be one of: crawl, load (got "scrape")',
      'CRAWLER_DB_PORT: must be an integer from 1 to 65535 (got "abc")',
      "CRAWLER_TABLE: must be a plain table name: letters, digits and _, starting with a letter or _, at most 64 characters",
    ]);
    expect(problems({ ...base, CRAWLER_HOST_RATE_PER_SECOND: "0" })).toEqual([
      'CRAWLER_HOST_RATE_PER_SECOND: must be a number from 0.001 to 10000 (got "0")',
    ]);
  });

  it("reads the password from a secret file, without its trailing newline", () => {
    const env = { ...base, CRAWLER_DB_PASSWORD: undefined, CRAWLER_DB_PASSWORD_FILE: "/run/secrets/db" };
    expect(loadConfig(env, () => "s3cret\n").db.password).toBe("s3cret");
    expect(problems({ ...base, CRAWLER_DB_PASSWORD_FILE: "/run/secrets/db" })).toEqual([
      "CRAWLER_DB_PASSWORD / CRAWLER_DB_PASSWORD_FILE: set only one of them",
    ]);
    const missing = problems(env, () => {
      throw new Error("ENOENT: no such file");
    });
    expect(missing).toEqual(['CRAWLER_DB_PASSWORD_FILE: cannot read "/run/secrets/db": ENOENT: no such file']);
  });

  it("validates sources field by field", () => {
    expect(problems({ ...base, CRAWLER_SOURCES: "[{" })[0]).toMatch(/^CRAWLER_SOURCES: is not valid JSON/);
    expect(problems({ ...base, CRAWLER_SOURCES: "{}" })).toEqual(["CRAWLER_SOURCES: must be a JSON array of sources"]);
    expect(problems({ ...base, CRAWLER_SOURCES: source({ parser: "nope" }) })).toEqual([
      "CRAWLER_SOURCES[0].parser: must be one of: weather-portal",
    ]);
    expect(problems({ ...base, CRAWLER_SOURCES: source({ selectors: { observedAt: "time" } }) })).toEqual([
      'CRAWLER_SOURCES[0]: set exactly one of "parser" (one of: weather-portal) or "selectors"',
    ]);
    expect(problems({ ...base, CRAWLER_SOURCES: source({ url: "ftp://x/y", intervalSeconds: 0 }) })).toEqual([
      "CRAWLER_SOURCES[0].url: must be an absolute http:// or https:// URL",
      "CRAWLER_SOURCES[0].intervalSeconds: must be at least 0.05 seconds",
    ]);
    expect(problems({ ...base, CRAWLER_SOURCES: source({ units: { ozone: "mg/L" }, utcOffset: "KST" }) })).toEqual([
      'CRAWLER_SOURCES[0].utcOffset: must be a UTC offset like "+09:00", "-05:00" or "Z"',
      "CRAWLER_SOURCES[0].units.ozone: is not a ozone unit; allowed: ppm, ppb",
    ]);
    expect(problems({ ...base, CRAWLER_SOURCES: source({ intervalSecond: 3 }) })[0]).toMatch(
      /^CRAWLER_SOURCES\[0\]: Unrecognized key.*intervalSecond/,
    );
    expect(problems({ ...base, CRAWLER_SOURCES: source({ name: "synthetic:x" }) })).toEqual([
      'CRAWLER_SOURCES[0].name: must not start with "synthetic:" (reserved for load mode)',
    ]);
    const twice = JSON.stringify([JSON.parse(source({}))[0], JSON.parse(source({}))[0]]);
    expect(problems({ ...base, CRAWLER_SOURCES: twice })).toEqual(['CRAWLER_SOURCES[1].name: duplicates another source\'s name "s"']);
  });

  it("requires what a selector source needs to make a row", () => {
    const sel = JSON.stringify([{ name: "t", url: "http://127.0.0.1/t", intervalSeconds: 3, selectors: { pm10: "#pm10" } }]);
    expect(problems({ ...base, CRAWLER_SOURCES: sel })).toEqual([
      "CRAWLER_SOURCES[0].selectors.observedAt: is required: where the observation time is",
      'CRAWLER_SOURCES[0].selectors.location: is required unless the source sets "location"',
    ]);
    const ok = JSON.stringify([
      {
        name: "t",
        url: "http://127.0.0.1/t",
        intervalSeconds: 3,
        location: "Busan",
        utcOffset: "+09:00",
        optional: ["ozone"],
        units: { ozone: "ppb" },
        selectors: { observedAt: { selector: "#obs", attr: "data-utc" }, pm10: "#pm10" },
      },
    ]);
    const [s] = loadConfig({ ...base, CRAWLER_SOURCES: ok }).sources;
    expect(s).toMatchObject({
      location: "Busan",
      utcOffsetMinutes: 540,
      units: { ozone: "ppb" },
      extractor: { kind: "selectors", selectors: { observedAt: { selector: "#obs", attr: "data-utc" }, pm10: { selector: "#pm10" } } },
    });
    expect([...(s?.optional ?? [])]).toEqual(["ozone"]);
  });

  it("needs no sources in load mode and accepts named locations", () => {
    const c = loadConfig({ ...base, CRAWLER_SOURCES: undefined, CRAWLER_MODE: "load", CRAWLER_LOAD_LOCATIONS: "Seoul, Busan" });
    expect(c.sources).toEqual([]);
    expect(c.load.stations.map((s) => s.id)).toEqual(["Seoul", "Busan"]);
    expect(problems({ ...base, CRAWLER_MODE: "load", CRAWLER_LOAD_START: "yesterday" })).toEqual([
      'CRAWLER_LOAD_START: must be an ISO 8601 time like 2021-05-01T00:00:00Z (got "yesterday")',
    ]);
  });
});
