"""The console image against real Kafka, Kafka Connect (and MariaDB) containers: run by test/integration.sh,
which starts them and passes their published addresses in CONSOLE_IT_* variables. The tests run in file order and
build on each other (produce, commit, sink, then check, act, and finally stop Kafka).
"""
from __future__ import annotations

import json
import os
import subprocess
import time
from typing import Any, Callable

import httpx
import pytest

if "CONSOLE_IT_URL" not in os.environ:
    pytest.skip("run by console/test/integration.sh, which starts the containers", allow_module_level=True)

URL = os.environ["CONSOLE_IT_URL"]
KAFKA = os.environ["CONSOLE_IT_KAFKA"]
CONNECT = os.environ["CONSOLE_IT_CONNECT"]
TOKEN = os.environ["CONSOLE_IT_TOKEN"]
TOPIC = os.environ["CONSOLE_IT_TOPIC"]
PREFIX = os.environ["CONSOLE_IT_PREFIX"]
MARIADB_ROWS = int(os.environ["CONSOLE_IT_MARIADB_ROWS"]) if os.environ.get("CONSOLE_IT_MARIADB_ROWS") else None
RSS_FILE = os.environ["CONSOLE_IT_RSS_FILE"]
GROUP = f"{PREFIX}-group"
SINK = f"{PREFIX}-sink"
PARTITIONS = 3
MESSAGES = 12
# per partition: the offset the test group commits (so lag = end - this)
COMMIT_AT = 2

http = httpx.Client(base_url=URL, timeout=20)
state: dict[str, Any] = {}


def wait_for(what: str, check: Callable[[], Any], timeout: float = 90, every: float = 1) -> Any:
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        try:
            last = check()
            if last:
                return last
        except Exception as e:  # not there yet
            last = e
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout:g} s waiting for {what}; last: {last!r}")


def rss() -> str:
    return subprocess.run(["docker", "exec", f"{PREFIX}-console", "sed", "-n", "s/^VmRSS:[[:space:]]*//p", "/proc/1/status"],
                          check=True, capture_output=True, text=True).stdout.strip()


def test_console_answers_and_says_what_is_unreachable():
    h = wait_for("the console's /health", lambda: http.get("/health").json(), timeout=60)
    assert h["status"] == "ok" and h["actions_enabled"] is True
    with open(RSS_FILE, "a") as f:
        f.write(f"after start (idle): {rss()}\n")
    # the console is up before Kafka and Connect: it says so and keeps answering
    assert h["backends"]["spark"]["reachable"] is False
    assert h["backends"]["spark"]["address"] == f"http://{PREFIX}-nospark:8080"


def test_produce_and_commit():
    from confluent_kafka import Consumer, Producer, TopicPartition
    from confluent_kafka.admin import AdminClient, NewTopic

    quiet = {"bootstrap.servers": KAFKA, "log_level": 3}  # not librdkafka's notices while Kafka starts
    admin = AdminClient(quiet)
    wait_for("Kafka", lambda: admin.list_topics(timeout=5).brokers)
    admin.create_topics([NewTopic(TOPIC, num_partitions=PARTITIONS, replication_factor=1)])[TOPIC].result(30)
    producer = Producer({**quiet, "linger.ms": 0})
    counts = [0] * PARTITIONS
    t0 = int(time.time() * 1000) - MESSAGES * 1000
    for i in range(MESSAGES):
        # round-robin over the partitions, one second apart: "the last n" over all partitions is by timestamp
        producer.produce(TOPIC, key=f"k{i}", value=json.dumps({"id": i, "location": f"<b>loc {i}</b>", "temp": i + 0.5}),
                         partition=i % PARTITIONS, timestamp=t0 + i * 1000)
        counts[i % PARTITIONS] += 1
    assert producer.flush(30) == 0
    state["counts"] = counts
    consumer = Consumer({**quiet, "group.id": GROUP, "enable.auto.commit": False})

    def commit() -> bool:  # NOT_COORDINATOR while the broker still creates __consumer_offsets
        consumer.commit(offsets=[TopicPartition(TOPIC, p, COMMIT_AT) for p in range(PARTITIONS)], asynchronous=False)
        return True

    wait_for("the group's offsets committed", commit, timeout=60)
    consumer.close()


