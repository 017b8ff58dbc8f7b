import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/**
 * The crawler's counters, served in Prometheus text format on /metrics. Each instance owns its registry, so tests
 * (and several crawlers in one process) never share counts. Label values are bounded: source names come from
 * configuration, reasons and fields from fixed sets in the code.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly pagesFetched = this.counter("crawler_pages_fetched_total", "Pages fetched with a 2xx response", ["source"]);
  readonly fetchFailures = this.counter(
    "crawler_fetch_failures_total",
    "Page fetches that failed after all retries, by reason (timeout, network, http_4xx, http_5xx, too_large)",
    ["source", "reason"],
  );
  readonly fetchRetries = this.counter("crawler_fetch_retries_total", "Fetch attempts repeated after a retryable failure", ["source"]);
  readonly robotsBlocked = this.counter("crawler_robots_blocked_total", "Polls skipped because robots.txt disallows the URL", ["source"]);
  readonly parseFailures = this.counter(
    "crawler_parse_failures_total",
    "Pages not turned into a row because the layout or a required field was missing",
    ["source", "reason"],
  );
  readonly valuesRejected = this.counter(
    "crawler_values_rejected_total",
    "Values rejected (not a number, unknown unit, out of range); their page is skipped",
    ["source", "field", "reason"],
  );
  readonly observations = this.counter("crawler_observations_total", "Valid observations extracted from pages", ["source"]);
  readonly unchanged = this.counter(
    "crawler_observations_unchanged_total",
    "Polls whose page still showed the observation already collected",
    ["source"],
  );
  readonly ticksSkipped = this.counter(
    "crawler_ticks_skipped_total",
    "Scheduled polls skipped because the previous poll of the source was still running",
    ["source"],
  );
  readonly syntheticGenerated = this.counter("crawler_synthetic_rows_generated_total", "Rows generated in load mode");
  readonly rowsWritten = this.counter("crawler_rows_written_total", "Rows inserted into the table");
  readonly rowsDuplicate = this.counter(
    "crawler_rows_duplicate_total",
    "Rows not inserted because the table already had that (source, observed_at)",
  );
  readonly rowsRejected = this.counter("crawler_rows_rejected_total", "Rows the database refused (logged with the error)");
  readonly rowsLost = this.counter("crawler_rows_lost_total", "Rows given up on at shutdown because the database stayed unreachable");
  readonly batches = this.counter("crawler_batches_total", "Batches written, by outcome", ["outcome"]);
  readonly writeRetries = this.counter("crawler_write_retries_total", "Batch writes retried after a transient database error");
  readonly bufferedRows = new Gauge({
    name: "crawler_buffered_rows",
    help: "Rows waiting to be written",
    registers: [this.registry],
  });
  readonly batchSeconds = new Histogram({
    name: "crawler_batch_write_seconds",
    help: "Time to write one batch, including retries",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly fetchSeconds = new Histogram({
    name: "crawler_fetch_seconds",
    help: "Time to fetch one page, including retries and rate-limit waits",
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  constructor(withProcessMetrics = false) {
    // Process metrics (RSS, CPU, event-loop lag) are global to the process; only the real service collects them.
    if (withProcessMetrics) collectDefaultMetrics({ register: this.registry });
  }

  private counter<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return new Counter<L>({ name, help, labelNames, registers: [this.registry] });
  }

  /** Current value of a counter, summed over all label sets (for logs and tests). */
  async total(counter: Counter<string>, labels?: Record<string, string>): Promise<number> {
    const data = await counter.get();
    return data.values
      .filter((v) => !labels || Object.entries(labels).every(([k, want]) => v.labels[k] === want))
      .reduce((sum, v) => sum + v.value, 0);
  }
}
