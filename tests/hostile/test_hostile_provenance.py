"""Hostile edits of the data package, the claims ledger and the parsed-table cache, and extreme
numbers for the arithmetic and the formatting."""

import json
import os

import pandas as pd
import pytest

from analysis import cache, claims, datapackage, tracking
from analysis.changes import apply_change, percent_change, share
from analysis.errors import DataError
from analysis.formatting import format_number, format_percent
from analysis.sources import ncmec
from conftest import ledger_copy
from hostile.corpus import LOOK_ALIKES


def _package(data_copy, mutate):
    path = data_copy / "datapackage.json"
    descriptor = json.loads(path.read_text())
    mutate(descriptor["resources"])
    path.write_text(json.dumps(descriptor, indent=2))
    return path


def _transcription(resources: list[dict]) -> dict:
    """The resource the hostile edits aim at (found by name: the package's order may change)."""
    return next(r for r in resources if r["name"] == ncmec.TRANSCRIPTION_RESOURCE)


def _escape_by_symlink(data_copy):
    (data_copy / "raw" / "elsewhere.csv").symlink_to("/etc/hostname")
    return lambda r: _transcription(r).update(path="raw/elsewhere.csv")


PACKAGES = {
    "path climbing out": (lambda r: _transcription(r).update(path="../../etc/passwd"),
                          r"resource 'ncmec-esp-2024-2025-transcription': path \"../../etc/passwd\" is not safe"),
    "absolute path": (lambda r: _transcription(r).update(path="/etc/passwd"), r"path \"/etc/passwd\" is not safe"),
    "climbing in the middle": (lambda r: _transcription(r).update(path="raw/../../x.csv"), r"is not safe"),
    "Windows separators": (lambda r: _transcription(r).update(path="raw\\..\\..\\x.csv"), r"leaves data/ \(backslash"),
    "name listed twice": (lambda r: r.append(dict(_transcription(r))), r"names of the resources are not unique"),
    "path listed twice": (lambda r: r.append({**_transcription(r), "name": "again"}),
                          r"resource again: path 'raw/ncmec/esp-2024-2025-diaphanous-all-rows.csv' is "
                          r"already listed by resource ncmec-esp-2024-2025-transcription"),
    "path listed twice, spelt differently": (lambda r: r.append({**_transcription(r), "name": "again",
                                                                 "path": "raw/./" + _transcription(r)["path"][4:]}),
                                             r"resource again: path 'raw/\./.*' is already listed"),
    "malformed hash": (lambda r: _transcription(r).update(hash="sha256:xyz"), r"hash 'sha256:xyz' is not sha256:<64 hex digits>"),
}


@pytest.mark.parametrize("name", PACKAGES)
def test_hostile_data_package_is_refused_before_any_file_is_read(data_copy, name):
    mutate, reason = PACKAGES[name]
    package = _package(data_copy, mutate)
    for call in (datapackage.problems, datapackage.resources):
        with pytest.raises(DataError, match=reason) as raised:
            call(package)
        assert str(raised.value).startswith(str(package)) and "\n" not in str(raised.value)


def test_symlink_out_of_data_is_refused(data_copy):
    package = _package(data_copy, _escape_by_symlink(data_copy))
    with pytest.raises(DataError, match=r"path 'raw/elsewhere.csv' leaves data/ \(backslash or symbolic link\)"):
        datapackage.problems(package)


# --- the claims ledger --------------------------------------------------------------------------

def _ledger(tmp_path, new_id):
    """A copy of the ledger with a last entry like its first, named ``new_id``; and its number."""
    path, entries = ledger_copy(tmp_path, lambda entries: entries.append({**entries[0], "id": new_id}))
    return path, len(entries)


LOOK_ALIKE_IDS = {
    **{name: "x-reports-" + char + "drop-2025" for name, char in LOOK_ALIKES.items()},
    "Cyrillic х": "\u0445-reports-drop-2025",
    "fullwidth digits (NFKC)": "x-reports-drop-\uff12\uff10\uff12\uff15",
    "non-breaking hyphen": "x\u2011reports-drop-2025",
    "upper case": "X-Reports-Drop-2025",
    "trailing space": "x-reports-drop-2025 ",
}


@pytest.mark.parametrize("name", LOOK_ALIKE_IDS)
def test_look_alike_id_is_refused(tmp_path, name):
    path, row = _ledger(tmp_path, LOOK_ALIKE_IDS[name])
    with pytest.raises(DataError, match=rf"row {row}, column id: .* is not lowercase ASCII words joined by hyphens") as raised:
        claims.load(path)
    assert str(raised.value).startswith(str(path)) and "\n" not in str(raised.value)