def test_sink_connector_running():
    with httpx.Client(base_url=CONNECT, timeout=10) as c:
        wait_for("Kafka Connect's REST API", lambda: c.get("/connectors").status_code == 200, timeout=120)
        r = c.put(f"/connectors/{SINK}/config", json={
            "connector.class": "org.apache.kafka.connect.file.FileStreamSinkConnector", "tasks.max": "1",
            "topics": TOPIC, "file": "/var/lib/connect-sink/it.txt"})
        assert r.status_code in (200, 201), r.text

        def running() -> bool:
            s = c.get(f"/connectors/{SINK}/status").json()
            return s["connector"]["state"] == "RUNNING" and [t["state"] for t in s["tasks"]] == ["RUNNING"]

        wait_for("the sink connector RUNNING", running, timeout=60)


def test_topics_offsets_and_lag():
    j = wait_for("the topic in /api/topics", lambda: (lambda j: j if any(
        t["name"] == TOPIC for t in j["kafka"]["data"]["topics"]) else None)(http.get("/api/topics").json()))
    t = next(t for t in j["kafka"]["data"]["topics"] if t["name"] == TOPIC)
    assert [p["partition"] for p in t["partitions"]] == list(range(PARTITIONS))
    assert [p["begin"] for p in t["partitions"]] == [0] * PARTITIONS
    assert [p["end"] for p in t["partitions"]] == state["counts"]
    assert t["records"] == MESSAGES and t["end_total"] == MESSAGES
    assert all(p["leader"] == 1 and p["isr"] == [1] for p in t["partitions"])
    g = next(g for g in j["kafka"]["data"]["groups"] if g["group"] == GROUP)
    assert [(c["partition"], c["committed"], c["end"], c["lag"]) for c in g["partitions"]] == \
        [(p, COMMIT_AT, n, n - COMMIT_AT) for p, n in enumerate(state["counts"])]
    assert g["lag"] == MESSAGES - PARTITIONS * COMMIT_AT
    assert j["unreachable"] == []

    # the sink connector's own consumer group catches up to lag 0
    def sink_group_done() -> bool:
        groups = http.get("/api/topics").json()["kafka"]["data"]["groups"]
        sg = [g for g in groups if g["group"] == f"connect-{SINK}"]
        return bool(sg) and sg[0]["lag"] == 0 and sum(c["committed"] for c in sg[0]["partitions"]) == MESSAGES

    wait_for("the sink's consumer group at lag 0", sink_group_done, timeout=60)
    page = http.get("/topics").text
    assert TOPIC in page and GROUP in page


def test_last_messages():
    j = http.get(f"/api/topics/{TOPIC}/messages", params={"n": 5}).json()
    assert j["kafka"]["ok"], j
    msgs = j["kafka"]["data"]
    assert len(msgs) == 5
    assert sorted(json.loads(m["value"]["text"])["id"] for m in msgs) == list(range(MESSAGES - 5, MESSAGES))
    assert all(m["value"]["kind"] == "json" and m["value"]["text"].startswith("{\n  ") for m in msgs)
    capped = http.get(f"/api/topics/{TOPIC}/messages", params={"n": 1000}).json()
    assert capped["n"] == 50 and "capped at 50" in capped["note"] and len(capped["kafka"]["data"]) == MESSAGES
    page = http.get(f"/topics/{TOPIC}", params={"n": 3}).text
    assert "&lt;b&gt;loc 11&lt;/b&gt;" in page and "<b>loc" not in page


def connector() -> dict[str, Any]:
    j = http.get("/api/connectors").json()
    assert j["connect"]["ok"], j
    return next(c for c in j["connect"]["data"] if c["name"] == SINK)


def test_connectors():
    c = connector()
    assert c["state"] == "RUNNING" and c["type"] == "sink"
    assert [t["state"] for t in c["tasks"]] == ["RUNNING"]
    assert c["config"]["connector.class"] == "org.apache.kafka.connect.file.FileStreamSinkConnector"
    assert SINK in http.get("/connect").text


def states() -> tuple[str, list[str]]:
    c = connector()
    return c["state"], [t["state"] for t in c["tasks"]]


