"""jobs/weather_job.py on real (local) Spark: aggregates against an independent plain-Python computation, drop
counts by reason, edge cases of CSV and validation, the Kafka JSON parser fed rows directly, and the CLI."""
from __future__ import annotations

import datetime as dt
import json
import os
import unittest

import support

import weather_job as W  # noqa: E402  (jobs/ is on the path through support)

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)  # "now" for the plausibility check, fixed for the tests


def _collect_keyed(df, kind: str) -> dict:
    """{(location, epoch hour | epoch day): row dict} of the job's hourly or daily output."""
    from pyspark.sql import functions as F

    if kind == "hourly":
        key = (F.unix_seconds("hour") / 3600).cast("long")
    else:
        key = F.unix_date("day").cast("long")
    return {(r["location"], r["_k"]): r.asDict() for r in df.withColumn("_k", key).collect()}


def _write_csv(name: str, text: str) -> str:
    path = os.path.join(support.tmp_root(), name)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    return path


class CsvJob(unittest.TestCase):
    """The whole job (run()) on a generated dataset with many defects and missing measures."""

    @classmethod
    def setUpClass(cls):
        # 2 sources over ~1.9 days: 2 locations, 2 days, ~45 hours; 1% defects, 0.5% missing measures
        cls.data, cls.manifest = support.generate("job-csv", "--size-mb", "12", "--days", "2", "--sources", "2",
                                                  "--invalid-fraction", "0.01", "--null-fraction", "0.005",
                                                  "--seed", "11")
        cls.files = [os.path.join(cls.data, f["name"]) for f in cls.manifest["files"]]
        cls.out = os.path.join(support.tmp_root(), "job-csv-out")
        spark = support.spark()
        cls.summary = W.run(spark, output=cls.out, input_csv=[os.path.join(cls.data, "weather_*.csv")], now=NOW)
        cls.ref = support.reference(support.read_csv_rows(cls.files), NOW.replace(tzinfo=None) + dt.timedelta(days=1))
        cls.hourly = _collect_keyed(spark.read.parquet(os.path.join(cls.out, "hourly")), "hourly")
        cls.daily = _collect_keyed(spark.read.parquet(os.path.join(cls.out, "daily")), "daily")

    def test_counts_match_the_reference_and_the_manifest(self):
        s = self.summary
        self.assertEqual(s["rows_read"], self.manifest["rows"])
        self.assertEqual(s["rows_read"], self.ref["rows_read"])
        self.assertEqual(s["rows_valid"], self.ref["rows_valid"])
        self.assertEqual(s["rows_dropped"], self.ref["dropped"])
        self.assertEqual(s["rows_dropped"], self.manifest["invalid_by_reason"])
        self.assertEqual(s["rows_dropped_total"], self.manifest["invalid_rows"])
        self.assertEqual(s["rows_valid"] + s["rows_dropped_total"], s["rows_read"])

    def test_hourly_aggregates_match_the_reference(self):
        self.assertGreater(len(self.ref["hourly"]), 80)
        support.assert_aggregates_equal(self, self.hourly, self.ref["hourly"], "hourly")

    def test_daily_aggregates_match_the_reference(self):
        self.assertEqual(len(self.ref["daily"]), 4)  # 2 locations x 2 days
        support.assert_aggregates_equal(self, self.daily, self.ref["daily"], "daily")

    def test_output_layout_and_summary(self):
        with open(os.path.join(self.out, "summary.json"), encoding="utf-8") as f:
            on_disk = json.load(f)
        self.assertEqual(on_disk, self.summary)
        s = self.summary
        self.assertEqual(s["input_bytes"], self.manifest["bytes"])
        self.assertEqual(s["input"]["files"], len(self.files))
        self.assertEqual(s["master"], "local[2]")
        self.assertEqual((s["cores"], s["executors"]), (2, 1))
        self.assertEqual(s["hourly_rows"], len(self.ref["hourly"]))
        self.assertGreater(s["driver_cpu_s"], 0)
        self.assertEqual(sorted(s["driver_cpu_by_thread_s"]), ["gc", "jit", "other", "tasks"])
        self.assertGreater(s["driver_peak_rss_mb"], 100)
        for stage in ("executors_wait_s", "plan_s", "scan_aggregate_s", "write_hourly_s", "write_daily_s"):
            self.assertGreaterEqual(s["stages_s"][stage], 0)
        for name in ("hourly", "daily"):
            parts = [p for p in os.listdir(os.path.join(self.out, name)) if p.endswith(".parquet")]
            self.assertEqual(len(parts), 1, f"{name}: one Parquet file for a small result")
        hourly = support.spark().read.parquet(os.path.join(self.out, "hourly"))
        self.assertEqual(hourly.columns[:3], ["location", "hour", "rows"])
        self.assertEqual(dict(hourly.dtypes)["hour"], "timestamp")
        self.assertEqual(dict(support.spark().read.parquet(os.path.join(self.out, "daily")).dtypes)["day"], "date")

    def test_a_glob_that_matches_nothing_is_an_error(self):
        with self.assertRaises(SystemExit):
            W.run(support.spark(), output=os.path.join(support.tmp_root(), "nothing"),
                  input_csv=[os.path.join(self.data, "nothing_*.csv")], now=NOW)


