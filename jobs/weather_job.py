"""The paper's processing of the weather observations as a PySpark job (the benchmark of its Table 6).

Reads the observations with an explicit schema, either from CSV files (the crawler's table dumped as CSV, see
jobs/generate_dataset.py) or from the Kafka topic the source connector fills (a batch read of everything,
earliest to latest offsets; each value is the flat JSON row Debezium's ExtractNewRecordState writes, observed_at in
epoch milliseconds). Drops the rows that fail validation and counts them by reason, computes per-location hourly and
daily aggregates (rows, and min/mean/max/count of temperature, PM10, PM2.5 and ozone), writes them as Parquet to
OUTPUT/hourly and OUTPUT/daily, and writes OUTPUT/summary.json. The last line on stdout is

    WEATHER_JOB_SUMMARY {"rows_read": ..., "rows_valid": ..., "rows_dropped": {...}, "input_bytes": ..., ...}

    spark-submit jobs/weather_job.py --input-csv '/data/weather/weather_*.csv' --output /data/out
    spark-submit --master spark://spark-master:7077 jobs/weather_job.py \
        --kafka-bootstrap kafka-1:9092 --topic web-crawler-test --output /shared/out [--shuffle-partitions N]

One pass over the input: every row gets a reason code (0 = valid), and a single aggregation groups by
(reason, location, hour) — invalid rows fall into one group per reason — so the same scan yields the hourly
aggregates and the drop counts. That small result is cached; the daily aggregates are derived from it (min of mins,
max of maxes, sum of sums over sum of counts), never from the input again.

The parsing, cleaning and aggregation functions take and return DataFrames, so tests can feed them rows directly.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import time
import urllib.request
from typing import Sequence

from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import LongType, StringType, StructField, StructType

# Columns of the crawler's table (crawler/schema/observations.sql) as the CSV dump has them. Every field is read as
# text and converted by the job, so a bad value is told apart from a missing one and counted, not silently nulled.
CSV_SCHEMA = StructType([
    StructField("id", StringType()),
    StructField("observed_at", StringType()),  # UTC, "YYYY-MM-DD HH:MM:SS"
    StructField("source", StringType()),
    StructField("location", StringType()),
    StructField("temperature_c", StringType()),
    StructField("pm10_ugm3", StringType()),
    StructField("pm25_ugm3", StringType()),
    StructField("ozone_ppm", StringType()),
])

# The topic's values: the same row as flat JSON. Measures are read as text (a JSON number reads as its literal) for
# the same reason; observed_at is epoch milliseconds (Debezium's io.debezium.time.Timestamp for DATETIME).
KAFKA_ROW_SCHEMA = StructType([
    StructField("id", LongType()),
    StructField("observed_at", StringType()),
    StructField("source", StringType()),
    StructField("location", StringType()),
    StructField("temperature_c", StringType()),
    StructField("pm10_ugm3", StringType()),
    StructField("pm25_ugm3", StringType()),
    StructField("ozone_ppm", StringType()),
    StructField("collected_at", StringType()),
])
# The platform's Connect workers write bare rows (value.converter.schemas.enable=false); with schemas enabled the
# JsonConverter wraps the row as {"schema": ..., "payload": {row}}. Both are read.
KAFKA_VALUE_SCHEMA = StructType(KAFKA_ROW_SCHEMA.fields + [StructField("payload", KAFKA_ROW_SCHEMA)])

# Physical ranges (inclusive); a value outside, NaN or infinite drops the row.
MEASURES = {
    "temperature_c": (-60.0, 60.0),
    "pm10_ugm3": (0.0, 2000.0),
    "pm25_ugm3": (0.0, 1000.0),
    "ozone_ppm": (0.0, 1.0),
}
SHORT = {"temperature_c": "temperature", "pm10_ugm3": "pm10", "pm25_ugm3": "pm25", "ozone_ppm": "ozone"}

# Reason codes, in the order they are checked: a row is counted under its first failing check.
REASONS = ["valid", "missing_time", "bad_time", "missing_location", "bad_number"] + [
    f"{SHORT[m]}_out_of_range" for m in MEASURES
]
CODE = {name: i for i, name in enumerate(REASONS)}

# Observation times outside [EARLIEST, now + 1 day] are parsing accidents (as the crawler judges them).
EARLIEST = "2000-01-01 00:00:00"


# ------------------------------------------------------------------------------------------------------ reading

def read_csv(spark: SparkSession, paths: list[str]) -> DataFrame:
    return (spark.read.schema(CSV_SCHEMA)
            .option("header", "true")
            .option("mode", "PERMISSIVE")  # short rows get nulls (then fail validation), long rows lose the extra
            .csv(paths))


def read_kafka(spark: SparkSession, bootstrap: str, topic: str, min_partitions: int) -> DataFrame:
    return (spark.read.format("kafka")
            .option("kafka.bootstrap.servers", bootstrap)
            .option("subscribe", topic)
            .option("startingOffsets", "earliest")
            .option("endingOffsets", "latest")
            .option("minPartitions", str(min_partitions))  # split big partitions over all cores
            .option("failOnDataLoss", "false")
            .load()
            .select("value"))


# ------------------------------------------------------------------------------------------------------ parsing
# Both parsers return the canonical frame: observed_at (timestamp UTC, null when missing or unparseable),
# time_given (the text was not blank), location, each measure as double (null when missing or not a number),
# number_bad (a measure was given but is not a number), and input_bytes (Kafka: bytes of the value; CSV: null).

def _blank(c: Column) -> Column:
    return c.isNull() | (F.trim(c) == "")


def _measures(df: DataFrame) -> list[Column]:
    out = [F.expr(f"try_cast({m} AS DOUBLE)").alias(m) for m in MEASURES]
    bad = F.lit(False)
    for m in MEASURES:
        bad = bad | (~_blank(F.col(m)) & F.expr(f"try_cast({m} AS DOUBLE)").isNull())
    return out + [bad.alias("number_bad")]


def parse_csv_rows(raw: DataFrame, keep: Sequence[str] = ()) -> DataFrame:
    """Rows read with CSV_SCHEMA -> the canonical frame (plus the raw columns named in `keep`)."""
    return raw.select(
        *keep,
        F.expr("try_cast(observed_at AS TIMESTAMP)").alias("observed_at"),
        (~_blank(F.col("observed_at"))).alias("time_given"),
        F.col("location"),
        *_measures(raw),
        F.lit(None).cast("long").alias("input_bytes"),
    )


def parse_kafka_values(values: DataFrame, keep: Sequence[str] = ()) -> DataFrame:
    """A frame with a `value` column (binary or string: the topic's JSON rows) -> the canonical frame (plus the
    JSON fields named in `keep`, e.g. id, source, collected_at)."""
    parsed = F.from_json(F.col("value").cast("string"), KAFKA_VALUE_SCHEMA)
    flat = F.struct(*[parsed[f.name].alias(f.name) for f in KAFKA_ROW_SCHEMA.fields])
    rows = values.select(
        F.when(parsed["payload"].isNotNull(), parsed["payload"]).otherwise(flat).alias("r"),
        F.length(F.col("value")).cast("long").alias("input_bytes"),
    ).select("r.*", "input_bytes")
    t = F.col("observed_at")
    observed = F.coalesce(
        F.expr("timestamp_millis(try_cast(observed_at AS BIGINT))"),  # epoch ms, as Debezium writes DATETIME
        F.expr("try_cast(observed_at AS TIMESTAMP)"),  # or a date-time text, as in the CSV
    )
    return rows.select(
        *keep,
        observed.alias("observed_at"),
        (~_blank(t)).alias("time_given"),
        F.col("location"),
        *_measures(rows),
        F.col("input_bytes"),
    )


# ----------------------------------------------------------------------------------------------------- cleaning

def with_reason(canonical: DataFrame, now: dt.datetime | None = None) -> DataFrame:
    """Adds `reason`: 0 for a valid row, else the code (index in REASONS) of its first failing check."""
    latest = (now or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc).replace(tzinfo=None) \
        + dt.timedelta(days=1)
    ts = F.col("observed_at")
    plausible = (ts >= F.lit(EARLIEST).cast("timestamp")) & (ts <= F.lit(latest.strftime("%Y-%m-%d %H:%M:%S")).cast("timestamp"))
    reason = (F.when(~F.col("time_given"), CODE["missing_time"])
              .when(ts.isNull() | ~plausible, CODE["bad_time"])
              .when(_blank(F.col("location")), CODE["missing_location"])
              .when(F.col("number_bad"), CODE["bad_number"]))
    for m, (lo, hi) in MEASURES.items():
        # NaN compares greater than every number in Spark SQL, so NaN fails `<= hi`; null passes (missing is valid)
        reason = reason.when(F.col(m).isNotNull() & ~((F.col(m) >= lo) & (F.col(m) <= hi)), CODE[f"{SHORT[m]}_out_of_range"])
    return canonical.withColumn("reason", reason.otherwise(CODE["valid"]))


# -------------------------------------------------------------------------------------------------- aggregation

def aggregate_hours(checked: DataFrame) -> DataFrame:
    """The one aggregation over the input: per (reason, location, hour) rows, bytes, and min/max/sum/count of each
    measure. Invalid rows carry neither location nor hour, so they make one group per reason."""
    valid = F.col("reason") == CODE["valid"]
    keyed = checked.select(
        "reason",
        F.when(valid, F.col("location")).alias("location"),
        F.when(valid, F.expr("unix_seconds(observed_at) div 3600")).alias("hour_index"),
        "input_bytes",
        *[F.when(valid, F.col(m)).alias(m) for m in MEASURES],
    )
    aggs = [F.count(F.lit(1)).alias("rows"), F.sum("input_bytes").alias("input_bytes")]
    for m in MEASURES:
        aggs += [F.min(m).alias(f"{m}_min"), F.max(m).alias(f"{m}_max"), F.sum(m).alias(f"{m}_sum"),
                 F.count(m).alias(f"{m}_count")]
    return keyed.groupBy("reason", "location", "hour_index").agg(*aggs)


def _finish(df: DataFrame, keys: list[Column]) -> DataFrame:
    cols = list(keys) + [F.col("rows")]
    for m in MEASURES:
        cols += [F.col(f"{m}_min"), (F.col(f"{m}_sum") / F.col(f"{m}_count")).alias(f"{m}_mean"),
                 F.col(f"{m}_max"), F.col(f"{m}_count")]
    return df.select(*cols)


def hourly(agg: DataFrame) -> DataFrame:
    """location, hour (UTC timestamp of the hour's start), rows, <measure>_min/_mean/_max/_count."""
    valid = agg.where(F.col("reason") == CODE["valid"])
    return _finish(valid, [F.col("location"), F.expr("timestamp_seconds(hour_index * 3600)").alias("hour")])


def daily(agg: DataFrame) -> DataFrame:
    """location, day (UTC date), rows, <measure>_min/_mean/_max/_count — from the hourly groups."""
    valid = agg.where(F.col("reason") == CODE["valid"])
    aggs = [F.sum("rows").alias("rows")]
    for m in MEASURES:
        aggs += [F.min(f"{m}_min").alias(f"{m}_min"), F.max(f"{m}_max").alias(f"{m}_max"),
                 F.sum(f"{m}_sum").alias(f"{m}_sum"), F.sum(f"{m}_count").alias(f"{m}_count")]
    per_day = valid.groupBy("location", F.expr("hour_index div 24").alias("day_index")).agg(*aggs)
    return _finish(per_day, [F.col("location"), F.expr("date_from_unix_date(CAST(day_index AS INT))").alias("day")])


def counts(agg: DataFrame) -> dict:
    """rows_read, rows_valid, rows_dropped {reason: n} (every reason listed), rows_dropped_total, input_bytes (the
    sum of the Kafka values' sizes; None for CSV), hourly_rows (location-hours with valid rows)."""
    got = {r["reason"]: (r["rows"], r["input_bytes"], r["groups"])
           for r in agg.groupBy("reason").agg(F.sum("rows").alias("rows"), F.sum("input_bytes").alias("input_bytes"),
                                              F.count(F.lit(1)).alias("groups")).collect()}
    dropped = {name: int(got.get(code, (0, None))[0]) for code, name in enumerate(REASONS) if code}
    read = sum(int(v[0]) for v in got.values())
    values_bytes = [v[1] for v in got.values() if v[1] is not None]
    return {"rows_read": read, "rows_valid": read - sum(dropped.values()), "rows_dropped": dropped,
            "rows_dropped_total": sum(dropped.values()), "input_bytes": sum(values_bytes) if values_bytes else None,
            "hourly_rows": int(got.get(CODE["valid"], (0, None, 0))[2])}


# ------------------------------------------------------------------------------------------------------ the job

def _hadoop_fs(spark: SparkSession, path: str):
    jvm = spark.sparkContext._jvm
    p = jvm.org.apache.hadoop.fs.Path(path)
    return p, p.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())


