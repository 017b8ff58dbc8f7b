"""Clients of the platform's services, one class per backend, each call bounded by a short timeout.

Each method either returns plain data (dicts and lists, ready for JSON and the templates) or raises; the app turns
an exception into "<backend> at <address> is unreachable: <error>" on the page and in the JSON, so no backend can
crash a page. The tests replace these classes with fakes of the same shape (test/unit/fakes.py).
"""
from __future__ import annotations

import json
import logging
import os
import re
import threading
import time
from typing import Any
from urllib.parse import quote

import httpx

log = logging.getLogger("bigdata_console")

# Connector config keys whose values are never shown (Debezium's database.password, SASL/JAAS settings, ...)
_SECRET_KEY = re.compile(r"(password|passwd|secret|token|credential|sasl\.jaas|\.key$|ssl\.key|api\.key)", re.I)
REDACTED = "[hidden]"
ACTIONS = ("restart", "pause", "resume")


def redact(config: dict[str, Any]) -> dict[str, Any]:
    return {k: (REDACTED if _SECRET_KEY.search(k) and not k.endswith(".converter") else v) for k, v in config.items()}


def decode_payload(raw: bytes | None, limit: int = 65536) -> dict[str, Any]:
    """A message key or value for display: pretty JSON when it parses, else text, else hex."""
    if raw is None:
        return {"kind": "null", "text": "null"}
    truncated = len(raw) > limit
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        shown = raw[:limit // 2].hex()
        return {"kind": "bytes", "text": shown + ("…" if truncated else ""), "size": len(raw)}
    if not truncated:
        try:
            return {"kind": "json", "text": json.dumps(json.loads(text), indent=2, ensure_ascii=False), "size": len(raw)}
        except ValueError:
            pass
    return {"kind": "text", "text": text[:limit] + ("…" if truncated else ""), "size": len(raw)}


# ---------------------------------------------------------------------------------------------------------------
# Kafka (confluent-kafka: librdkafka speaks Kafka 4's protocol versions)
# ---------------------------------------------------------------------------------------------------------------
class KafkaBackend:
    name = "Kafka"

    def __init__(self, bootstrap_servers: str, timeout: float):
        self.address = bootstrap_servers
        self.timeout = timeout
        self._admin = None
        self._lock = threading.Lock()
        self.last_error: str | None = None

    def _common(self) -> dict[str, Any]:
        ms = int(self.timeout * 1000)
        return {
            "bootstrap.servers": self.address,
            "client.id": "bigdata-console",
            "socket.timeout.ms": max(ms, 1000),
            "socket.connection.setup.timeout.ms": max(ms, 1000),
            "reconnect.backoff.max.ms": 5000,
            # connection failures reach the pages through the calls' errors; keep librdkafka's own log quiet
            "log_level": 2,
            "error_cb": self._on_error,
        }

    def _on_error(self, err: Any) -> None:
        self.last_error = str(err)

    def admin(self) -> Any:
        from confluent_kafka.admin import AdminClient

        with self._lock:
            if self._admin is None:
                self._admin = AdminClient(self._common())
            return self._admin

    def probe(self) -> dict[str, Any]:
        md = self.admin().list_topics(timeout=self.timeout)
        return {"brokers": len(md.brokers), "topics": len(md.topics)}

    def _offsets(self, partitions: list[tuple[str, int]]) -> dict[tuple[str, int], tuple[int, int]]:
        """(begin, end) offsets of each partition: two batched ListOffsets requests."""
        from confluent_kafka import TopicPartition
        from confluent_kafka.admin import OffsetSpec

        if not partitions:
            return {}
        result: dict[tuple[str, int], list[int]] = {p: [-1, -1] for p in partitions}
        for i, spec in enumerate((OffsetSpec.earliest(), OffsetSpec.latest())):
            futures = self.admin().list_offsets({TopicPartition(t, p): spec for t, p in partitions},
                                                request_timeout=self.timeout)
            for tp, fut in futures.items():
                result[(tp.topic, tp.partition)][i] = fut.result(timeout=self.timeout + 1).offset
        return {k: (v[0], v[1]) for k, v in result.items()}

    def cluster(self) -> dict[str, Any]:
        """Brokers, topics with partitions and offsets, consumer groups with their committed offsets and lag."""
        from confluent_kafka import ConsumerGroupTopicPartitions

        admin = self.admin()
        md = admin.list_topics(timeout=self.timeout)
        brokers = sorted(({"id": b.id, "host": b.host, "port": b.port} for b in md.brokers.values()),
                         key=lambda b: b["id"])
        topic_errors = {name: str(t.error) for name, t in md.topics.items() if t.error is not None}
        parts = [(name, p) for name, t in md.topics.items() if t.error is None for p in t.partitions]
        offsets = self._offsets(parts)
        topics = []
        for name in sorted(md.topics):
            t = md.topics[name]
            partitions = []
            for pid in sorted(t.partitions):
                p = t.partitions[pid]
                begin, end = offsets.get((name, pid), (-1, -1))
                partitions.append({"partition": pid, "leader": p.leader, "replicas": list(p.replicas),
                                   "isr": list(p.isrs), "begin": begin, "end": end,
                                   "records": max(end - begin, 0) if begin >= 0 and end >= 0 else None})
            known = [p["records"] for p in partitions if p["records"] is not None]
            topics.append({"name": name, "internal": name.startswith("__"), "error": topic_errors.get(name),
                           "partitions": partitions, "records": sum(known),
                           "end_total": sum(p["end"] for p in partitions if p["end"] >= 0)})

        listing = admin.list_consumer_groups(request_timeout=self.timeout).result(timeout=self.timeout + 1)
        group_ids = sorted(g.group_id for g in listing.valid)[:200]
        states = {g.group_id: str(getattr(g.state, "name", g.state)) for g in listing.valid}
        members: dict[str, int | None] = {}
        if group_ids:
            for gid, fut in admin.describe_consumer_groups(group_ids, request_timeout=self.timeout).items():
                try:
                    d = fut.result(timeout=self.timeout + 1)
                    members[gid] = len(d.members)
                    states[gid] = str(getattr(d.state, "name", d.state))
                except Exception:  # a group gone in between: its listing is enough
                    members[gid] = None
        futures = {gid: admin.list_consumer_group_offsets([ConsumerGroupTopicPartitions(gid)],
                                                          request_timeout=self.timeout)[gid]
                   for gid in group_ids}
        groups = []
        for gid in group_ids:
            committed = []
            error = None
            try:
                res = futures[gid].result(timeout=self.timeout + 1)
                for tp in res.topic_partitions or []:
                    if tp.offset < 0:
                        continue  # no committed offset for that partition
                    begin, end = offsets.get((tp.topic, tp.partition), (-1, -1))
                    committed.append({"topic": tp.topic, "partition": tp.partition, "committed": tp.offset,
                                      "end": end, "lag": max(end - tp.offset, 0) if end >= 0 else None})
            except Exception as e:
                error = str(e)
            committed.sort(key=lambda c: (c["topic"], c["partition"]))
            lag_by_topic: dict[str, int] = {}
            for c in committed:
                lag_by_topic[c["topic"]] = lag_by_topic.get(c["topic"], 0) + (c["lag"] or 0)
            groups.append({"group": gid, "state": states.get(gid, "UNKNOWN"), "members": members.get(gid),
                           "partitions": committed, "lag_by_topic": lag_by_topic,
                           "lag": sum(lag_by_topic.values()), "error": error})
        return {"brokers": brokers, "topics": topics, "groups": groups}

    def topic_records(self, topic: str) -> dict[str, Any]:
        """Records of one topic now: the sum over its partitions of end - begin offsets."""
        md = self.admin().list_topics(topic=topic, timeout=self.timeout)
        t = md.topics.get(topic)
        if t is None or t.error is not None:
            raise LookupError(f"topic {topic} does not exist" + (f" ({t.error})" if t is not None else ""))
        offsets = self._offsets([(topic, p) for p in t.partitions])
        return {"topic": topic, "partitions": len(t.partitions),
                "records": sum(max(e - b, 0) for b, e in offsets.values()),
                "end_total": sum(e for _, e in offsets.values())}

    def messages(self, topic: str, n: int) -> list[dict[str, Any]]:
        """The last n messages of a topic (the newest n over all partitions, by timestamp), oldest first."""
        from confluent_kafka import Consumer, KafkaError, TopicPartition

        md = self.admin().list_topics(topic=topic, timeout=self.timeout)
        t = md.topics.get(topic)
        if t is None or t.error is not None:
            raise LookupError(f"topic {topic} does not exist" + (f" ({t.error})" if t is not None else ""))
        offsets = self._offsets([(topic, p) for p in t.partitions])
        assign = [TopicPartition(topic, p, max(b, e - n)) for (_, p), (b, e) in offsets.items() if e > b]
        if not assign:
            return []
        pending = {tp.partition for tp in assign}
        consumer = Consumer({**self._common(), "group.id": "bigdata-console-peek", "enable.auto.commit": False,
                             "enable.auto.offset.store": False, "enable.partition.eof": True,
                             "auto.offset.reset": "latest", "fetch.max.bytes": 8 * 1024 * 1024})
        out = []
        try:
            consumer.assign(assign)
            deadline = time.monotonic() + self.timeout
            while pending and time.monotonic() < deadline:
                for m in consumer.consume(num_messages=500, timeout=min(0.5, max(deadline - time.monotonic(), 0.01))):
                    if m.error() is not None:
                        if m.error().code() == KafkaError._PARTITION_EOF:
                            pending.discard(m.partition())
                            continue
                        raise RuntimeError(str(m.error()))
                    end = offsets[(topic, m.partition())][1]
                    if m.offset() >= end - 1:
                        pending.discard(m.partition())
                    ts_type, ts = m.timestamp()
                    out.append({"partition": m.partition(), "offset": m.offset(), "timestamp_ms": ts if ts_type else None,
                                "key": decode_payload(m.key()), "value": decode_payload(m.value()),
                                "headers": [[k, decode_payload(v)["text"]] for k, v in (m.headers() or [])]})
        finally:
            consumer.close()
        out.sort(key=lambda m: (m["timestamp_ms"] or 0, m["partition"], m["offset"]))
        return out[-n:]


# ---------------------------------------------------------------------------------------------------------------
# Kafka Connect REST API
# ---------------------------------------------------------------------------------------------------------------
class ConnectBackend:
    name = "Kafka Connect"

    def __init__(self, url: str, timeout: float):
        self.address = url
        self.client = httpx.Client(base_url=url, timeout=timeout, follow_redirects=False,
                                   headers={"Accept": "application/json"})

    def _get(self, path: str, **kw: Any) -> Any:
        r = self.client.get(path, **kw)
        r.raise_for_status()
        return r.json()

    def probe(self) -> dict[str, Any]:
        root = self._get("/")
        return {"version": root.get("version")}

    def connectors(self) -> list[dict[str, Any]]:
        raw = self._get("/connectors", params=[("expand", "status"), ("expand", "info")])
        out = []
        for name in sorted(raw):
            status = raw[name].get("status") or {}
            info = raw[name].get("info") or {}
            conn = status.get("connector") or {}
            tasks = sorted(status.get("tasks") or [], key=lambda t: t.get("id", 0))
            out.append({
                "name": name,
                "type": status.get("type") or info.get("type"),
                "state": conn.get("state", "UNKNOWN"),
                "worker_id": conn.get("worker_id"),
                "trace": conn.get("trace"),
                "tasks": [{"id": t.get("id"), "state": t.get("state", "UNKNOWN"), "worker_id": t.get("worker_id"),
                           "trace": t.get("trace")} for t in tasks],
                "config": redact(info.get("config") or {}),
            })
        return out

    def action(self, name: str, action: str) -> dict[str, Any]:
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        path = f"/connectors/{quote(name, safe='')}/{action}"
        if action == "restart":
            r = self.client.post(path, params={"includeTasks": "true", "onlyFailed": "false"})
        else:
            r = self.client.put(path)
        if r.status_code >= 400:
            try:
                message = r.json().get("message") or r.text
            except ValueError:
                message = r.text
            raise ActionRefused(f"Kafka Connect answered {r.status_code}: {message}", r.status_code)
        return {"status_code": r.status_code}


class ActionRefused(Exception):
    def __init__(self, message: str, status_code: int):
        super().__init__(message)
        self.status_code = status_code


# ---------------------------------------------------------------------------------------------------------------
# Spark standalone master (its web UI's /json/ endpoint)
# ---------------------------------------------------------------------------------------------------------------
class SparkBackend:
    name = "Spark master"

    def __init__(self, url: str, timeout: float):
        self.address = url
        self.client = httpx.Client(base_url=url, timeout=timeout, follow_redirects=True)

    def probe(self) -> dict[str, Any]:
        s = self.summary()
        return {"status": s["status"], "alive_workers": s["alive_workers"]}

    def summary(self) -> dict[str, Any]:
        r = self.client.get("/json/")
        r.raise_for_status()
        j = r.json()
        workers = [{"id": w.get("id"), "host": w.get("host"), "port": w.get("port"), "state": w.get("state"),
                    "cores": w.get("cores"), "cores_used": w.get("coresused"), "memory_mb": w.get("memory"),
                    "memory_used_mb": w.get("memoryused")} for w in j.get("workers") or []]

        def app(a: dict[str, Any]) -> dict[str, Any]:
            return {"id": a.get("id"), "name": a.get("name"), "state": a.get("state"), "cores": a.get("cores"),
                    "user": a.get("user"), "duration_ms": a.get("duration"), "submitted": a.get("submitdate")}

        return {"url": j.get("url"), "status": j.get("status"), "workers": workers,
                "alive_workers": j.get("aliveworkers", sum(1 for w in workers if w["state"] == "ALIVE")),
                "cores": j.get("cores"), "cores_used": j.get("coresused"),
                "memory_mb": j.get("memory"), "memory_used_mb": j.get("memoryused"),
                "active_apps": [app(a) for a in j.get("activeapps") or []],
                "completed_apps": [app(a) for a in (j.get("completedapps") or [])[-10:]],
                "completed_apps_count": len(j.get("completedapps") or [])}


# ---------------------------------------------------------------------------------------------------------------
# MariaDB: the crawler's table
# ---------------------------------------------------------------------------------------------------------------
class MariaDbBackend:
    name = "MariaDB"

    def __init__(self, cfg: Any, timeout: float):
        self.cfg = cfg
        self.address = cfg.address
        self.timeout = timeout

    def _connect(self) -> Any:
        import pymysql

        t = max(1, int(round(self.timeout)))
        return pymysql.connect(host=self.cfg.host, port=self.cfg.port, user=self.cfg.user,
                               password=self.cfg.password, database=self.cfg.database, connect_timeout=t,
                               read_timeout=t + 1, write_timeout=t, autocommit=True)

    def probe(self) -> dict[str, Any]:
        conn = self._connect()
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT VERSION()")
                return {"version": cur.fetchone()[0]}
        finally:
            conn.close()

    def row_count(self) -> dict[str, Any]:
        conn = self._connect()
        try:
            with conn.cursor() as cur:
                # the server stops the count itself when it runs longer than the timeout (a big table)
                cur.execute(f"SET STATEMENT max_statement_time={self.timeout:.3f} FOR "
                            f"SELECT COUNT(*) FROM `{self.cfg.table}`")
                return {"table": f"{self.cfg.database}.{self.cfg.table}", "rows": int(cur.fetchone()[0])}
        finally:
            conn.close()


# ---------------------------------------------------------------------------------------------------------------
# The file sink's output: lines counted incrementally (a growing file is read only from where the last count ended)
# ---------------------------------------------------------------------------------------------------------------
class SinkFile:
    name = "sink file"

    def __init__(self, path: str, timeout: float):
        self.address = path
        self.timeout = timeout
        self._lock = threading.Lock()
        self._state: tuple[int, int, int, int] | None = None  # (device, inode, bytes counted, lines)

    def probe(self) -> dict[str, Any]:
        st = os.stat(self.address)
        return {"bytes": st.st_size}

    def line_count(self) -> dict[str, Any]:
        with self._lock:
            with open(self.address, "rb") as f:
                st = os.fstat(f.fileno())
                dev, ino, done, lines = self._state or (st.st_dev, st.st_ino, 0, 0)
                if (dev, ino) != (st.st_dev, st.st_ino) or st.st_size < done:
                    done, lines = 0, 0  # rotated or truncated: count again
                f.seek(done)
                deadline = time.monotonic() + self.timeout
                while True:
                    chunk = f.read(1 << 20)
                    if not chunk:
                        break
                    lines += chunk.count(b"\n")
                    done += len(chunk)
                    if time.monotonic() > deadline:
                        self._state = (st.st_dev, st.st_ino, done, lines)
                        raise TimeoutError(f"counted {lines} lines in the first {done} bytes; "
                                           "the rest is counted on the next request")
                self._state = (st.st_dev, st.st_ino, done, lines)
                return {"path": self.address, "lines": lines, "bytes": done}
