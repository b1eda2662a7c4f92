"""benchmarks/dsa_peer.py: the breakdown of ``ours X / floor scan`` runs every step, and the
report says each ratio and the least an ingest of X's rows costs. Timings are not checked."""

import importlib.util
import json
import subprocess
import sys

from analysis.dsa import synth
from analysis.paths import ROOT

SCRIPT = ROOT / "benchmarks" / "dsa_peer.py"
STEPS = ["extraction", "floor scan", "reading the kept columns", "+ writing X's rows", "ours X (ingest)"]


def _script():
    spec = importlib.util.spec_from_file_location("dsa_peer", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_breakdown_runs_every_step_on_a_dump(tmp_path):
    dump = synth.synth_dump("2025-07-01", 20_000, tmp_path / "dump")
    work = tmp_path / "work"
    work.mkdir()
    done = subprocess.run([sys.executable, str(SCRIPT), "--breakdown", str(dump), str(work)], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    steps = json.loads(done.stdout.splitlines()[-1])
    assert list(steps) == STEPS
    assert all(seconds > 0 for seconds in steps.values())


def test_report_prints_each_step_against_the_floor_scan(capsys):
    runs = {"ours X": [{"seconds": 3.0, "cpu": 5.0, "peak_mb": 400}] * 3,
            "floor scan": [{"seconds": 1.6, "cpu": 2.7, "peak_mb": 320}] * 3}
    _script().report(1_000_000, runs, dict(zip(STEPS, [0.8, 2.5, 3.5, 3.8, 4.6])))
    printed = capsys.readouterr().out
    assert "ours X / floor scan      1.88× time (goal ≤ 1.5: not met)" in printed
    assert "reading the kept columns     3.50  1.40× the floor scan" in printed
    assert "ours X (ingest)              4.60  1.84× the floor scan" in printed
    assert ("reading the kept columns and writing X's rows, before any check, is 1.52× the floor scan: the "
            "least an ingest of X's rows does with DuckDB's reader\n") in printed
