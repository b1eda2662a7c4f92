"""Hostile files where the project reads its own state: a pipe (FIFO) planted in data/raw must not
block `data check` or a loader (refused: not a regular file); caches truncated by a killed run or
damaged by hand (the parsed tables' index and frames, the fact-check's and the build's remembered
results) are recomputed, never a traceback and never trusted."""

import contextvars
import json
import os
import threading

import pandas as pd
import pytest

from analysis import cache, datapackage, verify
from analysis.charts import build
from analysis.errors import DataError
from conftest import run_cli

NOT_REGULAR = "not a regular file (a pipe, a device or a socket would block or mislead the read): remove it"


def _finishes(function, seconds=60):
    """``function()``'s result, failing the test (rather than hanging it) if it blocks."""
    outcome, context = {}, contextvars.copy_context()  # the data package in use, in the thread too

    def run():
        try:
            outcome["value"] = context.run(function)
        except BaseException as error:  # noqa: BLE001 - handed back to the test
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "blocked on a pipe"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _check(package):
    done = run_cli("data", "check", "--package", str(package))
    return done.returncode, done.stdout, done.stderr


def test_pipe_in_place_of_a_registered_file_does_not_block(data_copy):
    pdf = data_copy / "raw" / "ncmec" / "ncmec-by-esp-2019.pdf"
    pdf.unlink()
    os.mkfifo(pdf)
    code, out, err = _finishes(lambda: _check(data_copy / "datapackage.json"))
    assert (code, out) == (1, "")
    assert err == (f"FAIL raw/ncmec/ncmec-by-esp-2019.pdf: {NOT_REGULAR}\n"
                   "1 problem among the 25 resources and the files of data/raw/ and data/reference/\n")
    with datapackage.using(data_copy / "datapackage.json"), pytest.raises(DataError) as raised:
        _finishes(lambda: datapackage.read("ncmec-by-esp-2019"))
    assert str(raised.value) == f"{pdf}: file of resource 'ncmec-by-esp-2019' is {NOT_REGULAR}"


def test_pipe_not_registered_is_named_not_opened(data_copy):
    os.mkfifo(data_copy / "raw" / "x" / "stray.csv")
    code, _, err = _finishes(lambda: _check(data_copy / "datapackage.json"))
    assert code == 1 and err.splitlines()[0] == f"FAIL raw/x/stray.csv: {NOT_REGULAR}"


def test_checksum_of_a_pipe_is_refused_not_awaited(tmp_path):
    from analysis.files import sha256

    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(DataError, match="pipe: not a regular file"):
        _finishes(lambda: sha256(tmp_path / "pipe"))


@pytest.fixture
def counted(tmp_path):
    """A cached computation in a cache folder of its own, counting how often it really runs."""
    calls = []

    def compute():
        calls.append(1)
        return pd.DataFrame({"reports": [1, 2, 3]})

    compute.__module__ = "analysis.sources.x"  # a module of the project: the cache fingerprints its code
    with cache.located(tmp_path / "cache"):
        yield compute, calls, tmp_path / "cache"


def _index_and_frame(folder):
    index = folder / "hostile-example.json"
    entries = json.loads(index.read_text())
    (entry,) = entries.values()
    return index, folder / entry["frame"], entries


