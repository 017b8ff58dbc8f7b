"""jobs/generate_dataset.py: determinism, size, weekly parts, 3-s cadence per source, manifest, defects."""
from __future__ import annotations

import datetime as dt
import filecmp
import hashlib
import os
import unittest
from collections import Counter, defaultdict

import support
from support import generate_dataset as gen


def _files(out: str, manifest: dict) -> list[str]:
    return [os.path.join(out, f["name"]) for f in manifest["files"]]


class Determinism(unittest.TestCase):
    def test_same_seed_and_size_give_byte_identical_files(self):
        a, ma = support.generate("det-a", "--size-mb", "2", "--seed", "7", "--sources", "3")
        b, mb = support.generate("det-b", "--size-mb", "2", "--seed", "7", "--sources", "3")
        self.assertEqual(ma, mb)
        for name in [f["name"] for f in ma["files"]] + ["manifest.json"]:
            self.assertTrue(filecmp.cmp(os.path.join(a, name), os.path.join(b, name), shallow=False), name)

    def test_another_seed_gives_other_values(self):
        a, ma = support.generate("seed-1", "--size-mb", "0.5", "--seed", "1")
        b, mb = support.generate("seed-2", "--size-mb", "0.5", "--seed", "2")
        self.assertNotEqual(ma["files"][0]["sha256"], mb["files"][0]["sha256"])


class Size(unittest.TestCase):
    def test_total_size_is_within_2_percent_of_the_request(self):
        for size, extra in (("0.3", []), ("2", []), ("5", ["--sources", "40"]), ("3", ["--days", "2"])):
            out, m = support.generate(f"size-{size}-{len(extra)}", "--size-mb", size, *extra)
            actual = sum(os.path.getsize(p) for p in _files(out, m))
            target = float(size) * 1_000_000
            self.assertEqual(actual, m["bytes"])
            self.assertLessEqual(abs(actual - target) / target, 0.02, f"{size} MB {extra}: {actual} bytes")
            self.assertGreaterEqual(actual, target)  # writing stops at the first tick that reaches the size

    def test_sources_are_the_fewest_that_fill_the_period(self):
        # one source fills 3 days with ~86,400 rows of ~110 bytes: 5 MB needs 1, 25 MB needs several
        _, small = support.generate("fill-small", "--size-mb", "5", "--days", "3")
        _, big = support.generate("fill-big", "--size-mb", "25", "--days", "3")
        self.assertEqual(len(small["sources"]), 1)
        self.assertGreater(len(big["sources"]), 1)
        last = dt.datetime.strptime(big["files"][-1]["last_observed_at"], "%Y-%m-%d %H:%M:%S")
        self.assertGreaterEqual(last, dt.datetime(2021, 5, 3, 12))  # the data reaches well into the last day

    def test_a_size_the_period_cannot_hold_is_refused(self):
        with self.assertRaises(SystemExit):
            support.generate("too-big", "--size-mb", "5", "--days", "1", "--sources", "1")


