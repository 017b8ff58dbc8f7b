import type { CheerioAPI } from "cheerio/slim";
import type { PageField } from "../observation";
import type { RawFields } from "../normalise/normalise";

/** Where to find one field: a CSS selector, optionally reading an attribute instead of the text. */
export interface FieldSelector {
  selector: string;
  attr?: string;
}

export type SelectorMap = Partial<Record<PageField, FieldSelector>>;

/**
 * Extraction for teams' own pages without writing code: each field is the first match of its selector. Returns
 * null when no selector matches anything, which almost always means the layout changed, not that all is missing.
 */
export function extractWithSelectors($: CheerioAPI, selectors: SelectorMap): RawFields | null {
  const fields: RawFields = {};
  let matched = 0;
  for (const [field, spec] of Object.entries(selectors) as [PageField, FieldSelector][]) {
    const node = $(spec.selector).first();
    if (node.length === 0) continue;
    matched++;
    const text = spec.attr ? node.attr(spec.attr) : node.text();
    if (text !== undefined) fields[field] = text;
  }
  return matched === 0 ? null : fields;
}
