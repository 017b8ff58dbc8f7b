import { parseObservedAt, parseOffset } from "../../src/normalise/time";

const now = new Date("2021-05-12T06:00:00Z");
const kst = 540;

describe("parseObservedAt", () => {
  it.each([
    ["2021-05-12T14:00:00+09:00", 0, "2021-05-12T05:00:00.000Z"],
    ["2021-05-12T05:00:00Z", kst, "2021-05-12T05:00:00.000Z"],
    ["2021.05.12. 14:00 기준", kst, "2021-05-12T05:00:00.000Z"],
    ["Observed 2021-05-12 14:00:03 KST", kst, "2021-05-12T05:00:03.000Z"],
    ["2021/05/12 05:00", 0, "2021-05-12T05:00:00.000Z"],
    ["2021-05-12 01:00 -0400", kst, "2021-05-12T05:00:00.000Z"],
  ])("%j with offset %d → %s", (text, offset, iso) => {
    expect(parseObservedAt(text, offset, now)).toEqual({ ok: true, value: new Date(iso) });
  });

  it("reports missing and malformed times", () => {
    expect(parseObservedAt(undefined, 0, now)).toMatchObject({ ok: false, reason: "missing" });
    expect(parseObservedAt("   ", 0, now)).toMatchObject({ ok: false, reason: "missing" });
    expect(parseObservedAt("yesterday at noon", 0, now)).toMatchObject({ ok: false, reason: "bad_time" });
    expect(parseObservedAt("2021-02-31 10:00", 0, now)).toMatchObject({ ok: false, reason: "bad_time" });
    expect(parseObservedAt("2021-05-12 25:00", 0, now)).toMatchObject({ ok: false, reason: "bad_time" });
  });

  it("refuses implausible times (far future, before 2000)", () => {
    expect(parseObservedAt("2021-05-12 08:00", 0, now)).toMatchObject({ ok: false, reason: "bad_time" });
    expect(parseObservedAt("2021-05-12 06:59", 0, now)).toMatchObject({ ok: true });
    expect(parseObservedAt("1999-12-31 23:59", 0, now)).toMatchObject({ ok: false, reason: "bad_time" });
  });

  it("parses offsets", () => {
    expect(parseOffset("Z")).toBe(0);
    expect(parseOffset("+09:00")).toBe(540);
    expect(parseOffset("-0330")).toBe(-210);
    expect(() => parseOffset("KST")).toThrow();
  });
});