def csv_inputs(spark: SparkSession, patterns: list[str]) -> tuple[list[str], int]:
    """The files the patterns match (a directory means its files) and their total size, through Hadoop's file
    system (local paths, hdfs://, s3a://)."""
    files: list[str] = []
    size = 0
    for pattern in patterns:
        p, fs = _hadoop_fs(spark, pattern)
        for st in fs.globStatus(p) or []:
            children = fs.listStatus(st.getPath()) if st.isDirectory() else [st]
            for child in children:
                name = child.getPath().getName()
                if child.isFile() and not (st.isDirectory() and name.startswith(("_", "."))):
                    files.append(child.getPath().toString())
                    size += child.getLen()
    return files, size


def write_text(spark: SparkSession, path: str, text: str) -> None:
    if "://" in path and not path.startswith("file:"):
        p, fs = _hadoop_fs(spark, path)
        out = fs.create(p, True)
        out.write(bytearray(text.encode()))
        out.close()
    else:
        local = path[len("file:"):] if path.startswith("file:") else path
        os.makedirs(os.path.dirname(local) or ".", exist_ok=True)
        with open(local, "w", encoding="utf-8") as f:
            f.write(text)


def wait_for_executors(spark: SparkSession, timeout_s: float = 60.0, settle_s: float = 3.0) -> int:
    """On a cluster, waits until executors have registered (the number asked for with spark.executor.instances,
    or no change for settle_s after the first), so that defaultParallelism counts their cores when the job sizes
    its shuffle and Kafka partitions. Returns the number of executors (0 in local mode or if none came)."""
    sc = spark.sparkContext
    if sc.master.startswith("local"):
        return 0
    wanted = int(sc.getConf().get("spark.executor.instances", "0") or 0)
    deadline = time.monotonic() + timeout_s
    last, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        n = sc._jsc.sc().getExecutorMemoryStatus().size() - 1
        if n != last:
            last, since = n, time.monotonic()
        if n > 0 and (n >= wanted > 0 or (wanted == 0 and time.monotonic() - since >= settle_s)):
            return n
        time.sleep(0.25)
    return max(last, 0)


