"""Fakes of the console's backends (bigdata_console.backends), same methods and attributes, canned data.

Each fake fails with ``fail`` (an exception raised by every call) or hangs for ``hang`` seconds when set.
"""
from __future__ import annotations

import time
from typing import Any


class Fake:
    name = "?"

    def __init__(self, address: str, fail: Exception | None = None, hang: float = 0.0):
        self.address = address
        self.fail = fail
        self.hang = hang
        self.calls: list[tuple[Any, ...]] = []

    def _check(self, *call: Any) -> None:
        self.calls.append(call)
        if self.hang:
            time.sleep(self.hang)
        if self.fail is not None:
            raise self.fail

    def probe(self) -> dict[str, Any]:
        self._check("probe")
        return {}


class FakeKafka(Fake):
    name = "Kafka"

    def __init__(self, address: str = "kafka-1:9092", topics: list[dict[str, Any]] | None = None,
                 groups: list[dict[str, Any]] | None = None, messages: list[dict[str, Any]] | None = None, **kw: Any):
        super().__init__(address, **kw)
        self.topics = topics if topics is not None else [
            {"name": "web-crawler-test", "internal": False, "error": None, "records": 120, "end_total": 150,
             "partitions": [
                 {"partition": 0, "leader": 1, "replicas": [1], "isr": [1], "begin": 10, "end": 60, "records": 50},
                 {"partition": 1, "leader": 1, "replicas": [1], "isr": [1], "begin": 20, "end": 90, "records": 70},
             ]},
            {"name": "__consumer_offsets", "internal": True, "error": None, "records": 3, "end_total": 3,
             "partitions": [{"partition": 0, "leader": 1, "replicas": [1], "isr": [1], "begin": 0, "end": 3,
                             "records": 3}]},
        ]
        self.groups = groups if groups is not None else [
            {"group": "connect-web-crawler-test-file-sink", "state": "STABLE", "members": 1, "error": None,
             "partitions": [{"topic": "web-crawler-test", "partition": 0, "committed": 55, "end": 60, "lag": 5},
                            {"topic": "web-crawler-test", "partition": 1, "committed": 90, "end": 90, "lag": 0}],
             "lag_by_topic": {"web-crawler-test": 5}, "lag": 5},
        ]
        self.msgs = messages if messages is not None else [
            {"partition": 0, "offset": 59, "timestamp_ms": 1700000000000, "headers": [],
             "key": {"kind": "json", "text": "1"}, "value": {"kind": "json", "text": '{\n  "id": 1\n}'}},
        ]

    def cluster(self) -> dict[str, Any]:
        self._check("cluster")
        return {"brokers": [{"id": 1, "host": "kafka-1", "port": 9092}], "topics": self.topics, "groups": self.groups}

    def topic_records(self, topic: str) -> dict[str, Any]:
        self._check("topic_records", topic)
        t = next(t for t in self.topics if t["name"] == topic)
        return {"topic": topic, "partitions": len(t["partitions"]), "records": t["records"], "end_total": t["end_total"]}

    def messages(self, topic: str, n: int) -> list[dict[str, Any]]:
        self._check("messages", topic, n)
        return self.msgs[-n:]


class FakeConnect(Fake):
    name = "Kafka Connect"

    def __init__(self, address: str = "http://connect-1:8083", connectors: list[dict[str, Any]] | None = None,
                 **kw: Any):
        super().__init__(address, **kw)
        self.items = connectors if connectors is not None else [
            {"name": "web-crawler-test-source", "type": "source", "state": "RUNNING", "worker_id": "connect-1:8083",
             "trace": None, "config": {"connector.class": "io.debezium.connector.mariadb.MariaDbConnector",
                                       "database.password": "[hidden]"},
             "tasks": [{"id": 0, "state": "RUNNING", "worker_id": "connect-1:8083", "trace": None}]},
            {"name": "web-crawler-test-file-sink", "type": "sink", "state": "RUNNING", "worker_id": "connect-1:8083",
             "trace": None, "config": {"connector.class": "org.apache.kafka.connect.file.FileStreamSinkConnector"},
             "tasks": [{"id": 0, "state": "FAILED", "worker_id": "connect-1:8083",
                        "trace": "org.apache.kafka.connect.errors.ConnectException: disk full\n\tat Foo.bar"}]},
        ]
        self.actions: list[tuple[str, str]] = []

    def connectors(self) -> list[dict[str, Any]]:
        self._check("connectors")
        return self.items

    def action(self, name: str, action: str) -> dict[str, Any]:
        self._check("action", name, action)
        self.actions.append((name, action))
        return {"status_code": 202}


class FakeSpark(Fake):
    name = "Spark master"

    def __init__(self, address: str = "http://spark-master:8080", **kw: Any):
        super().__init__(address, **kw)

    def summary(self) -> dict[str, Any]:
        self._check("summary")
        return {"url": "spark://spark-master:7077", "status": "ALIVE", "alive_workers": 2, "cores": 2, "cores_used": 0,
                "memory_mb": 2048, "memory_used_mb": 0, "completed_apps_count": 1,
                "workers": [{"id": "w1", "host": "10.0.0.5", "port": 35000, "state": "ALIVE", "cores": 1,
                             "cores_used": 0, "memory_mb": 1024, "memory_used_mb": 0}],
                "active_apps": [],
                "completed_apps": [{"id": "app-1", "name": "weather-job", "state": "FINISHED", "cores": 2,
                                    "user": "spark", "duration_ms": 12345, "submitted": "x"}]}


class FakeMariaDb(Fake):
    name = "MariaDB"

    def __init__(self, address: str = "mariadb:3306", rows: int = 130, **kw: Any):
        super().__init__(address, **kw)
        self.rows = rows

    def row_count(self) -> dict[str, Any]:
        self._check("row_count")
        return {"table": "testdb.test", "rows": self.rows}


class FakeSink(Fake):
    name = "sink file"

    def __init__(self, address: str = "/var/lib/connect-sink/weather.txt", lines: int = 115, **kw: Any):
        super().__init__(address, **kw)
        self.lines = lines

    def line_count(self) -> dict[str, Any]:
        self._check("line_count")
        return {"path": self.address, "lines": self.lines, "bytes": self.lines * 10}


class FakeChart:
    def __init__(self) -> None:
        self.rendered: list[Any] = []

    def svg(self, rows: list[dict[str, Any]]) -> str:
        self.rendered.append(rows)
        return '<svg xmlns="http://www.w3.org/2000/svg"></svg>'
