import { load } from "cheerio/slim";
import type { SourceConfig } from "../config/sources";
import type { RawFields } from "../normalise/normalise";
import { PARSERS } from "./parsers";
import { extractWithSelectors } from "./selectors";

/**
 * Runs a source's extractor over a page. cheerio's slim build (htmlparser2) is used: it is several times faster
 * than the parse5 build, tolerant of the tag soup real sites serve, and we only read text and attributes.
 * Returns null when the page is not the expected layout at all.
 */
export function extractFields(html: string, extractor: SourceConfig["extractor"]): RawFields | null {
  const $ = load(html);
  return extractor.kind === "parser" ? PARSERS[extractor.parser]($) : extractWithSelectors($, extractor.selectors);
}