def test_actions_need_the_token():
    for headers in ({}, {"X-Console-Token": "wrong-token-000000000000"}):
        r = http.post(f"/api/connectors/{SINK}/pause", headers=headers)
        assert r.status_code == 403 and "missing or wrong token" in r.json()["error"]
    r = http.post("/connect/action", data={"connector": SINK, "action": "pause", "confirm": "yes", "token": "nope"})
    assert r.status_code == 403
    time.sleep(2)
    assert states() == ("RUNNING", ["RUNNING"])


def test_pause_resume_round_trip():
    r = http.post(f"/api/connectors/{SINK}/pause", headers={"X-Console-Token": TOKEN})
    assert r.status_code == 200, r.text
    wait_for("PAUSED", lambda: states() == ("PAUSED", ["PAUSED"]), timeout=30)
    assert "state-paused" in http.get("/connect").text
    r = http.post(f"/api/connectors/{SINK}/resume", headers={"X-Console-Token": TOKEN})
    assert r.status_code == 200, r.text
    wait_for("RUNNING again", lambda: states() == ("RUNNING", ["RUNNING"]), timeout=30)


def test_restart_through_the_confirmation_form():
    confirm = http.get("/connect/confirm", params={"connector": SINK, "action": "restart"})
    assert confirm.status_code == 200 and 'name="confirm" value="yes"' in confirm.text
    r = http.post("/connect/action", data={"connector": SINK, "action": "restart", "confirm": "yes", "token": TOKEN})
    assert r.status_code == 303 and r.headers["location"].startswith("/connect?message=restart"), r.text
    wait_for("RUNNING after the restart", lambda: states() == ("RUNNING", ["RUNNING"]), timeout=30)
    r = http.post(f"/api/connectors/{PREFIX}-nope/pause", headers={"X-Console-Token": TOKEN})
    assert r.status_code == 502 and "404" in r.json()["error"]


def test_overview_counts():
    def sunk() -> dict[str, Any] | None:
        j = http.get("/api/overview").json()
        return j if j["pipeline"]["sink_lines"] == MESSAGES else None

    j = wait_for("the sink file's lines", sunk, timeout=60)
    p = j["pipeline"]
    assert p["topic"] == TOPIC and p["topic_records"] == MESSAGES and p["sink_minus_topic"] == 0
    assert [u["backend"] for u in j["unreachable"]] == ([] if MARIADB_ROWS is not None else ["MariaDB"]) + ["Spark master"]
    spark = next(u for u in j["unreachable"] if u["backend"] == "Spark master")
    assert spark["address"] == f"http://{PREFIX}-nospark:8080" and spark["error"].startswith("ConnectError")
    if MARIADB_ROWS is not None:
        assert p["mariadb_rows"] == MARIADB_ROWS == MESSAGES and p["in_sync"] is True
    page = http.get("/").text
    assert f"<strong>Spark master</strong> at <code>http://{PREFIX}-nospark:8080</code> is unreachable" in page
    # the overview shows the connector's state (RUNNING once the restart above has settled)
    wait_for("the connector RUNNING in the overview", lambda: any(
        c["name"] == SINK and c["state"] == "RUNNING" for c in http.get("/api/overview").json()["connect"]["data"]))


def test_table6_chart_renders_in_the_image():
    j = http.get("/api/table6").json()
    assert [(r["size_mb"], r["mode"]) for r in j["rows"]] == [(20, "local"), (20, "cluster")]
    assert j["speedups"] == [{"size_mb": 20, "speed_up": 2.0}]
    r = http.get("/chart/table6.svg")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "image/svg+xml" and "Job time (s)" in r.text and "<svg" in r.text


def test_rss_at_rest():
    time.sleep(5)
    with open(RSS_FILE, "a") as f:
        f.write(f"at rest after the checks: {rss()}\n")


def test_kafka_stopped_pages_still_answer():
    subprocess.run(["docker", "stop", "-t", "5", f"{PREFIX}-kafka"], check=True, capture_output=True)
    for path in ("/topics", "/", f"/topics/{TOPIC}"):
        t0 = time.monotonic()
        r = http.get(path)
        assert r.status_code == 200 and time.monotonic() - t0 < 10, (path, time.monotonic() - t0)
        assert "<strong>Kafka</strong> at <code>" in r.text and "is unreachable" in r.text, path
    j = http.get("/api/overview").json()
    kafka = next(u for u in j["unreachable"] if u["backend"] == "Kafka")
    assert kafka["address"] == f"{PREFIX}-kafka:9092"
    assert http.get("/connect").status_code == 200
