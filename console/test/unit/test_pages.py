"""Pages and JSON: numbers, escaping, and backends that are down or hang."""
from __future__ import annotations

import time

import pytest

from fakes import FakeConnect, FakeKafka, FakeMariaDb, FakeSink, FakeSpark

XSS = '<script>alert("x")</script>'


def test_overview_numbers(make_client):
    client, _ = make_client()
    j = client.get("/api/overview").json()
    assert j["pipeline"] == {"topic": "web-crawler-test", "mariadb_rows": 130, "topic_records": 120, "sink_lines": 115,
                             "topic_minus_rows": -10, "sink_minus_topic": -5, "sink_minus_rows": -15, "in_sync": False}
    assert j["unreachable"] == []
    assert [c["state"] for c in j["connect"]["data"]] == ["RUNNING", "RUNNING"]
    assert j["spark"]["data"]["alive_workers"] == 2
    page = client.get("/").text
    assert "130" in page and "120" in page and "115" in page and "-10 vs rows" in page and "-5 vs topic" in page


def test_overview_in_step(make_client):
    client, _ = make_client(mariadb=FakeMariaDb(rows=120), sink=FakeSink(lines=120))
    assert client.get("/api/overview").json()["pipeline"]["in_sync"] is True
    assert "every known count agrees" in client.get("/").text


def test_topics_api_and_page(make_client):
    client, _ = make_client()
    j = client.get("/api/topics").json()
    t = j["kafka"]["data"]["topics"][0]
    assert (t["name"], t["records"], [p["end"] for p in t["partitions"]]) == ("web-crawler-test", 120, [60, 90])
    g = j["kafka"]["data"]["groups"][0]
    assert g["lag"] == 5
    page = client.get("/topics").text
    assert "web-crawler-test" in page and "connect-web-crawler-test-file-sink" in page and "10…60" in page


def test_messages_are_capped(make_client):
    client, b = make_client()
    j = client.get("/api/topics/web-crawler-test/messages", params={"n": 500}).json()
    assert j["n"] == 20 and "capped at 20" in j["note"]
    assert b.kafka.calls[-1] == ("messages", "web-crawler-test", 20)
    page = client.get("/topics/web-crawler-test", params={"n": 3}).text
    assert "&#34;id&#34;: 1" in page or "&quot;id&quot;: 1" in page
    assert "2023-11-14T22:13:20.000+00:00" in page
    assert client.get("/topics/web-crawler-test", params={"n": "lots"}).status_code == 200


def test_bad_topic_name_is_404(make_client):
    client, _ = make_client()
    assert client.get("/api/topics/a%20b/messages").status_code == 404
    assert client.get("/topics/a%20b").status_code == 404


def test_failed_task_trace_is_shown(make_client):
    client, _ = make_client()
    page = client.get("/connect").text
    assert "task 0 failure trace" in page and "ConnectException: disk full" in page
    assert "db-password" not in page


def test_every_value_is_escaped(make_client):
    evil = FakeConnect(connectors=[{"name": XSS, "type": XSS, "state": XSS, "worker_id": XSS, "trace": XSS,
                                    "config": {XSS: XSS}, "tasks": [{"id": 0, "state": XSS, "worker_id": XSS, "trace": XSS}]}])
    kafka = FakeKafka(
        groups=[{"group": XSS, "state": XSS, "members": 1, "error": XSS, "lag": 0, "lag_by_topic": {},
                 "partitions": [{"topic": XSS, "partition": 0, "committed": 1, "end": 1, "lag": 0}]}],
        messages=[{"partition": 0, "offset": 1, "timestamp_ms": None, "headers": [[XSS, XSS]],
                   "key": {"kind": "text", "text": XSS}, "value": {"kind": "text", "text": XSS}}])
    client, _ = make_client(connect=evil, kafka=kafka)
    pages = [client.get(p).text for p in ("/", "/topics", "/topics/web-crawler-test", "/connect",
                                           f"/connect?message={XSS}&error={XSS}")]
    pages.append(client.get("/connect/confirm", params={"connector": XSS, "action": "pause"}).text)
    for page in pages:
        assert "<script>" not in page
    assert "&lt;script&gt;alert(" in pages[3]


