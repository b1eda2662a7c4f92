"""Concurrent writers of the data package (a cron job and a reporter running `fetch apple-charts` at
once): every registration lands, a snapshot of the same second is never overwritten, and `data
check` names a file of data/raw that no resource lists (it would be invisible to every loader)."""

import json
import multiprocessing
import os
import subprocess
import sys

import pandas as pd
import pytest

from analysis import datapackage, httpclient, paths
from analysis.sources.apple import FeedError, fetch_snapshot, synthetic_payload
from conftest import run_cli

META = dict(title="t", sources=[{"title": "synthetic", "path": "test"}], licenses=[{"name": "none"}],
            obtained="made in a test", accessed="2026-12-03")


def _register_five(package, worker):
    for number in range(5):
        path = package.parent / "raw" / f"w{worker}-{number}.txt"
        path.write_text(f"synthetic {worker} {number}\n")
        datapackage.register(path, name=f"w{worker}-{number}", package=package, **META)


def test_concurrent_registrations_all_land(package):
    (package.parent / "raw").mkdir()
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_register_five, args=(package, w)) for w in range(6)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    assert [w.exitcode for w in workers] == [0] * 6
    names = sorted(r["name"] for r in datapackage.resources(package))
    assert names == sorted(f"w{w}-{n}" for w in range(6) for n in range(5))  # without the lock: 6 of 30
    assert datapackage.problems(package) == []


def test_concurrent_fetch_runs_register_every_snapshot(server, package):
    countries = ["us", "fr", "de", "gb"]
    for country in countries:
        server.script[country] = [(200, synthetic_payload(country, 3))]
    out = package.parent / "raw" / "apple_charts"
    env = {**os.environ, "PYTHONPATH": str(paths.ROOT)}
    runs = [subprocess.Popen([sys.executable, "-m", "analysis", "fetch", "apple-charts", "--country", country,
                              "--base-url", server.url, "--out", str(out), "--package", str(package),
                              "--limit", "5", "--retries", "0"], cwd=paths.ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for country in countries]
    results = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0] * 4, results
    written = sorted(p.name for p in out.iterdir())
    assert len(written) == 8
    assert sorted(r["path"] for r in datapackage.resources(package)) == [f"raw/apple_charts/{n}" for n in written]
    assert datapackage.problems(package) == []


def _snapshot(server, package):
    return fetch_snapshot(httpclient.make_session(retries=0), country="us", chart="top-free", limit=5,
                          base_url=server.url, out_dir=package.parent / "raw" / "apple_charts",
                          retrieved_at=pd.Timestamp("2026-11-27T20:00:00Z"), timeout=(1, 5), package=package)


def test_second_run_in_the_same_second_overwrites_nothing(server, package):
    server.script["us"] = [(200, synthetic_payload("us", 3)), (200, synthetic_payload("us", 4))]
    first = _snapshot(server, package)
    before = first.json_path.read_bytes(), json.loads(package.read_text())
    with pytest.raises(FeedError) as raised:
        _snapshot(server, package)
    assert str(raised.value) == ("2026-11-27T200000Z-us-top-free.json, 2026-11-27T200000Z-us-top-free.csv exists "
                                 f"already in {first.json_path.parent} (another run in the same second?): nothing "
                                 "written; run again")
    assert (first.json_path.read_bytes(), json.loads(package.read_text())) == before


def test_failed_registration_leaves_no_snapshot(server, package):
    server.script["us"] = [(200, synthetic_payload("us", 3))]
    package.write_text('{"name": "test", "resources": [')  # broken: nothing can be registered
    with pytest.raises(Exception, match="invalid JSON"):
        _snapshot(server, package)
    assert list((package.parent / "raw" / "apple_charts").iterdir()) == []


def _check(package):
    done = run_cli("data", "check", "--package", str(package))
    return done.returncode, done.stdout, done.stderr


def test_data_check_names_files_not_registered(server, package):
    server.script["us"] = [(200, synthetic_payload("us", 3))]
    _snapshot(server, package)
    stray = package.parent / "raw" / "apple_charts" / "2026-11-28T090000Z-us-top-free.csv"
    stray.write_text("written by a run whose registration was lost\n")
    (package.parent / "reference").mkdir()
    (package.parent / "reference" / "notes.csv").write_text("a,b\n")
    (package.parent / "raw" / ".DS_Store").write_bytes(b"\0")  # a name starting with a dot is not data
    assert _check(package) == (1, "", (
        "FAIL raw/apple_charts/2026-11-28T090000Z-us-top-free.csv: present but not registered (README: How to add "
        "a source)\nFAIL reference/notes.csv: present but not registered (README: How to add a source)\n"
        "2 problems among the 2 resources and the files of data/raw/ and data/reference/\n"))
    stray.unlink()
    (package.parent / "reference" / "notes.csv").unlink()
    assert _check(package) == (0, "all 2 resources present with the recorded sha256, and no file of data/raw/ and "
                                  "data/reference/ left unregistered\n", "")
