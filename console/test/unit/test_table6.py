"""Table 6: the input format, the overview's table, and the chart rendered to SVG by vl-convert."""
from __future__ import annotations

import json
import os

import pytest

from bigdata_console import table6

ROWS = [
    {"size_mb": 40, "mode": "cluster", "job_s": 3.5, "mb_per_s_per_core": 5.7, "cores": 2},
    {"size_mb": 20, "mode": "local", "job_s": 4.2, "mb_per_s_per_core": 2.4, "submit_wall_s": 9.1, "rows": 250000},
    {"size_mb": 20, "mode": "cluster", "job_s": 2.1, "mb_per_s_per_core": 4.8},
    {"size_mb": 40, "mode": "local", "job_s": 8.4, "mb_per_s_per_core": 2.4},
]


def test_rows_are_validated_and_sorted():
    rows = table6.normalize(ROWS)
    assert [(r["size_mb"], r["mode"]) for r in rows] == [(20, "local"), (20, "cluster"), (40, "local"), (40, "cluster")]
    assert table6.speedups(rows) == [{"size_mb": 20, "speed_up": 2.0}, {"size_mb": 40, "speed_up": 2.4}]


def test_runner_results_are_flattened():
    runner = {"mode": "local", "master": "local[2]", "seed": 1,
              "sizes": [{"size_mb": 20, "job_s": 4.0, "rows_read": 1000, "mb_per_s": 5, "stages_s": {"scan": 1}}]}
    assert table6.normalize([runner]) == [{"size_mb": 20, "mode": "local", "job_s": 4.0, "mb_per_s": 5, "rows": 1000}]


@pytest.mark.parametrize("data,message", [
    ({"rows": []}, "the file must hold a JSON array"),
    ([{"size_mb": 20, "mode": "both", "job_s": 1}], "row [0]: mode must be 'local' or 'cluster'"),
    ([{"size_mb": -1, "mode": "local", "job_s": 1}], "row [0]: size_mb must be a positive number"),
    ([{"size_mb": 1, "mode": "local"}], "row [0]: job_s must be a number of seconds"),
    ([{"size_mb": 1, "mode": "local", "job_s": 1, "cores": "two"}], "row [0]: cores must be a number"),
    ([{"mode": "cluster", "sizes": [{"size_mb": 1, "job_s": True}]}], "row [0].sizes[0]: job_s must be"),
])
def test_bad_rows_are_named(data, message):
    with pytest.raises(table6.Table6Error, match=message.replace("[", r"\[").replace("]", r"\]")):
        table6.normalize(data)


def test_overview_table6_states(make_client, tmp_path):
    path = tmp_path / "table6.json"
    client, b = make_client({"CONSOLE_TABLE6_FILE": str(path)})
    assert "does not exist (the benchmark has not run)" in client.get("/").text
    assert client.get("/chart/table6.svg").status_code == 404
    path.write_text("{not json")
    assert "not valid JSON" in client.get("/api/table6").json()["error"]
    assert "not valid JSON" in client.get("/").text
    path.write_text(json.dumps(ROWS))
    j = client.get("/api/table6").json()
    assert len(j["rows"]) == 4 and j["speedups"][0] == {"size_mb": 20, "speed_up": 2.0}
    page = client.get("/").text
    assert '<img class="chart" src="/chart/table6.svg"' in page and "20 MB: 2.0×" in page
    r = client.get("/chart/table6.svg")
    assert r.status_code == 200 and r.headers["content-type"] == "image/svg+xml"
    assert b.chart.rendered == [table6.normalize(ROWS)]


def test_spec_is_data_free_and_gets_the_rows():
    with open(table6.SPEC_PATH, encoding="utf-8") as f:
        spec = json.load(f)
    assert spec["data"] == {"name": "table6"}
    assert "values" not in json.dumps(spec)
    assert table6.spec_with_data(table6.normalize(ROWS))["data"]["values"][0]["size_mb"] == 20


def test_chart_renders_to_svg():
    """The real renderer: vl-convert in a child process (about 2 s), cached afterwards."""
    renderer = table6.ChartRenderer()
    svg = renderer.svg(table6.normalize(ROWS))
    assert svg.lstrip().startswith("<svg") and svg.rstrip().endswith("</svg>")
    for text in ("Job time (s)", "Throughput per core (MB/s)", "local", "cluster", "dataset (MB)"):
        assert text in svg
    assert renderer.svg(table6.normalize(ROWS)) is svg  # cached until the rows change
    assert os.path.basename(table6.SPEC_PATH) == "table6.vl.json"
