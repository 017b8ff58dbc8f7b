import { startFixtureSite, type FixtureSite } from "../../fixtures/site";
import { FetchFailure, httpGet } from "../../src/fetch/http-client";

let site: FixtureSite;
beforeAll(async () => {
  site = await startFixtureSite();
});
afterAll(() => site.close());

const opts = { userAgent: "bigdata-platform-crawler/0.1 (test)", timeoutMs: 2000, maxBytes: 1024 * 1024 };

async function failure(path: string, o = opts): Promise<FetchFailure> {
  try {
    await httpGet(site.url + path, o);
  } catch (err) {
    return err as FetchFailure;
  }
  throw new Error("expected a failure");
}

describe("httpGet", () => {
  it("fetches a page with the configured User-Agent", async () => {
    const page = await httpGet(`${site.url}/weather/jeju`, opts);
    expect(page.status).toBe(200);
    expect(page.body).toContain("제주특별자치도");
    expect(site.requests.at(-1)?.userAgent).toBe(opts.userAgent);
  });

  it("classifies failures", async () => {
    expect(await failure("/broken/500/jeju")).toMatchObject({ reason: "http_5xx", status: 500, retryable: true });
    expect(await failure("/nope")).toMatchObject({ reason: "http_4xx", status: 404, retryable: false });
    expect(await failure("/broken/huge/jeju")).toMatchObject({ reason: "too_large", retryable: false });
    expect(await failure("/broken/slow/jeju?ms=1500", { ...opts, timeoutMs: 200 })).toMatchObject({ reason: "timeout", retryable: true });
    const closed = await startFixtureSite();
    await closed.close();
    const err = await httpGet(`${closed.url}/weather/jeju`, opts).catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: "network", retryable: true });
  });

  it("aborts on shutdown", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    expect(await failure("/broken/slow/jeju?ms=1500", { ...opts, signal: controller.signal } as typeof opts)).toMatchObject({
      reason: "aborted",
    });
  });
});