def cluster_resources(spark: SparkSession) -> dict:
    sc = spark.sparkContext
    others = sc._jsc.sc().getExecutorMemoryStatus().size() - 1  # the map includes the driver
    local = sc.master.startswith("local")
    return {"master": sc.master, "deploy_mode": sc.getConf().get("spark.submit.deployMode", "client"),
            "cores": sc.defaultParallelism,
            # local mode runs tasks in the driver's one executor
            "executors": 1 if local else others}


_THREAD_KINDS = (("jit", ("C1 CompilerThre", "C2 CompilerThre")), ("gc", ("GC Thread", "G1 ", "VM Periodic", "VM Thread")),
                 ("tasks", ("Executor task l",)))


def driver_process(spark: SparkSession) -> dict:
    """CPU seconds (in total and by kind of thread: JIT compiler, garbage collector, tasks, other) and peak resident
    memory of the driver's JVM, from /proc (Linux; {} elsewhere). In local mode the driver's JVM runs every task, so
    its CPU time is the job's."""
    try:
        pid = spark.sparkContext._jvm.java.lang.ProcessHandle.current().pid()
        tick = os.sysconf("SC_CLK_TCK")

        def cpu_of(stat_path: str) -> float:
            with open(stat_path) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / tick

        total = cpu_of(f"/proc/{pid}/stat")
        kinds = {k: 0.0 for k, _ in _THREAD_KINDS}
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{tid}/comm") as f:
                    name = f.read().strip()
                used = cpu_of(f"/proc/{pid}/task/{tid}/stat")
            except OSError:
                continue  # the thread ended meanwhile
            for kind, prefixes in _THREAD_KINDS:
                if name.startswith(prefixes):
                    kinds[kind] += used
                    break
        kinds["other"] = max(0.0, total - sum(kinds.values()))  # includes threads that have ended
        peak = None
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    peak = int(line.split()[1]) / 1024
        return {"cpu_s": total, "cpu_by_thread_s": kinds, "peak_rss_mb": peak}
    except Exception:  # noqa: BLE001 - a figure we cannot get is left out, never a failure
        return {}