@pytest.mark.parametrize("which,name,address", [
    ("kafka", "Kafka", "kafka-1:9092"),
    ("connect", "Kafka Connect", "http://connect-1:8083"),
    ("spark", "Spark master", "http://spark-master:8080"),
    ("mariadb", "MariaDB", "mariadb:3306"),
    ("sink", "sink file", "/var/lib/connect-sink/weather.txt"),
])
def test_pages_render_when_a_backend_is_down(make_client, which, name, address):
    fakes = {"kafka": FakeKafka, "connect": FakeConnect, "spark": FakeSpark, "mariadb": FakeMariaDb, "sink": FakeSink}
    down = fakes[which](fail=ConnectionRefusedError(111, "Connection refused"))
    client, _ = make_client(**{which: down})
    j = client.get("/api/overview").json()
    assert [(u["backend"], u["address"]) for u in j["unreachable"]] == [(name, address)]
    assert "Connection refused" in j["unreachable"][0]["error"]
    for path in ("/", "/topics", "/topics/web-crawler-test", "/connect"):
        r = client.get(path)
        assert r.status_code == 200
    page = client.get("/").text
    assert f"<strong>{name}</strong> at <code>{address}</code> is unreachable: ConnectionRefusedError" in page
    if which == "kafka":
        assert "is unreachable" in client.get("/topics").text
    if which == "connect":
        assert "Kafka Connect</strong> at <code>http://connect-1:8083</code> is unreachable" in client.get("/connect").text
    h = client.get("/health")
    assert h.status_code == 200
    key = {"sink": "sink_file"}.get(which, which)
    assert h.json()["backends"][key]["reachable"] is False


def test_everything_down_still_renders(make_client):
    err = ConnectionRefusedError(111, "Connection refused")
    client, _ = make_client(kafka=FakeKafka(fail=err), connect=FakeConnect(fail=err), spark=FakeSpark(fail=err),
                            mariadb=FakeMariaDb(fail=err), sink=FakeSink(fail=FileNotFoundError(2, "No such file")))
    j = client.get("/api/overview").json()
    assert {u["backend"] for u in j["unreachable"]} == {"Kafka", "Kafka Connect", "Spark master", "MariaDB", "sink file"}
    assert j["pipeline"]["in_sync"] is None
    assert client.get("/").status_code == 200
    h = client.get("/health").json()
    assert h["status"] == "ok" and not any(v["reachable"] for v in h["backends"].values())


def test_a_hanging_backend_does_not_hang_the_page(make_client):
    client, _ = make_client(kafka=FakeKafka(hang=5))  # timeout 0.3 s: the safety net answers after 1.6 s
    t0 = time.monotonic()
    r = client.get("/api/overview")
    assert time.monotonic() - t0 < 3
    assert r.json()["unreachable"][0]["error"] == "no answer within 1.6 s"
    assert r.json()["pipeline"]["mariadb_rows"] == 130


def test_unconfigured_backends_are_not_unreachable(make_client):
    client, _ = make_client({"CONSOLE_MARIADB_HOST": None, "CONSOLE_MARIADB_PASSWORD_FILE": None,
                             "CONSOLE_SINK_FILE": None, "CONSOLE_SPARK_MASTER_URL": None})
    j = client.get("/api/overview").json()
    assert j["unreachable"] == []
    assert j["mariadb"] == {"ok": False, "configured": False, "backend": "MariaDB", "address": None,
                            "error": "not configured (CONSOLE_MARIADB_HOST is not set)"}
    assert j["pipeline"]["topic_records"] == 120 and j["pipeline"]["in_sync"] is None
    page = client.get("/").text
    assert "MariaDB: not configured (CONSOLE_MARIADB_HOST is not set)" in page and "is unreachable" not in page
    h = client.get("/health").json()["backends"]
    assert h["mariadb"] == {"configured": False} and h["kafka"]["reachable"] is True


def test_health_without_probes(make_client):
    client, b = make_client()
    r = client.get("/health", params={"backends": "0"})
    assert r.json() == {"status": "ok", "version": r.json()["version"], "actions_enabled": False}
    assert b.kafka.calls == []


def test_security_headers(make_client):
    client, _ = make_client()
    r = client.get("/")
    assert "default-src 'none'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert client.get("/static/console.css").headers["content-type"].startswith("text/css")
