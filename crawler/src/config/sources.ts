import { z } from "zod";
import { PARSER_NAMES, type ParserName } from "../extract/parsers";
import type { FieldSelector, SelectorMap } from "../extract/selectors";
import { MEASURES, PAGE_FIELDS, SYNTHETIC_PREFIX, type Measure } from "../observation";
import { parseOffset } from "../normalise/time";
import { canonicalUnitKey, knownUnits, UNITS } from "../normalise/units";

/** A page to poll, validated and resolved from one element of CRAWLER_SOURCES. */
export interface SourceConfig {
  name: string;
  url: string;
  intervalSeconds: number;
  extractor: { kind: "parser"; parser: ParserName } | { kind: "selectors"; selectors: SelectorMap };
  location?: string;
  utcOffsetMinutes: number;
  optional: ReadonlySet<Measure>;
  units: Partial<Record<Measure, string>>;
}

const fieldSelector = z.union(
  [
    z.string().min(1),
    z.strictObject({
      selector: z.string({ error: "must be a CSS selector string" }).min(1, { error: "must not be empty" }),
      attr: z.string({ error: "must be an attribute name" }).min(1).optional(),
    }),
  ],
  { error: 'must be a CSS selector string or {"selector": "...", "attr": "..."}' },
);

const selectorShape = Object.fromEntries(PAGE_FIELDS.map((f) => [f, fieldSelector.optional()])) as Record<
  (typeof PAGE_FIELDS)[number],
  z.ZodOptional<typeof fieldSelector>
>;

const unitsShape = Object.fromEntries(
  MEASURES.map((m) => [
    m,
    z
      .string({ error: `must be a unit string, one of: ${knownUnits(m).join(", ")}` })
      .refine((u) => UNITS[m][canonicalUnitKey(u)] !== undefined, {
        error: `is not a ${m} unit; allowed: ${knownUnits(m).join(", ")}`,
      })
      .optional(),
  ]),
) as Record<Measure, z.ZodOptional<z.ZodString>>;

const sourceSchema = z
  .strictObject({
    name: z
      .string({ error: "is required: a unique name for the source, stored in the `source` column" })
      .regex(/^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,190}$/, {
        error: "must be 1-191 characters of letters, digits and . _ : @ / - starting with a letter or digit",
      })
      .refine((n) => !n.startsWith(SYNTHETIC_PREFIX), { error: `must not start with "${SYNTHETIC_PREFIX}" (reserved for load mode)` }),
    url: z
      .string({ error: "is required: the http(s) URL of the page" })
      .refine(isHttpUrl, { error: "must be an absolute http:// or https:// URL" }),
    intervalSeconds: z
      .number({ error: "is required: seconds between polls, a number from 0.05 to 86400" })
      .min(0.05, { error: "must be at least 0.05 seconds" })
      .max(86400, { error: "must be at most 86400 seconds (a day)" }),
    parser: z
      .enum(PARSER_NAMES as [ParserName, ...ParserName[]], {
        error: `must be one of: ${PARSER_NAMES.join(", ")}`,
      })
      .optional(),
    selectors: z.strictObject(selectorShape, { error: "must be an object mapping fields to CSS selectors" }).optional(),
    location: z.string({ error: "must be a string" }).trim().min(1).max(100, { error: "must be at most 100 characters" }).optional(),
    utcOffset: z
      .string({ error: 'must be a UTC offset like "+09:00" or "Z"' })
      .regex(/^(Z|[+-](0\d|1[0-4]):[0-5]\d)$/, { error: 'must be a UTC offset like "+09:00", "-05:00" or "Z"' })
      .default("+00:00"),
    optional: z
      .array(z.enum(MEASURES, { error: `must be one of: ${MEASURES.join(", ")}` }), { error: "must be an array of measure names" })
      .default([]),
    units: z.strictObject(unitsShape, { error: "must be an object mapping measures to units" }).default({}),
  })
  .superRefine((s, ctx) => {
    if ((s.parser === undefined) === (s.selectors === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: [],
        message: `set exactly one of "parser" (one of: ${PARSER_NAMES.join(", ")}) or "selectors"`,
      });
    }
    if (s.selectors && s.parser === undefined) {
      if (!s.selectors.observedAt) {
        ctx.addIssue({ code: "custom", path: ["selectors", "observedAt"], message: "is required: where the observation time is" });
      }
      if (!s.selectors.location && s.location === undefined) {
        ctx.addIssue({ code: "custom", path: ["selectors", "location"], message: 'is required unless the source sets "location"' });
      }
      if (!MEASURES.some((m) => s.selectors?.[m])) {
        ctx.addIssue({ code: "custom", path: ["selectors"], message: `must select at least one of: ${MEASURES.join(", ")}` });
      }
    }
  });

const sourcesSchema = z
  .array(sourceSchema, { error: "must be a JSON array of sources" })
  .min(1, { error: "must list at least one source" })
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((s, i) => {
      if (seen.has(s.name)) ctx.addIssue({ code: "custom", path: [i, "name"], message: `duplicates another source's name "${s.name}"` });
      seen.add(s.name);
    });
  });

export type SourcesParse = { ok: true; sources: SourceConfig[] } | { ok: false; error: z.ZodError };

export function parseSources(json: unknown): SourcesParse {
  const result = sourcesSchema.safeParse(json);
  if (!result.success) return { ok: false, error: result.error };
  return {
    ok: true,
    sources: result.data.map((s) => ({
      name: s.name,
      url: s.url,
      intervalSeconds: s.intervalSeconds,
      extractor: s.parser ? { kind: "parser", parser: s.parser } : { kind: "selectors", selectors: resolveSelectors(s.selectors ?? {}) },
      ...(s.location !== undefined ? { location: s.location } : {}),
      utcOffsetMinutes: parseOffset(s.utcOffset),
      optional: new Set(s.optional),
      units: Object.fromEntries(Object.entries(s.units).filter(([, u]) => u !== undefined)) as Partial<Record<Measure, string>>,
    })),
  };
}

function resolveSelectors(raw: Partial<Record<string, string | { selector: string; attr?: string | undefined }>>): SelectorMap {
  const out: SelectorMap = {};
  for (const field of PAGE_FIELDS) {
    const spec = raw[field];
    if (spec === undefined) continue;
    const resolved: FieldSelector =
      typeof spec === "string"
        ? { selector: spec }
        : spec.attr
          ? { selector: spec.selector, attr: spec.attr }
          : { selector: spec.selector };
    out[field] = resolved;
  }
  return out;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}