def _monitoring_api(sc, path: str):
    with urllib.request.urlopen(f"{sc.uiWebUrl}/api/v1/applications/{sc.applicationId}/{path}", timeout=30) as response:
        return json.load(response)


def executor_peak_memory(spark: SparkSession) -> list[dict]:
    """Peak memory of each executor of a cluster run, from the driver's own monitoring API: JVM heap, and the resident
    memory of the executor's process tree when spark.executor.processTreeMetrics.enabled is set.

    An executor's own peaks arrive with its heartbeats, and a heartbeat only carries the stages still running on it:
    a job that ends between two heartbeats may leave none. Every task's end, however, carries the peaks polled while
    it ran (spark.executor.metrics.pollingInterval), and the driver keeps them per stage and executor. The figure is
    the larger of both, for every executor that ran a task, including executors that have ended since. [] in local
    mode (the driver's own figures cover it) or when the UI is off."""
    sc = spark.sparkContext
    if sc.master.startswith("local[") or sc.master == "local" or not sc.uiWebUrl:
        return []
    try:
        executors = _monitoring_api(sc, "allexecutors")
        stages = _monitoring_api(sc, "stages?details=true&withSummaries=false")
    except Exception:  # noqa: BLE001 - a figure we cannot get is left out, never a failure
        return []
    peaks: dict[str, dict] = {}

    def merge(executor_id: str, metrics: dict | None) -> None:
        mine = peaks.setdefault(executor_id, {})
        for key, value in (metrics or {}).items():
            if isinstance(value, (int, float)) and value > mine.get(key, 0):
                mine[key] = value

    for e in executors:
        if e.get("id") != "driver" and e.get("totalTasks", 0) > 0:
            merge(e["id"], e.get("peakMemoryMetrics"))
    for stage in stages:
        for executor_id, summary in (stage.get("executorSummary") or {}).items():
            if executor_id in peaks:
                merge(executor_id, summary.get("peakMemoryMetrics"))
    mb = lambda v: round(v / 2**20, 1) if v else None  # noqa: E731
    hosts = {e.get("id"): str(e.get("hostPort", "")).rsplit(":", 1)[0] for e in executors}
    return [{"id": i, "host": hosts.get(i, ""), "jvm_heap_mb": mb(p.get("JVMHeapMemory")),
             "rss_mb": mb((p.get("ProcessTreeJVMRSSMemory") or 0) + (p.get("ProcessTreePythonRSSMemory") or 0))}
            for i, p in sorted(peaks.items())]


