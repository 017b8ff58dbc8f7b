import type { CheerioAPI } from "cheerio/slim";
import type { RawFields } from "../../normalise/normalise";
import { parseWeatherPortal } from "./weather-portal";

/** A named parser returns the raw text of each field it found, or null when the page is not its layout at all. */
export type PageParser = ($: CheerioAPI) => RawFields | null;

/** Parsers selectable by name in a source's `parser` field. Add a layout here to make it configurable. */
export const PARSERS = {
  "weather-portal": parseWeatherPortal,
} as const satisfies Record<string, PageParser>;

export type ParserName = keyof typeof PARSERS;
export const PARSER_NAMES = Object.keys(PARSERS) as ParserName[];
