/**
 * Durations as the docker provider takes them ("10s", "1m30s", "500ms", "1h"; Go's time.ParseDuration syntax without
 * a sign) and as the Docker API wants them (integer nanoseconds).
 */

const UNIT_NANOS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  "µs": 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

const DURATION_PATTERN = /^(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h)(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))*$/;

/** What a message says a duration must look like. */
const DURATION_HINT = `a duration such as "10s", "1m30s" or "500ms"`;

/** Nanoseconds of a duration string, or undefined when it is not one. "0" alone is accepted (Go accepts it too). */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  if (s === "0") return 0;
  if (!DURATION_PATTERN.test(s)) return undefined;
  let total = 0;
  const part = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g;
  for (let m = part.exec(s); m !== null; m = part.exec(s)) {
    total += parseFloat(m[1]) * UNIT_NANOS[m[2]];
  }
  return Math.round(total);
}

/** Nanoseconds of a duration string; throws naming the field when it is not one (check prevents that). */
export function durationNanos(field: string, text: string): number {
  const nanos = parseDuration(text);
  if (nanos === undefined) throw new Error(`${field} must be ${DURATION_HINT}, got ${JSON.stringify(text)}`);
  return nanos;
}

/** Nanoseconds of an optional duration (undefined stays undefined). */
export function optionalNanos(field: string, text: unknown): number | undefined {
  return typeof text === "string" ? durationNanos(field, text) : undefined;
}

export { DURATION_HINT };
