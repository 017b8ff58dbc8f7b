/**
 * One HTTP GET with the platform's fetch (Node's built-in undici; no extra HTTP dependency, so the image runs on
 * Debian's Node 18): a deadline covering connect, headers and body; a cap on body size; the configured
 * User-Agent; and failures classified so the caller can decide what is worth retrying.
 */
export type FetchFailureReason = "timeout" | "network" | "http_4xx" | "http_5xx" | "too_large" | "aborted";

export class FetchFailure extends Error {
  constructor(
    readonly reason: FetchFailureReason,
    message: string,
    readonly status?: number,
    /** Seconds the server asked us to wait (Retry-After), if it did. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "FetchFailure";
  }

  get retryable(): boolean {
    return this.reason === "timeout" || this.reason === "network" || this.reason === "http_5xx" || this.status === 429;
  }
}

export interface Page {
  url: string;
  status: number;
  body: string;
}

export interface GetOptions {
  userAgent: string;
  timeoutMs: number;
  maxBytes: number;
  /** Aborts the request when the crawler shuts down. */
  signal?: AbortSignal;
  accept?: string;
}

export async function httpGet(url: string, options: GetOptions): Promise<Page> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutMs);
  const onShutdown = () => controller.abort();
  options.signal?.addEventListener("abort", onShutdown, { once: true });
  try {
    const response = await fetch(url, {
      headers: { "user-agent": options.userAgent, accept: options.accept ?? "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5" },
      redirect: "follow",
      signal: controller.signal,
    });
    if (!response.ok) {
      // Drain the body so the keep-alive connection can be reused for the next request.
      await response.arrayBuffer().catch(() => undefined);
      const reason = response.status >= 500 ? "http_5xx" : "http_4xx";
      throw new FetchFailure(
        reason,
        `HTTP ${response.status} from ${url}`,
        response.status,
        retryAfter(response.headers.get("retry-after")),
      );
    }
    const bytes = await readLimited(response, options.maxBytes, url);
    return { url: response.url || url, status: response.status, body: decode(bytes, response.headers.get("content-type")) };
  } catch (err) {
    if (err instanceof FetchFailure) throw err;
    if (timedOut) throw new FetchFailure("timeout", `no complete response from ${url} within ${options.timeoutMs} ms`);
    if (options.signal?.aborted) throw new FetchFailure("aborted", `fetch of ${url} aborted by shutdown`);
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new FetchFailure("network", `${url}: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onShutdown);
  }
}

async function readLimited(response: Response, maxBytes: number, url: string): Promise<Uint8Array> {
  const declared = Number(response.headers.get("content-length") ?? "NaN");
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new FetchFailure("too_large", `${url} declares ${declared} bytes, more than the limit of ${maxBytes}`);
  }
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new FetchFailure("too_large", `${url} is larger than the limit of ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return chunks.length === 1 ? (chunks[0] as Uint8Array) : Buffer.concat(chunks);
}

/** Korean sites still serve EUC-KR; Node's full-ICU TextDecoder handles it, and UTF-8 is the fallback. */
function decode(bytes: Uint8Array, contentType: string | null): string {
  const charset = /charset\s*=\s*"?([\w-]+)/i.exec(contentType ?? "")?.[1] ?? "utf-8";
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    return new TextDecoder("utf-8").decode(bytes);
  }
}

function retryAfter(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}
