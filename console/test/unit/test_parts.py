"""Pure parts: the overview's arithmetic, payload decoding, secret redaction, the sink file's line count."""
from __future__ import annotations

import os

import pytest

from bigdata_console.app import pipeline_counts
from bigdata_console.backends import REDACTED, SinkFile, decode_payload, redact


@pytest.mark.parametrize("rows,records,lines,expected", [
    (100, 100, 100, {"topic_minus_rows": 0, "sink_minus_topic": 0, "sink_minus_rows": 0, "in_sync": True}),
    (100, 90, 80, {"topic_minus_rows": -10, "sink_minus_topic": -10, "sink_minus_rows": -20, "in_sync": False}),
    (None, 90, 90, {"topic_minus_rows": None, "sink_minus_topic": 0, "sink_minus_rows": None, "in_sync": True}),
    (100, None, None, {"topic_minus_rows": None, "sink_minus_topic": None, "sink_minus_rows": None, "in_sync": None}),
    (0, 0, None, {"topic_minus_rows": 0, "sink_minus_topic": None, "sink_minus_rows": None, "in_sync": True}),
])
def test_pipeline_counts(rows, records, lines, expected):
    got = pipeline_counts(rows, records, lines)
    assert {k: got[k] for k in expected} == expected
    assert (got["mariadb_rows"], got["topic_records"], got["sink_lines"]) == (rows, records, lines)


def test_decode_payload():
    assert decode_payload(None) == {"kind": "null", "text": "null"}
    assert decode_payload(b'{"a":1,"b":"\xc3\xa9"}') == {"kind": "json", "text": '{\n  "a": 1,\n  "b": "é"\n}', "size": 16}
    assert decode_payload(b"plain")["kind"] == "text"
    assert decode_payload(b"\xff\x00")["kind"] == "bytes" and decode_payload(b"\xff\x00")["text"] == "ff00"
    big = decode_payload(b'"' + b"x" * 70000 + b'"')
    assert big["kind"] == "text" and big["text"].endswith("…") and len(big["text"]) == 65537


def test_redact():
    got = redact({"database.password": "p", "database.user": "cdc", "value.converter": "json",
                  "sasl.jaas.config": "x", "file": "/f", "ssl.key.password": "k"})
    assert got == {"database.password": REDACTED, "database.user": "cdc", "value.converter": "json",
                   "sasl.jaas.config": REDACTED, "file": "/f", "ssl.key.password": REDACTED}


def test_sink_file_counts_lines_incrementally(tmp_path):
    p = tmp_path / "weather.txt"
    p.write_bytes(b"a\nb\n")
    s = SinkFile(str(p), 3)
    assert s.line_count()["lines"] == 2
    with open(p, "ab") as f:
        f.write(b"c\nd")  # a line still being written is not counted yet
    assert s.line_count()["lines"] == 3
    with open(p, "ab") as f:
        f.write(b"\n")
    assert s.line_count() == {"path": str(p), "lines": 4, "bytes": 8}
    p.write_bytes(b"x\n")  # truncated: counted again
    assert s.line_count()["lines"] == 1
    os.remove(p)
    p.write_bytes(b"1\n2\n3\n4\n5\n6\n")  # replaced by a new file
    assert s.line_count()["lines"] == 6


def test_sink_file_missing(tmp_path):
    with pytest.raises(FileNotFoundError):
        SinkFile(str(tmp_path / "none.txt"), 3).line_count()
