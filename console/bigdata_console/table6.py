"""The benchmark's Table 6 as the console reads it (CONSOLE_TABLE6_FILE), and its chart.

Input: a JSON array of rows, one per dataset size and Spark mode (console/README.md, "Table 6 file"):

    [{"size_mb": 20, "mode": "local", "job_s": 4.1, "submit_wall_s": 9.8, "mb_per_s": 4.9,
      "mb_per_s_per_core": 2.4, "rows_per_s": 61000, "cores": 2, "executors": 1, "rows": 250000}, ...]

``size_mb``, ``mode`` ("local" or "cluster") and ``job_s`` are required; the other fields are optional numbers. The
names are those of jobs/run_benchmark.py's per-size results (``rows`` = its ``rows_read``), so an element may also be
a whole run result as the runner prints it after ``BENCHMARK_RESULT `` ({"mode": ..., "sizes": [...]}): its sizes
become rows of that mode.

The chart is console/charts/table6.vl.json, a data-free Vega-Lite spec whose named data set "table6" gets these
rows; it is rendered to SVG with vl-convert in a child process (python -m bigdata_console.chart), so the V8 engine
that rendering needs never stays in the server's memory. The SVG is cached until the rows change.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import subprocess
import sys
import threading
from typing import Any

OPTIONAL_NUMBERS = ("submit_wall_s", "mb_per_s", "mb_per_s_per_core", "rows_per_s", "cores", "executors", "rows",
                    "rows_valid", "driver_peak_rss_mb")
MODES = ("local", "cluster")
SPEC_PATH = os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "charts", "table6.vl.json")
# Vega-Lite library version vl-convert renders with (the spec's $schema says v5)
VEGA_LITE_VERSION = "5.21"


class Table6Error(ValueError):
    pass


def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def normalize(data: Any) -> list[dict[str, Any]]:
    """Validated rows, sorted by size then mode (local first); raises Table6Error naming the bad element."""
    if not isinstance(data, list):
        raise Table6Error("the file must hold a JSON array of rows (see console/README.md, 'Table 6 file')")
    flat: list[tuple[str, Any]] = []
    for i, el in enumerate(data):
        if isinstance(el, dict) and isinstance(el.get("sizes"), list):
            for j, s in enumerate(el["sizes"]):
                row = dict(s) if isinstance(s, dict) else s
                if isinstance(row, dict):
                    row.setdefault("mode", el.get("mode"))
                    if "rows" not in row and "rows_read" in row:
                        row["rows"] = row["rows_read"]
                flat.append((f"[{i}].sizes[{j}]", row))
        else:
            flat.append((f"[{i}]", el))
    rows = []
    for where, el in flat:
        if not isinstance(el, dict):
            raise Table6Error(f"row {where}: must be an object")
        if not _number(el.get("size_mb")) or el["size_mb"] <= 0:
            raise Table6Error(f"row {where}: size_mb must be a positive number; got {el.get('size_mb')!r}")
        if el.get("mode") not in MODES:
            raise Table6Error(f"row {where}: mode must be 'local' or 'cluster'; got {el.get('mode')!r}")
        if not _number(el.get("job_s")) or el["job_s"] < 0:
            raise Table6Error(f"row {where}: job_s must be a number of seconds >= 0; got {el.get('job_s')!r}")
        row = {"size_mb": el["size_mb"], "mode": el["mode"], "job_s": el["job_s"]}
        for k in OPTIONAL_NUMBERS:
            if el.get(k) is None:
                continue
            if not _number(el[k]):
                raise Table6Error(f"row {where}: {k} must be a number; got {el[k]!r}")
            row[k] = el[k]
        rows.append(row)
    rows.sort(key=lambda r: (r["size_mb"], MODES.index(r["mode"])))
    return rows


def load(path: str) -> list[dict[str, Any]] | None:
    """The rows of the file, or None when there is no file yet (the benchmark has not run)."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except FileNotFoundError:
        return None
    try:
        data = json.loads(text)
    except ValueError as e:
        raise Table6Error(f"not valid JSON: {e}") from None
    return normalize(data)


def speedups(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per size with both modes: local job time over cluster job time (above 1: the cluster is faster)."""
    by_size: dict[float, dict[str, dict[str, Any]]] = {}
    for r in rows:
        by_size.setdefault(r["size_mb"], {})[r["mode"]] = r
    out = []
    for size in sorted(by_size):
        m = by_size[size]
        if "local" in m and "cluster" in m and m["cluster"]["job_s"] > 0:
            out.append({"size_mb": size, "speed_up": round(m["local"]["job_s"] / m["cluster"]["job_s"], 2)})
    return out


def spec_with_data(rows: list[dict[str, Any]], spec_path: str = SPEC_PATH) -> dict[str, Any]:
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    if spec.get("data") != {"name": "table6"}:
        raise Table6Error(f"{spec_path}: the spec's data must be the named data set 'table6'")
    spec["data"] = {"values": rows}
    return spec


class ChartRenderer:
    """SVG of the Table 6 chart, rendered in a child process and cached until the rows change."""

    def __init__(self, timeout: float = 30.0, spec_path: str = SPEC_PATH):
        self.timeout = timeout
        self.spec_path = spec_path
        self._lock = threading.Lock()
        self._cache: tuple[str, str] | None = None

    def svg(self, rows: list[dict[str, Any]]) -> str:
        spec = spec_with_data(rows, self.spec_path)
        payload = json.dumps(spec, sort_keys=True)
        key = hashlib.sha256(payload.encode()).hexdigest()
        with self._lock:
            if self._cache and self._cache[0] == key:
                return self._cache[1]
            try:
                proc = subprocess.run([sys.executable, "-m", "bigdata_console.chart"], input=payload.encode(),
                                      capture_output=True, timeout=self.timeout, check=False,
                                      cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
            except subprocess.TimeoutExpired:
                raise RuntimeError(f"rendering the chart took longer than {self.timeout:g} s") from None
            if proc.returncode != 0:
                raise RuntimeError("rendering the chart failed: " + proc.stderr.decode(errors="replace")[-2000:])
            svg = proc.stdout.decode()
            self._cache = (key, svg)
            return svg
