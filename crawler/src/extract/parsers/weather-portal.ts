import type { CheerioAPI } from "cheerio/slim";
import type { RawFields } from "../../normalise/normalise";

/**
 * Parser for the "weather portal" page layout: the current-conditions card of Korean portal weather pages, the kind
 * of page the paper crawled (location heading, "기준" observation time, current temperature, and an air-quality
 * list of 미세먼지 / 초미세먼지 / 오존). English editions of the same layout label the list "Fine dust (PM10)",
 * "Ultrafine dust (PM2.5)" and "Ozone" and print °F and ppb; units are handled by the normaliser.
 *
 * Air-quality items are matched by their label, not their position, because portals reorder and insert items
 * (UV index, sunset) without notice; only the card's class names are assumed.
 */
export function parseWeatherPortal($: CheerioAPI): RawFields | null {
  const card = $(".weather_now").first();
  if (card.length === 0) return null;

  const fields: RawFields = {};
  const location = card.find(".location_name").first().text();
  if (location.trim() !== "") fields.location = location;

  // A machine-readable <time datetime> carries the offset; the visible text ("05.12.(수) 14:00") has no year.
  const time = card.find(".obs_time time").first();
  const observedAt = time.attr("datetime") ?? card.find(".obs_time").first().text();
  if (observedAt.trim() !== "") fields.observedAt = observedAt;

  const temperature = card.find(".temperature_text strong").first().clone();
  temperature.find(".blind").remove(); // screen-reader label "현재 온도" inside the number's element
  if (temperature.length > 0) fields.temperature = temperature.text();

  card.find(".today_chart_list .item_today").each((_, item) => {
    const label = $(item).find(".title").first().text().trim();
    const measure = measureForLabel(label);
    if (measure && fields[measure] === undefined) fields[measure] = $(item).find(".value").first().text();
  });
  return fields;
}

/** 초미세먼지 (ultrafine) contains 미세먼지 (fine), so PM2.5 labels must be tested first. */
function measureForLabel(label: string): "pm10" | "pm25" | "ozone" | undefined {
  if (/초미세먼지|pm\s*2\.5|ultra\s*-?fine/i.test(label)) return "pm25";
  if (/미세먼지|pm\s*10|fine\s*dust/i.test(label)) return "pm10";
  if (/오존|ozone|\bo3\b/i.test(label)) return "ozone";
  return undefined;
}