EDGE_CSV = (
    "id,observed_at,source,location,temperature_c,pm10_ugm3,pm25_ugm3,ozone_ppm\r\n"
    "1,2021-05-01 00:00:00,s,Seoul,-60.00,0.00,0.00,0.0000\r\n"  # every bound is inclusive
    "2,2021-05-01 00:00:03,s,Seoul,60.00,2000.00,1000.00,1.0000\r\n"
    "3,2021-05-01 00:00:06,s,Seoul,,,,\r\n"  # no measures: valid, counted in rows only
    '4,2021-05-01 00:59:59,s,"Busan, Haeundae",20.50,35.00,,0.0300\r\n'  # quoted comma; one measure missing
    "\r\n"  # blank lines are not rows
    "5,2021-05-01 01:00:00,s,Busan,60.01,1.00,1.00,0.0100\r\n"  # temperature just out of range
    "6,2021-05-01 01:00:00,s,Busan,20.00,2000.01,1.00,0.0100\r\n"
    "7,2021-05-01 01:00:00,s,Busan,20.00,10.00,-0.01,0.0100\r\n"
    "8,2021-05-01 01:00:00,s,Busan,20.00,10.00,5.00,1.0001\r\n"
    "9,2021-05-01 01:00:00,s,Busan,NaN,10.00,5.00,0.0100\r\n"  # NaN is out of range
    "10,2021-05-01 01:00:00,s,Busan,20.00,Infinity,5.00,0.0100\r\n"
    "11,2021-05-01 01:00:00,s,Busan,20.00,n/a,5.00,0.0100\r\n"  # not a number
    "12,,s,Busan,99.00,n/a,5.00,0.0100\r\n"  # several defects: the first check wins (missing_time)
    "13,2021-05-01 25:00:00,s,Busan,20.00,10.00,5.00,0.0100\r\n"  # hour 25
    "14,1999-12-31 23:59:59,s,Busan,20.00,10.00,5.00,0.0100\r\n"  # before 2000: implausible
    "15,2026-01-03 00:00:00,s,Busan,20.00,10.00,5.00,0.0100\r\n"  # more than a day after "now"
    "16,2021-05-01 01:00:00,s,   ,20.00,10.00,5.00,0.0100\r\n"  # blank location
    "17,2021-05-01 01:00:00,s\r\n"  # short row: no location
    "18,2021-05-01 01:00:00,s,Busan,20.00,10.00,5.00,0.0100,extra\r\n"  # a surplus field is ignored
)