def test_a_copy_of_the_data_reuses_the_frame_its_bytes_gave_and_a_changed_file_does_not(counted, data_copy):
    """A frame depends on the code and on the bytes it read, not on their folder: a copy of data/
    (a test's, another checkout's) uses it; a copy whose file differs computes its own."""
    compute, calls, _ = counted

    def reading():
        datapackage.read("x-transparency-report-2024-h1")
        return compute()

    reading.__module__ = compute.__module__
    first = cache.cached_frame("hostile-example", reading)
    with datapackage.using(data_copy / "datapackage.json"):
        assert cache.cached_frame("hostile-example", reading).equals(first) and len(calls) == 1
    changed = data_copy / "datapackage.json"
    descriptor = json.loads(changed.read_text())
    entry = next(r for r in descriptor["resources"] if r["name"] == "x-transparency-report-2024-h1")
    raw = data_copy / entry["path"]
    raw.write_bytes(raw.read_bytes() + b"\n")  # another version of the file, registered as such
    digest = __import__("hashlib").sha256(raw.read_bytes()).hexdigest()
    entry["hash"], entry["bytes"], entry["upstream"]["held"]["sha256"] = f"sha256:{digest}", raw.stat().st_size, digest
    changed.write_text(json.dumps(descriptor))
    with datapackage.using(changed):
        cache.cached_frame("hostile-example", reading)
    assert len(calls) == 2


DAMAGES = {
    "index truncated": lambda index, frame, entries: index.write_bytes(index.read_bytes()[:25]),
    "index empty": lambda index, frame, entries: index.write_bytes(b""),
    "index not UTF-8": lambda index, frame, entries: index.write_bytes(b"\xff\xfe{"),
    "index an array": lambda index, frame, entries: index.write_text("[]"),
    "entry an array": lambda index, frame, entries: index.write_text(json.dumps({k: [] for k in entries})),
    "entry without its frame": lambda index, frame, entries: index.write_text(
        json.dumps({k: {key: v for key, v in e.items() if key != "frame"} for k, e in entries.items()})),
    "frame named outside the cache": lambda index, frame, entries: index.write_text(
        json.dumps({k: {**e, "frame": "../../datapackage.json"} for k, e in entries.items()})),
    "frame truncated": lambda index, frame, entries: frame.write_bytes(frame.read_bytes()[:40]),
    "frame removed": lambda index, frame, entries: frame.unlink(),
    "frame damaged, hash edited to match": lambda index, frame, entries: (
        frame.write_bytes(b"PAR1 not parquet"),
        index.write_text(json.dumps({k: {**e, "sha256": __import__("hashlib").sha256(b"PAR1 not parquet").hexdigest()}
                                     for k, e in entries.items()}))),
}


@pytest.mark.parametrize("damage", DAMAGES.values(), ids=DAMAGES.keys())
def test_damaged_cache_is_recomputed_without_a_traceback(counted, damage, capfd, caplog):
    compute, calls, folder = counted
    first = cache.cached_frame("hostile-example", compute)
    assert cache.cached_frame("hostile-example", compute).equals(first) and len(calls) == 1  # a hit
    damage(*_index_and_frame(folder))
    capfd.readouterr()
    assert cache.cached_frame("hostile-example", compute).equals(first)
    assert len(calls) == 2  # recomputed, not trusted
    assert capfd.readouterr() == ("", "") and not caplog.records  # silently: no traceback, no warning
    _index_and_frame(folder)  # the index is whole again
    assert cache.cached_frame("hostile-example", compute).equals(first) and len(calls) == 2


@pytest.mark.parametrize("text", ['{"claims": {"a"', "", "[1, 2]", "\udcff"], ids=["truncated", "empty", "an array",
                                                                                   "not UTF-8"])
def test_damaged_state_of_a_build_is_an_empty_one(tmp_path, text):
    state = tmp_path / ".cache" / "state.json"
    state.parent.mkdir()
    state.write_bytes(text.encode("utf-8", "surrogateescape"))
    assert build._saved(tmp_path) == {}  # every chart is rebuilt
    assert cache.read_index(state) == {}


@pytest.mark.parametrize("entry", [None, [], "x", {}, {"reads": []}, {"reads": {}, "fingerprint": 3},
                                   {"reads": {"resources": 7}, "fingerprint": "f", "computed": None}],
                         ids=["absent", "an array", "a string", "empty", "reads an array", "no verdict",
                              "resources a number"])
def test_damaged_remembered_claim_is_computed_again(entry):
    claim = verify.load_checked()[0]
    assert verify._remembered(claim, entry, state=None) is None
