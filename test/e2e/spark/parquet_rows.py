"""Prints the rows of a Parquet directory whose `location` starts with a prefix, one line each:
PARQUET_ROW {...} (JSON; timestamps as UTC text). The end-to-end test compares them with what it computes
from MariaDB's rows itself, so the weather job's output is checked by something other than the job.

    spark-submit --master local[1] parquet_rows.py /var/lib/spark-data/out/hourly writer-
"""
import json
import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F


def main() -> None:
    if len(sys.argv) != 3:
        raise SystemExit("usage: parquet_rows.py PARQUET_DIR LOCATION_PREFIX")
    path, prefix = sys.argv[1], sys.argv[2]
    spark = (SparkSession.builder.appName("parquet-rows")
             .config("spark.sql.session.timeZone", "UTC")
             .config("spark.ui.enabled", "false")
             .getOrCreate())
    for row in spark.read.parquet(path).where(F.col("location").startswith(prefix)).collect():
        print("PARQUET_ROW " + json.dumps(row.asDict(), default=str), flush=True)
    spark.stop()


if __name__ == "__main__":
    main()