class WeeklyParts(unittest.TestCase):
    def test_paper_layout_of_may(self):
        # weather_1..4 = 1-7, 8-14, 15-21, 22-31 May (the paper's Table 5)
        self.assertEqual(gen.part_layout(31, 7), [(0, 7), (7, 14), (14, 21), (21, 31)])
        self.assertEqual(gen.part_layout(5, 7), [(0, 5)])

    def test_parts_split_at_week_boundaries(self):
        # one source for ~10 days: weather_1 = 1-7 May whole, weather_2 from 8 May 00:00:00
        out, m = support.generate("weeks", "--size-mb", "28", "--sources", "1")
        self.assertEqual([f["name"] for f in m["files"]], ["weather_1.csv", "weather_2.csv"])
        w1, w2 = m["files"]
        self.assertEqual(w1["rows"], 7 * 86400 // 3)
        self.assertEqual((w1["first_observed_at"], w1["last_observed_at"]), ("2021-05-01 00:00:00", "2021-05-07 23:59:57"))
        self.assertEqual(w2["first_observed_at"], "2021-05-08 00:00:00")
        self.assertEqual((w1["first_id"], w1["last_id"], w2["first_id"]), (1, w1["rows"], w1["rows"] + 1))
        for path, meta in zip(_files(out, m), m["files"]):
            rows = support.read_csv_rows([path])
            times = [r[1] for r in rows if len(r[1]) == 19 and r[1][11:13] < "24"]
            self.assertEqual(len(rows), meta["rows"])
            days = {t[:10] for t in times}
            lo, hi = meta["period"]
            self.assertTrue(all(lo <= d <= hi for d in days), f"{meta['name']}: days {min(days)}..{max(days)}")

    def test_last_part_takes_the_remainder(self):
        out, m = support.generate("remainder", "--size-mb", "12", "--days", "5", "--part-days", "2", "--sources", "1")
        self.assertEqual([f["period"] for f in m["files"]],
                         [["2021-05-01", "2021-05-02"], ["2021-05-03", "2021-05-05"]])


class Cadence(unittest.TestCase):
    def test_one_row_every_3_s_per_source_in_time_order(self):
        out, m = support.generate("cadence", "--size-mb", "3", "--sources", "4", "--invalid-fraction", "0.01")
        rows = support.read_csv_rows(_files(out, m))
        by_source = defaultdict(list)
        ids = []
        for r in rows:
            ids.append(int(r[0]))
            by_source[r[2]].append(r[1])
        self.assertEqual(ids, list(range(1, len(rows) + 1)))
        self.assertEqual(sorted(by_source), sorted(m["sources"]))
        counts = {s: len(v) for s, v in by_source.items()}
        self.assertLessEqual(max(counts.values()) - min(counts.values()), 0)  # whole ticks only
        for source, times in by_source.items():
            # rows with a spoiled time keep their place; every other row is 3 s after the previous good one
            start = dt.datetime(2021, 5, 1)
            for i, t in enumerate(times):
                expected = (start + dt.timedelta(seconds=3 * i)).strftime("%Y-%m-%d %H:%M:%S")
                if t == "" or t[11:13] in ("25", "99"):
                    continue
                self.assertEqual(t, expected, f"{source} row {i}")


class Manifest(unittest.TestCase):
    def test_manifest_describes_the_files(self):
        out, m = support.generate("manifest", "--size-mb", "1.5", "--sources", "2", "--invalid-fraction", "0.02",
                                  "--null-fraction", "0.01")
        total_rows = 0
        for path, meta in zip(_files(out, m), m["files"]):
            with open(path, "rb") as f:
                data = f.read()
            self.assertEqual(len(data), meta["bytes"])
            self.assertEqual(hashlib.sha256(data).hexdigest(), meta["sha256"])
            self.assertTrue(data.startswith(gen.HEADER.encode()))
            total_rows += meta["rows"]
        self.assertEqual(total_rows, m["rows"])
        self.assertEqual(m["seed"], 1)
        self.assertEqual(m["columns"], ["id", "observed_at", "source", "location", "temperature_c", "pm10_ugm3",
                                        "pm25_ugm3", "ozone_ppm"])

    def test_defects_are_counted_by_the_jobs_reasons(self):
        out, m = support.generate("defects", "--size-mb", "2", "--sources", "3", "--invalid-fraction", "0.03",
                                  "--null-fraction", "0.01")
        rows = support.read_csv_rows(_files(out, m))
        ref = support.reference(rows)
        self.assertEqual(ref["dropped"], m["invalid_by_reason"])
        self.assertEqual(sum(ref["dropped"].values()), m["invalid_rows"])
        self.assertTrue(all(n > 0 for n in m["invalid_by_reason"].values()), m["invalid_by_reason"])
        missing = Counter(sum(1 for v in r[4:8] if v == "") for r in rows if r[1] and r[3])
        self.assertEqual(missing[1], m["rows_with_missing_measure"])
        self.assertAlmostEqual(m["invalid_rows"] / m["rows"], 0.03, delta=0.005)

    def test_values_are_realistic(self):
        out, m = support.generate("realistic", "--size-mb", "4", "--sources", "1", "--invalid-fraction", "0",
                                  "--null-fraction", "0")
        rows = support.read_csv_rows(_files(out, m))  # ~36,000 rows: 30 h of one station
        temps = defaultdict(list)
        for r in rows:
            temps[int(r[1][11:13])].append(float(r[4]))
            self.assertTrue(0 <= float(r[6]) <= float(r[5]) + 2, r)  # PM2.5 is a share of PM10
            self.assertTrue(0 < float(r[7]) < 0.2, r)
        hourly = {h: sum(v) / len(v) for h, v in temps.items()}
        # Korea (UTC+9) is warmest mid-afternoon (~06 UTC) and coolest before dawn (~20 UTC)
        self.assertGreater(hourly[6] - hourly[20], 5)
        self.assertTrue(all(-10 < t < 35 for t in hourly.values()), hourly)
        steps = [abs(float(a[4]) - float(b[4])) for a, b in zip(rows, rows[1:])]
        self.assertLess(max(steps), 0.5)  # 3 s apart: small moves only


if __name__ == "__main__":
    unittest.main()
