"""Counts the rows of a Kafka topic written by the platform's source connector.

Reads the whole topic as a batch (earliest to latest offsets), parses each value as the flat JSON row
the connector writes, optionally keeps ids up to --max-id, and prints one JSON line: records, distinct
ids, the smallest and largest id, and the executors that ran.
Used by the end-to-end test to check that Spark sees exactly the rows MariaDB holds.

    spark-submit --master spark://spark-master:7077 jobs/topic_count.py --bootstrap kafka-1:9092 --topic web-crawler-test
"""
import argparse
import json
import time

from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import LongType, StructField, StructType


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap", required=True, help="Kafka bootstrap servers")
    parser.add_argument("--topic", required=True)
    parser.add_argument("--max-id", type=int, help="count only rows up to this id (a snapshot of a table that keeps growing)")
    parser.add_argument("--min-partitions", type=int, help="split the offsets into at least this many tasks")
    parser.add_argument("--wait-executors", type=int, default=0, help="wait (up to 120 s) until this many executors registered")
    args = parser.parse_args()

    spark = SparkSession.builder.appName("topic-count").getOrCreate()
    sc = spark.sparkContext
    deadline = time.monotonic() + 120
    while sc._jsc.sc().getExecutorMemoryStatus().size() - 1 < args.wait_executors and time.monotonic() < deadline:
        time.sleep(0.25)
    reader = (
        spark.read.format("kafka")
        .option("kafka.bootstrap.servers", args.bootstrap)
        .option("subscribe", args.topic)
        .option("startingOffsets", "earliest")
        .option("endingOffsets", "latest")
    )
    if args.min_partitions:
        reader = reader.option("minPartitions", str(args.min_partitions))
    raw = reader.load()
    rows = raw.select(F.from_json(F.col("value").cast("string"), StructType([StructField("id", LongType())])).alias("row"))
    if args.max_id is not None:
        rows = rows.where(F.col("row.id") <= args.max_id)
    summary = rows.agg(
        F.count(F.lit(1)).alias("records"),
        F.countDistinct("row.id").alias("distinct_ids"),
        F.min("row.id").alias("min_id"),
        F.max("row.id").alias("max_id"),
    ).collect()[0]
    executors = spark.sparkContext._jsc.sc().getExecutorMemoryStatus().size() - 1  # minus the driver
    print("TOPIC_COUNT " + json.dumps({**summary.asDict(), "executors": executors}), flush=True)
    spark.stop()


if __name__ == "__main__":
    main()
