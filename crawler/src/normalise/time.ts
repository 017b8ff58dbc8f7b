/**
 * Observation times as pages print them. An explicit offset in the page wins; otherwise the source's configured
 * UTC offset applies (Korean portals print local time, KST = +09:00, without an offset).
 */
export type TimeResult = { ok: true; value: Date } | { ok: false; reason: "missing" | "bad_time"; detail: string };

// "2021-05-12T14:00:00+09:00", "2021-05-12 14:00", "2021.05.12. 14:00 기준", "2021/05/12 14:00:05"
const DATE_TIME = /(\d{4})[-./](\d{1,2})[-./](\d{1,2})\.?(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?/i;

/** Earliest time accepted: older than this is a parsing accident, not an observation. */
const EARLIEST = Date.UTC(2000, 0, 1);
/** Clocks of sources drift a little; an hour ahead of ours is the most we believe. */
const MAX_FUTURE_MS = 60 * 60 * 1000;

export function parseObservedAt(text: string | undefined, utcOffsetMinutes: number, now: Date): TimeResult {
  const cleaned = (text ?? "").trim();
  if (cleaned === "") return { ok: false, reason: "missing", detail: "no observation time" };
  const m = DATE_TIME.exec(cleaned);
  if (!m) return { ok: false, reason: "bad_time", detail: `"${cleaned.slice(0, 60)}" is not a date and time` };

  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? "0"].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const offset = m[7] === undefined ? utcOffsetMinutes : parseOffset(m[7]);
  const local = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(local);
  // Date.UTC silently rolls 2021-02-31 over to March; a page that prints that is broken.
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    return { ok: false, reason: "bad_time", detail: `"${m[0]}" is not a valid date and time` };
  }
  const utc = local - offset * 60_000;
  if (utc < EARLIEST || utc > now.getTime() + MAX_FUTURE_MS) {
    return { ok: false, reason: "bad_time", detail: `${new Date(utc).toISOString()} is implausible` };
  }
  return { ok: true, value: new Date(utc) };
}

/** "+09:00", "+0900", "Z" → minutes east of UTC. */
export function parseOffset(text: string): number {
  if (/^z$/i.test(text)) return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(text);
  if (!m) throw new Error(`bad UTC offset "${text}"`);
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === "-" ? -minutes : minutes;
}
