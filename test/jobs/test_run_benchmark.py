"""The benchmark runner (jobs/run_benchmark.py): datasets made once and reused, one spark-submit per size with its
counts checked against the manifest, the result line the Pulumi program parses, and a mismatch failing the run."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import unittest

import support

import run_benchmark  # noqa: E402  (jobs/ is on the path through support)

RUNNER = os.path.join(support.JOBS, "run_benchmark.py")


class RunBenchmarkTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.root = os.path.join(support.tmp_root(), "benchmark")
        cls.args = ["--mode", "local", "--local-cores", "2", "--sizes-mb", "2", "--seed", "3",
                    "--data-dir", os.path.join(cls.root, "data"), "--output-dir", os.path.join(cls.root, "out"),
                    "--driver-memory-mb", "512", "--work-dir", cls.root]
        cls.first = subprocess.run([sys.executable, RUNNER, *cls.args], capture_output=True, text=True, timeout=600)

    def result(self, proc) -> dict:
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr[-3000:])
        line = proc.stdout.strip().splitlines()[-1]
        self.assertTrue(line.startswith(run_benchmark.RESULT_PREFIX), line)
        return json.loads(line[len(run_benchmark.RESULT_PREFIX):])

    def test_one_local_run_per_size_checked_against_the_manifest(self):
        result = self.result(self.first)
        self.assertEqual((result["mode"], result["master"], result["seed"]), ("local", "local[2]", 3))
        [size] = result["sizes"]
        with open(os.path.join(self.root, "data", "2mb-seed3", "manifest.json"), encoding="utf-8") as f:
            manifest = json.load(f)
        self.assertEqual(size["dataset"], {"name": "2mb-seed3", "files": len(manifest["files"]), "rows": manifest["rows"], "bytes": manifest["bytes"]})
        self.assertEqual(size["rows_read"], manifest["rows"])
        self.assertEqual(size["rows_dropped_total"], manifest["invalid_rows"])
        self.assertEqual((size["cores"], size["executors"]), (2, 1))
        self.assertGreater(size["submit_wall_s"], size["job_s"])
        self.assertIn("generated", self.first.stderr)

    def test_a_second_run_reuses_the_dataset(self):
        again = subprocess.run([sys.executable, RUNNER, *self.args], capture_output=True, text=True, timeout=600)
        self.assertEqual(self.result(again)["sizes"][0]["rows_read"], self.result(self.first)["sizes"][0]["rows_read"])
        self.assertIn("reusing", again.stderr)

    def test_counts_that_disagree_with_the_manifest_are_problems(self):
        manifest = {"rows": 10, "bytes": 100, "invalid_by_reason": {"bad_time": 1, "bad_number": 0}}
        good = {"rows_read": 10, "input_bytes": 100, "rows_dropped": {"bad_time": 1, "bad_number": 0}}
        self.assertEqual(run_benchmark.check(good, manifest), [])
        bad = {"rows_read": 9, "input_bytes": 100, "rows_dropped": {"bad_time": 0}}
        self.assertEqual(run_benchmark.check(bad, manifest), [
            "rows_read 9 != the dataset's 10 rows",
            "rows_dropped {} != the dataset's invalid rows {'bad_time': 1}",
        ])

    def test_cluster_mode_needs_a_master(self):
        proc = subprocess.run([sys.executable, RUNNER, "--mode", "cluster", "--sizes-mb", "1", "--data-dir", "/tmp/x", "--output-dir", "/tmp/y"],
                              capture_output=True, text=True)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("--mode cluster needs --master spark://HOST:PORT", proc.stderr)


if __name__ == "__main__":
    unittest.main()