class EdgeCases(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.path = _write_csv("edge.csv", EDGE_CSV)
        raw = W.read_csv(support.spark(), [cls.path])
        checked = W.with_reason(W.parse_csv_rows(raw, keep=["id"]), NOW)
        cls.by_id = {int(r["id"]): W.REASONS[r["reason"]] for r in checked.select("id", "reason").collect()}
        cls.agg = W.aggregate_hours(checked).cache()
        cls.counts = W.counts(cls.agg)

    def test_reason_of_each_row(self):
        expected = {1: "valid", 2: "valid", 3: "valid", 4: "valid", 5: "temperature_out_of_range",
                    6: "pm10_out_of_range", 7: "pm25_out_of_range", 8: "ozone_out_of_range",
                    9: "temperature_out_of_range", 10: "pm10_out_of_range", 11: "bad_number", 12: "missing_time",
                    13: "bad_time", 14: "bad_time", 15: "bad_time", 16: "missing_location",
                    17: "missing_location", 18: "valid"}
        self.assertEqual(self.by_id, expected)

    def test_counts_agree_with_the_reference(self):
        rows = support.read_csv_rows([self.path])
        ref = support.reference(rows, NOW.replace(tzinfo=None) + dt.timedelta(days=1))
        self.assertEqual(self.counts["rows_read"], 18)
        self.assertEqual(self.counts["rows_dropped"], ref["dropped"])
        self.assertEqual(self.counts["rows_valid"], ref["rows_valid"])
        self.assertEqual(self.counts["rows_valid"], 5)

    def test_aggregates_skip_missing_measures(self):
        hourly = _collect_keyed(W.hourly(self.agg), "hourly")
        h0 = 1619827200 // 3600  # 2021-05-01 00:00 UTC
        seoul = hourly[("Seoul", h0)]
        self.assertEqual(seoul["rows"], 3)
        self.assertEqual((seoul["temperature_c_min"], seoul["temperature_c_mean"], seoul["temperature_c_max"],
                          seoul["temperature_c_count"]), (-60.0, 0.0, 60.0, 2))
        busan = hourly[("Busan, Haeundae", h0)]
        self.assertEqual((busan["rows"], busan["pm25_ugm3_count"], busan["pm25_ugm3_mean"]), (1, 0, None))
        self.assertEqual(hourly[("Busan", h0 + 1)]["rows"], 1)
        daily = _collect_keyed(W.daily(self.agg), "daily")
        self.assertEqual(sorted(daily), [("Busan", 18748), ("Busan, Haeundae", 18748), ("Seoul", 18748)])
        self.assertEqual(daily[("Seoul", 18748)]["ozone_ppm_max"], 1.0)


def _kafka_values(rows: list):
    """A frame like the Kafka source's `value` column: each item is a dict (sent as JSON) or raw text."""
    values = [(json.dumps(r) if isinstance(r, dict) else r).encode() for r in rows]
    return support.spark().createDataFrame([(v,) for v in values], "value binary")


MS_0 = 1619827200000  # 2021-05-01 00:00:00 UTC in epoch ms


class KafkaJson(unittest.TestCase):
    """parse_kafka_values fed the topic's JSON rows directly (no Kafka): Debezium's flat rows with
    decimal.handling.mode=double and DATETIME as epoch ms."""

    ROWS = [
        {"id": 1, "observed_at": MS_0, "source": "naver", "location": "서울특별시 강남구 역삼동",
         "temperature_c": 21.5, "pm10_ugm3": 35.0, "pm25_ugm3": 18.0, "ozone_ppm": 0.031,
         "collected_at": "2021-05-01T00:00:01.123Z"},
        {"id": 2, "observed_at": MS_0 + 3000, "source": "naver", "location": "서울특별시 강남구 역삼동",
         "temperature_c": 22.5, "pm10_ugm3": 37.0, "pm25_ugm3": None, "ozone_ppm": 0.029,
         "collected_at": "2021-05-01T00:00:04.001Z"},
        {"id": 3, "observed_at": MS_0 + 3_600_000, "source": "naver", "location": "Busan",
         "temperature_c": 19, "pm10_ugm3": 20, "pm25_ugm3": 10, "ozone_ppm": 0.02, "collected_at": None},
        {"id": 4, "observed_at": "2021-05-02 10:00:00", "source": "other", "location": "Busan",  # a time as text
         "temperature_c": 25.0, "pm10_ugm3": 22.0, "pm25_ugm3": 11.0, "ozone_ppm": 0.04},
        {"id": 5, "observed_at": None, "source": "naver", "location": "Busan", "temperature_c": 20.0},
        {"id": 6, "source": "naver", "location": "Busan", "temperature_c": 20.0},  # no observed_at at all
        {"id": 7, "observed_at": MS_0, "source": "naver", "location": "", "temperature_c": 20.0},
        {"id": 8, "observed_at": MS_0, "source": "naver", "location": "Busan", "temperature_c": "n/a"},
        {"id": 9, "observed_at": MS_0, "source": "naver", "location": "Busan", "temperature_c": 61.0},
        {"id": 10, "observed_at": MS_0, "source": "naver", "location": "Busan", "pm10_ugm3": 2500.0},
        {"id": 11, "observed_at": MS_0, "source": "naver", "location": "Busan", "pm25_ugm3": -1.0},
        {"id": 12, "observed_at": MS_0, "source": "naver", "location": "Busan", "ozone_ppm": 1.5},
        {"id": 13, "observed_at": 1000, "source": "naver", "location": "Busan", "ozone_ppm": 0.01},  # 1970
        "this is not JSON",
        {"schema": {"type": "struct", "optional": False}, "payload": {  # JsonConverter with schemas.enable=true
            "id": 14, "observed_at": MS_0 + 7_200_000, "source": "naver", "location": "Busan", "temperature_c": 18.0,
            "pm10_ugm3": 30.0, "pm25_ugm3": 15.0, "ozone_ppm": 0.025, "collected_at": "2021-05-01T02:00:01Z"}},
    ]

    @classmethod
    def setUpClass(cls):
        cls.values = _kafka_values(cls.ROWS)
        cls.agg = W.aggregate_hours(W.with_reason(W.parse_kafka_values(cls.values), NOW)).cache()
        cls.counts = W.counts(cls.agg)

    def test_drop_counts_by_reason(self):
        c = self.counts
        self.assertEqual(c["rows_read"], 15)
        self.assertEqual(c["rows_valid"], 5)
        self.assertEqual(c["rows_dropped"], {
            "missing_time": 3, "bad_time": 1, "missing_location": 1, "bad_number": 1,
            "temperature_out_of_range": 1, "pm10_out_of_range": 1, "pm25_out_of_range": 1, "ozone_out_of_range": 1})

    def test_input_bytes_are_the_values_sizes(self):
        self.assertEqual(self.counts["input_bytes"],
                         sum(len((json.dumps(r) if isinstance(r, dict) else r).encode()) for r in self.ROWS))

    def test_aggregates(self):
        hourly = _collect_keyed(W.hourly(self.agg), "hourly")
        h0 = MS_0 // 3_600_000
        gangnam = hourly[("서울특별시 강남구 역삼동", h0)]
        self.assertEqual((gangnam["rows"], gangnam["temperature_c_mean"], gangnam["pm10_ugm3_max"],
                          gangnam["pm25_ugm3_count"], gangnam["ozone_ppm_min"]), (2, 22.0, 37.0, 1, 0.029))
        self.assertEqual(hourly[("Busan", h0 + 1)]["temperature_c_max"], 19.0)
        self.assertEqual(hourly[("Busan", h0 + 2)]["pm10_ugm3_max"], 30.0)  # from the enveloped row
        self.assertEqual(hourly[("Busan", h0 + 34)]["ozone_ppm_max"], 0.04)  # 2021-05-02 10:00 UTC
        daily = _collect_keyed(W.daily(self.agg), "daily")
        busan = daily[("Busan", 18748)]
        self.assertEqual((busan["rows"], busan["pm10_ugm3_min"], busan["pm10_ugm3_max"]), (2, 20.0, 30.0))
        self.assertEqual(daily[("Busan", 18749)]["rows"], 1)

    def test_agrees_with_the_reference_on_generated_rows(self):
        # the same generated rows as CSV text and as the connector's JSON give the same aggregates
        data, manifest = support.generate("kafka-json", "--size-mb", "0.6", "--sources", "3",
                                          "--invalid-fraction", "0.02", "--null-fraction", "0.01", "--seed", "5")
        rows = support.read_csv_rows([os.path.join(data, f["name"]) for f in manifest["files"]])
        values = []
        for r in rows:
            t = dt.datetime.strptime(r[1], "%Y-%m-%d %H:%M:%S").replace(tzinfo=dt.timezone.utc) \
                if r[1] and r[1][11:13] < "24" else None
            row = {"id": int(r[0]), "observed_at": int(t.timestamp() * 1000) if t else (r[1] or None),
                   "source": r[2], "location": r[3]}
            for name, text in zip(support.MEASURES, r[4:8]):
                try:
                    row[name] = float(text) if text else None
                except ValueError:
                    row[name] = text  # the defect stays a non-number
            values.append(row)
        agg = W.aggregate_hours(W.with_reason(W.parse_kafka_values(_kafka_values(values)), NOW))
        ref = support.reference(rows, NOW.replace(tzinfo=None) + dt.timedelta(days=1))
        self.assertEqual(W.counts(agg)["rows_dropped"], ref["dropped"])
        self.assertEqual(W.counts(agg)["rows_dropped"], manifest["invalid_by_reason"])
        support.assert_aggregates_equal(self, _collect_keyed(W.hourly(agg), "hourly"), ref["hourly"], "hourly")


class Cli(unittest.TestCase):
    def test_spark_submit_prints_the_summary_line(self):
        data, manifest = support.generate("cli", "--size-mb", "1", "--sources", "2", "--invalid-fraction", "0.01")
        out = os.path.join(support.tmp_root(), "cli-out")
        p = support.spark_submit(os.path.join(support.JOBS, "weather_job.py"), "--input-csv",
                                 os.path.join(data, "weather_1.csv"), "--output", out, "--shuffle-partitions", "3")
        self.assertEqual(p.returncode, 0, p.stderr[-3000:])
        last = p.stdout.strip().splitlines()[-1]
        self.assertTrue(last.startswith("WEATHER_JOB_SUMMARY {"), p.stdout[-2000:])
        s = json.loads(last[len("WEATHER_JOB_SUMMARY "):])
        self.assertEqual(s["rows_read"], manifest["rows"])
        self.assertEqual(s["rows_dropped"], manifest["invalid_by_reason"])
        self.assertEqual(s["shuffle_partitions"], 3)
        self.assertEqual(s["master"], "local[2]")
        self.assertIn("session_s", s["stages_s"])
        self.assertGreaterEqual(s["wall_s"], s["job_s"])
        with open(os.path.join(out, "summary.json"), encoding="utf-8") as f:
            self.assertEqual(json.load(f), s)

    def test_every_executor_reports_its_peak_memory_without_a_heartbeat(self):
        # local-cluster: real executor processes, as on the cluster. Heartbeats are set far apart, so the peaks
        # can only come from the tasks' ends: the figure must not depend on a heartbeat landing before the end.
        data, manifest = support.generate("peaks", "--size-mb", "2", "--sources", "2")
        out = os.path.join(support.tmp_root(), "peaks-out")
        p = support.spark_submit("--conf", "spark.executor.processTreeMetrics.enabled=true",
                                 "--conf", "spark.executor.metrics.pollingInterval=100ms",
                                 "--conf", "spark.executor.heartbeatInterval=100s",
                                 os.path.join(support.JOBS, "weather_job.py"), "--input-csv",
                                 os.path.join(data, "weather_*.csv"), "--output", out,
                                 master="local-cluster[2,1,1024]")
        self.assertEqual(p.returncode, 0, p.stderr[-3000:])
        s = json.loads(p.stdout.strip().splitlines()[-1][len("WEATHER_JOB_SUMMARY "):])
        self.assertEqual(s["rows_read"], manifest["rows"])
        peaks = s.get("executors_peak_memory") or []
        self.assertEqual(sorted(e["id"] for e in peaks), ["0", "1"], peaks)
        for e in peaks:
            self.assertGreater(e["jvm_heap_mb"] or 0, 0, e)
            self.assertGreater(e["rss_mb"] or 0, 0, e)

    def test_argument_errors(self):
        for args in ([], ["--output", "x"], ["--input-csv", "a", "--kafka-bootstrap", "k:9092", "--output", "x"],
                     ["--input-csv", "a", "--output", "x", "--shuffle-partitions", "0"]):
            with self.assertRaises(SystemExit) as e:
                W.main(args)
            self.assertEqual(e.exception.code, 2, args)


if __name__ == "__main__":
    unittest.main()
