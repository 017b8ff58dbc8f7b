"""Shared pieces of the job tests: paths, one Spark session for the whole run, the generator as a function, and an
independent reference (plain Python over the CSV text) of what weather_job.py must compute.

The tests are unittest.TestCase classes so that pytest runs them (run.sh installs it) and `python3 -m unittest`
can too when pytest cannot be had.
"""
from __future__ import annotations

import csv
import datetime as dt
import math
import os
import subprocess
import sys
import tempfile
from collections import defaultdict

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
JOBS = os.path.join(REPO, "jobs")
if JOBS not in sys.path:
    sys.path.insert(0, JOBS)

import generate_dataset  # noqa: E402  (jobs/ on the path)

_spark = None
_tmp_root = None


def tmp_root() -> str:
    """One scratch directory per test run (removed by the container or the OS, never inside the repo)."""
    global _tmp_root
    if _tmp_root is None:
        _tmp_root = tempfile.mkdtemp(prefix="weather-job-tests-")
    return _tmp_root


def spark():
    """A local Spark session shared by every test (starting one costs seconds on two cores)."""
    global _spark
    if _spark is None:
        from pyspark.sql import SparkSession

        _spark = (SparkSession.builder.master("local[2]").appName("weather-job-tests")
                  .config("spark.driver.memory", "768m")
                  .config("spark.sql.shuffle.partitions", "2")
                  .config("spark.sql.session.timeZone", "UTC")
                  .config("spark.ui.enabled", "false")
                  .config("spark.ui.showConsoleProgress", "false")
                  .getOrCreate())
        _spark.sparkContext.setLogLevel("ERROR")
    return _spark


def generate(name: str, *args: str) -> tuple[str, dict]:
    """Runs the generator's CLI in-process into tmp_root()/name and returns (directory, manifest)."""
    import json

    out = os.path.join(tmp_root(), name)
    generate_dataset.main(["--output", out, *args])
    with open(os.path.join(out, "manifest.json"), encoding="utf-8") as f:
        return out, json.load(f)


def read_csv_rows(paths: list[str]) -> list[list[str]]:
    """Data rows of CSV files (header lines and blank lines skipped), parsed with Python's csv module."""
    rows = []
    for path in paths:
        with open(path, encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            next(reader, None)
            rows.extend(r for r in reader if r)
    return rows


# ------------------------------------------------------------------------------------ the reference computation
RANGES = {"temperature_c": (-60.0, 60.0), "pm10_ugm3": (0.0, 2000.0), "pm25_ugm3": (0.0, 1000.0),
          "ozone_ppm": (0.0, 1.0)}
MEASURES = list(RANGES)
SHORT = {"temperature_c": "temperature", "pm10_ugm3": "pm10", "pm25_ugm3": "pm25", "ozone_ppm": "ozone"}
REASONS = ["missing_time", "bad_time", "missing_location", "bad_number"] + [f"{SHORT[m]}_out_of_range" for m in MEASURES]
EPOCH = dt.datetime(1970, 1, 1)
EARLIEST = dt.datetime(2000, 1, 1)


def _number(text: str | None):
    """None for a missing value, "bad" for text that is not a number, else the float."""
    if text is None or text.strip() == "":
        return None
    try:
        return float(text.strip())
    except ValueError:
        return "bad"


def check_row(observed_at: str | None, location: str | None, values: list[str | None],
              latest: dt.datetime) -> tuple[str | None, int | None, list]:
    """(reason or None, epoch second of the observation, measures as floats/None) for one row, by the rules the
    job documents, written independently of it (datetime.strptime, float())."""
    if observed_at is None or observed_at.strip() == "":
        return "missing_time", None, []
    try:
        t = dt.datetime.strptime(observed_at.strip(), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return "bad_time", None, []
    if not EARLIEST <= t <= latest:
        return "bad_time", None, []
    if location is None or location.strip() == "":
        return "missing_location", None, []
    nums = [_number(v) for v in values]
    if any(n == "bad" for n in nums):
        return "bad_number", None, []
    for m, n in zip(MEASURES, nums):
        lo, hi = RANGES[m]
        if n is not None and not (lo <= n <= hi):  # NaN fails both comparisons
            return f"{SHORT[m]}_out_of_range", None, []
    return None, int((t - EPOCH).total_seconds()), nums


def reference(rows: list[list[str]], latest: dt.datetime | None = None) -> dict:
    """rows: [id, observed_at, source, location, temperature_c, pm10_ugm3, pm25_ugm3, ozone_ppm] (shorter rows
    are padded with None, as Spark's permissive CSV reader does). Returns dropped counts by reason and the hourly
    and daily aggregates keyed by (location, epoch hour) and (location, epoch day)."""
    latest = latest or dt.datetime.utcnow() + dt.timedelta(days=1)
    dropped = {r: 0 for r in REASONS}
    hourly: dict = defaultdict(lambda: _empty())
    daily: dict = defaultdict(lambda: _empty())
    valid = 0
    for row in rows:
        row = (list(row) + [None] * 8)[:8]
        reason, sec, nums = check_row(row[1], row[3], row[4:8], latest)
        if reason:
            dropped[reason] += 1
            continue
        valid += 1
        for acc in (hourly[(row[3], sec // 3600)], daily[(row[3], sec // 86400)]):
            acc["rows"] += 1
            for m, n in zip(MEASURES, nums):
                if n is not None:
                    a = acc[m]
                    a["min"] = n if a["min"] is None else min(a["min"], n)
                    a["max"] = n if a["max"] is None else max(a["max"], n)
                    a["sum"] += n
                    a["count"] += 1
    return {"rows_read": len(rows), "rows_valid": valid, "dropped": dropped, "hourly": dict(hourly),
            "daily": dict(daily)}


def _empty() -> dict:
    return {"rows": 0, **{m: {"min": None, "max": None, "sum": 0.0, "count": 0} for m in MEASURES}}


def assert_aggregates_equal(test, spark_rows: dict, expected: dict, what: str) -> None:
    """spark_rows: {key: Row of the job's output}; expected: {key: reference accumulator}."""
    test.assertEqual(sorted(spark_rows), sorted(expected), f"{what}: the set of (location, period) keys differs")
    for key, exp in expected.items():
        got = spark_rows[key]
        test.assertEqual(got["rows"], exp["rows"], f"{what} {key}: rows")
        for m in MEASURES:
            e = exp[m]
            test.assertEqual(got[f"{m}_count"], e["count"], f"{what} {key}: {m}_count")
            test.assertEqual(got[f"{m}_min"], e["min"], f"{what} {key}: {m}_min")
            test.assertEqual(got[f"{m}_max"], e["max"], f"{what} {key}: {m}_max")
            mean = e["sum"] / e["count"] if e["count"] else None
            if mean is None:
                test.assertIsNone(got[f"{m}_mean"], f"{what} {key}: {m}_mean")
            else:
                test.assertTrue(math.isclose(got[f"{m}_mean"], mean, rel_tol=1e-9, abs_tol=1e-12),
                                f"{what} {key}: {m}_mean {got[f'{m}_mean']} != {mean}")


def spark_submit(*args: str, timeout: int = 300, master: str = "local[2]") -> subprocess.CompletedProcess:
    """Runs `spark-submit --master MASTER ARGS` from a scratch working directory (Spark writes artifacts/ there)."""
    cmd = ["spark-submit", "--master", master, "--driver-memory", "512m", *args]
    return subprocess.run(cmd, cwd=tmp_root(), capture_output=True, text=True, timeout=timeout)