def test_refusal_names_the_invisible_character(tmp_path):
    path, _ = _ledger(tmp_path, "x-reports-\u200bdrop-2025")
    with pytest.raises(DataError, match=r"it contains ZERO WIDTH SPACE \(U\+200B\)"):
        claims.load(path)


def test_ids_compare_in_nfkc_casefolded_form():
    assert claims.identity("x-reports-drop-\uff12\uff10\uff12\uff15") == claims.identity("X-REPORTS-DROP-2025")


# --- the parsed-table cache --------------------------------------------------------------------

@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.delenv("ANALYSIS_NO_CACHE", raising=False)
    with cache.located(tmp_path / "cache") as folder:
        yield folder


def _compute():
    return pd.read_csv(datapackage.read(ncmec.COMPANIES_RESOURCE), dtype=str, keep_default_na=False)


def _cached(data_copy, compute=_compute):
    with datapackage.using(data_copy / "datapackage.json"), tracking.recording() as reads:
        frame = cache.cached_frame("hostile", compute)
    return frame, reads


def _counting(calls):
    def compute():
        calls.append(1)
        return _compute()
    return compute


def _edit_frame(parquet, entry):
    pd.read_parquet(parquet).assign(company="Someone else").to_parquet(parquet, index=False)


DAMAGES = {
    "frame edited": _edit_frame,
    "frame truncated": lambda parquet, entry: parquet.write_bytes(parquet.read_bytes()[:20]),
    "frame deleted": lambda parquet, entry: parquet.unlink(),
    "recorded checksum edited": lambda parquet, entry: entry.update(sha256="0" * 64),
}


@pytest.mark.parametrize("damage", DAMAGES)
def test_damaged_cache_is_recomputed_not_trusted(data_copy, cache_dir, damage):
    calls = []
    expected, _ = _cached(data_copy, _counting(calls))
    index = cache_dir / "hostile.json"
    entries = json.loads(index.read_text())
    [entry] = entries.values()
    DAMAGES[damage](cache_dir / entry["frame"], entry)
    index.write_text(json.dumps(entries))
    frame, reads = _cached(data_copy, _counting(calls))
    assert len(calls) == 2  # recomputed, not read from the damaged entry
    pd.testing.assert_frame_equal(frame, expected)
    assert ncmec.COMPANIES_RESOURCE in reads.resources
    pd.testing.assert_frame_equal(_cached(data_copy, _counting(calls))[0], expected)
    assert len(calls) == 2  # and the cache is mended


def test_cache_hit_still_checks_the_raw_file(data_copy, cache_dir):
    _cached(data_copy)
    companies = data_copy / "reference" / "ncmec-provider-companies.csv"
    companies.write_text(companies.read_text().replace("X Corp", "Y Corp"))
    with pytest.raises(DataError, match="checksum mismatch"):
        _cached(data_copy)


def test_failed_computation_leaves_no_cache_file(data_copy, cache_dir):
    def broken():
        raise DataError("unreadable")

    with pytest.raises(DataError):
        _cached(data_copy, broken)
    assert not cache_dir.exists() or not any(cache_dir.iterdir())


def test_cache_files_get_the_usual_permissions(data_copy, cache_dir):
    previous = os.umask(0o022)
    try:
        _cached(data_copy)
    finally:
        os.umask(previous)
    assert {oct(p.stat().st_mode & 0o777) for p in cache_dir.iterdir()} == {"0o644"}


# --- arithmetic and formatting at the edges ------------------------------------------------------

@pytest.mark.parametrize("call, reason", [
    (lambda: percent_change(5e-324, 1e308), r"percent change from 5e-324 to 1e\+308 overflows"),
    (lambda: share(1e308, 1e-10), r"share of 1e\+308 in 1e-10 overflows"),
    (lambda: apply_change(1e308, 1e308), r"overflows"),
    (lambda: format_number(1e308, "fr"), r"cannot format 1e\+308 exactly"),
    (lambda: format_percent(float("inf"), "en"), r"cannot format inf as a number"),
    (lambda: format_number(10**61, "en"), r"more than 60 digits"),
])
def test_extreme_numbers_are_refused_in_one_line(call, reason):
    with pytest.raises(ValueError, match=reason) as raised:
        call()
    assert "\n" not in str(raised.value)


def test_large_integer_keeps_every_digit():
    assert format_number(12345678901234567891, "fr") == "12\u202f345\u202f678\u202f901\u202f234\u202f567\u202f891"