def run(spark: SparkSession, *, output: str, input_csv: list[str] | None = None, kafka_bootstrap: str | None = None,
        topic: str | None = None, shuffle_partitions: int | None = None, now: dt.datetime | None = None,
        session_s: float | None = None) -> dict:
    """Runs the job on an existing session and returns the summary (also written to OUTPUT/summary.json).
    session_s: the time the caller took to start the session, counted into wall_s."""
    t0 = time.perf_counter()
    proc0 = driver_process(spark)
    stages: dict[str, float] = {} if session_s is None else {"session_s": session_s}
    sc = spark.sparkContext
    wait_for_executors(spark)
    stages["executors_wait_s"] = time.perf_counter() - t0
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    partitions = shuffle_partitions or max(2, sc.defaultParallelism)
    spark.conf.set("spark.sql.shuffle.partitions", str(partitions))

    if input_csv:
        files, input_bytes = csv_inputs(spark, input_csv)
        if not files:
            raise SystemExit(f"weather_job: no input files match {input_csv}")
        canonical = parse_csv_rows(read_csv(spark, files))
        source = {"kind": "csv", "paths": input_csv, "files": len(files)}
    else:
        canonical = parse_kafka_values(read_kafka(spark, kafka_bootstrap, topic, max(2, sc.defaultParallelism)))
        input_bytes = None
        source = {"kind": "kafka", "bootstrap": kafka_bootstrap, "topic": topic}
    stages["plan_s"] = time.perf_counter() - t0 - stages["executors_wait_s"]

    # The one scan of the input (read, parse, validate, aggregate); its small result is cached for the writes.
    t = time.perf_counter()
    agg = aggregate_hours(with_reason(canonical, now)).cache()
    c = counts(agg)
    if input_bytes is None:
        input_bytes = c["input_bytes"] or 0
    stages["scan_aggregate_s"] = time.perf_counter() - t

    t = time.perf_counter()
    hourly(agg).coalesce(1).sortWithinPartitions("location", "hour").write.mode("overwrite").parquet(
        _join(output, "hourly"))
    stages["write_hourly_s"] = time.perf_counter() - t
    t = time.perf_counter()
    daily(agg).coalesce(1).sortWithinPartitions("location", "day").write.mode("overwrite").parquet(
        _join(output, "daily"))
    stages["write_daily_s"] = time.perf_counter() - t
    agg.unpersist()

    total = time.perf_counter() - t0
    proc = driver_process(spark)
    summary = {
        "rows_read": c["rows_read"],
        "rows_valid": c["rows_valid"],
        "rows_dropped": c["rows_dropped"],
        "rows_dropped_total": c["rows_dropped_total"],
        "input_bytes": input_bytes,
        "input": source,
        "output": output,
        "hourly_rows": c["hourly_rows"],
        "stages_s": {k: round(v, 3) for k, v in stages.items()},
        "job_s": round(total, 3),
        "wall_s": round(total + (session_s or 0), 3),
        "rows_per_s": round(c["rows_read"] / total, 1) if total else None,
        "mb_per_s": round(input_bytes / 1e6 / total, 2) if total else None,
        "shuffle_partitions": partitions,
        **cluster_resources(spark),
        "spark_version": spark.version,
    }
    if proc:
        # JVM CPU during the job (not the session start); in local mode that is all the work
        summary["driver_cpu_s"] = round(proc["cpu_s"] - proc0["cpu_s"], 2) if proc0 else None
        if proc0:
            summary["driver_cpu_by_thread_s"] = {
                k: round(v - proc0["cpu_by_thread_s"].get(k, 0.0), 2) for k, v in proc["cpu_by_thread_s"].items()}
        summary["driver_peak_rss_mb"] = round(proc["peak_rss_mb"], 1) if proc.get("peak_rss_mb") else None
        if summary["master"].startswith("local") and summary["driver_cpu_s"]:
            summary["mb_per_cpu_s"] = round(input_bytes / 1e6 / summary["driver_cpu_s"], 2)
    executors_memory = executor_peak_memory(spark)
    if executors_memory:
        summary["executors_peak_memory"] = executors_memory
    summary["mb_per_s_per_core"] = round(summary["mb_per_s"] / summary["cores"], 2) if summary["mb_per_s"] else None
    write_text(spark, _join(output, "summary.json"), json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    return summary


def _join(base: str, name: str) -> str:
    return base.rstrip("/") + "/" + name


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--input-csv", nargs="+", metavar="GLOB", help="CSV files (paths or globs, local or Hadoop URIs)")
    src.add_argument("--kafka-bootstrap", metavar="HOST:PORT", help="Kafka bootstrap servers (read the whole topic)")
    p.add_argument("--topic", default="web-crawler-test", help="Kafka topic (default web-crawler-test)")
    p.add_argument("--output", required=True, help="output directory: hourly/, daily/ (Parquet), summary.json")
    p.add_argument("--shuffle-partitions", type=int, help="default: the cluster's cores (at least 2)")
    a = p.parse_args(argv)
    if a.shuffle_partitions is not None and a.shuffle_partitions < 1:
        p.error("--shuffle-partitions must be >= 1")

    t0 = time.perf_counter()
    spark = (SparkSession.builder.appName("weather-job")
             .config("spark.sql.session.timeZone", "UTC")
             .config("spark.ui.showConsoleProgress", "false")
             .getOrCreate())
    spark.sparkContext.setLogLevel("WARN")
    session_s = time.perf_counter() - t0
    summary = run(spark, output=a.output, input_csv=a.input_csv, kafka_bootstrap=a.kafka_bootstrap,
                  topic=a.topic, shuffle_partitions=a.shuffle_partitions, session_s=session_s)
    print("WEATHER_JOB_SUMMARY " + json.dumps(summary, ensure_ascii=False), flush=True)
    spark.stop()


if __name__ == "__main__":
    main()
