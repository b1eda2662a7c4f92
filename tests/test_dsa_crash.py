"""Crash consistency of ``dsa ingest``: kill it at random points (SIGKILL, seeded), check that the
day is always whole (the previous ingest or the new one, never half), re-run, and compare with a
clean ingest. No scratch may survive the next run. All dumps are synthetic (generated here)."""

import fcntl
import json
import random
import signal
import subprocess
import sys
import time

import pytest

from analysis.dsa import ingest, query, synth

DAY = "2025-06-03"
ROWS = 200_000  # two CSV parts: a kill can land between parts, inside one, or in the swap


def _state(out):
    """What a reader sees of the day: its source, X's statements, and every file under it."""
    day = out / f"date={DAY}"
    if not day.exists():
        return None
    report = json.loads((day / "_ingest.json").read_text())
    files = sorted(p.relative_to(day).as_posix() for p in day.rglob("*") if p.is_file())
    total = int(query.query_duckdb(out, category=None)["statements"].sum())
    return report["source"], report["kept"], total, files


@pytest.fixture(scope="module")
def dumps(tmp_path_factory):
    root = tmp_path_factory.mktemp("crash")
    old = synth.synth_dump(DAY, 10_000, root / "old", x_tenths=2)
    new = synth.synth_dump(DAY, ROWS, root / "new", x_tenths=3)
    return old, new


def test_killed_ingests_never_leave_half_a_day(dumps, tmp_path):
    old, new = dumps
    clean = tmp_path / "clean"
    ingest.ingest_dump(new, clean, progress=False)
    crashed = tmp_path / "crashed"
    ingest.ingest_dump(old, crashed, progress=False)
    before, after = _state(crashed), _state(clean)
    rng = random.Random(20261129)
    live_kills = 0
    for _ in range(4):
        process = subprocess.Popen([sys.executable, "-m", "analysis", "dsa", "ingest", str(new), "--out", str(crashed)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.5, 4.0))  # a whole run takes about 4 s here
        live_kills += process.poll() is None
        process.send_signal(signal.SIGKILL)
        process.wait()
        ingest.recover(crashed)  # what the next run does first
        state = _state(crashed)
        assert state in (before, after), state  # the old day or the new one, whole
    subprocess.run([sys.executable, "-m", "analysis", "dsa", "ingest", str(new), "--out", str(crashed)],
                   check=True, capture_output=True)
    assert _state(crashed) == after
    assert sorted(p.name for p in crashed.iterdir()) == [ingest.LOG, f"date={DAY}"]  # no scratch, no lock left
    assert live_kills  # at least one kill landed in a running ingest


def _dead_run(out, token):
    run = out / f"{ingest.RUN_PREFIX}{token}"
    (run / "scratch").mkdir(parents=True)
    (run / "scratch" / "part.csv").write_text("big scratch")
    (out / f"{ingest.RUN_PREFIX}{token}.lock").write_text("")
    return run


def test_a_kill_between_the_two_renames_puts_the_old_day_back(dumps, tmp_path):
    old, _ = dumps
    ingest.ingest_dump(old, tmp_path, progress=False)
    before = _state(tmp_path)
    run = _dead_run(tmp_path, "deadbeef0000")
    (run / "trash").mkdir()
    (tmp_path / f"date={DAY}").rename(run / "trash" / f"date={DAY}")  # moved aside, new day not yet in
    assert _state(tmp_path) is None
    done = ingest.recover(tmp_path)
    assert done == [f"restored date={DAY} from a killed run", f"removed {run.name}"]
    assert _state(tmp_path) == before and sorted(p.name for p in tmp_path.iterdir()) == [f"date={DAY}"]


def test_a_live_run_is_left_alone(tmp_path):
    live = _dead_run(tmp_path, "0123456789ab")
    dead = _dead_run(tmp_path, "ba9876543210")
    with open(tmp_path / f"{live.name}.lock") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        ingest.recover(tmp_path)
    assert live.exists() and not dead.exists() and not (tmp_path / f"{dead.name}.lock").exists()


def test_the_next_ingest_cleans_what_a_killed_one_left(dumps, tmp_path):
    old, _ = dumps
    _dead_run(tmp_path, "cafe00000000")
    ingest.ingest_dump(old, tmp_path, progress=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"date={DAY}"]
