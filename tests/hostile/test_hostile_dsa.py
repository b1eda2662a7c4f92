"""Hostile DSA input (issue 26): nothing may be lost or counted twice without saying so.

Every file here is generated in the test from a synthetic dump (:mod:`analysis.dsa.synth`); none is
real data.
"""

import io
import json
import re
import shutil
import zipfile

import pytest

from analysis import cli
from analysis.dsa import archive, ingest, query, synth
from analysis.errors import DataError

DAY = "2025-06-03"
BROKEN = 101  # the physical line (1 is the header) where a quote opens and never closes


@pytest.fixture(scope="module")
def part_lines(tmp_path_factory) -> list[str]:
    """The lines of one synthetic CSV part of 10,000 statements (header first)."""
    dump = synth.synth_dump(DAY, 10_000, tmp_path_factory.mktemp("dump"))
    with zipfile.ZipFile(dump) as outer, zipfile.ZipFile(io.BytesIO(outer.read(outer.namelist()[0]))) as inner:
        return inner.read(inner.namelist()[0]).decode("utf-8").split("\n")


def _part(tmp_path, lines: list[str]):
    path = tmp_path / f"sor-global-{DAY}-full-00000-00000.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _opening_quote(line: str, column_start: str) -> str:
    return line.replace(column_start, column_start[0] + '"' + column_start[1:], 1)


@pytest.mark.parametrize("closes_after", [None, 2000], ids=["never closes", "closes 2,000 lines later"])
def test_an_unclosed_quote_that_swallows_records_refuses_the_part(tmp_path, part_lines, closes_after):
    """`…,"synthetic-…` whose quote never closes (or closes 2,000 lines on): the parser returns one
    record fewer than the file holds, which was counted as 9,999 rows read, 9,998 kept and 1
    malformed. Every physical line must be accounted for: here the part is refused, naming the line."""
    lines = list(part_lines)
    lines[BROKEN - 1] = _opening_quote(lines[BROKEN - 1], ",synthetic-")
    if closes_after:
        lines[BROKEN - 1 + closes_after] = lines[BROKEN - 1 + closes_after].replace(",synthetic-", ',synthetic"-', 1)
    out = tmp_path / "pq"
    with pytest.raises(DataError, match=r"10,000 lines after the header, but the records read \(9,998\), the lines "
                       r"rejected \(1\) and the line feeds inside fields \(0\) account for 9,999: an unclosed "
                       r"quote swallows the records after it \(first broken line: 101\); part refused") as raised:
        ingest.ingest_dump(_part(tmp_path, lines), out, platforms=None, progress=False, max_malformed=0.5)
    assert raised.value.row == BROKEN and not list(out.glob("date=*"))


def test_an_unclosed_quote_the_parser_recovers_from_counts_one_malformed_line(tmp_path, part_lines):
    """A quote opened before a field, its line rejected alone: 10,000 rows held, 1 malformed with its
    line number, 9,999 kept — the share is on what the file held."""
    lines = list(part_lines)
    lines[BROKEN - 1] = '"' + lines[BROKEN - 1]
    report = ingest.ingest_dump(_part(tmp_path, lines), tmp_path / "pq", platforms=None, progress=False,
                                max_malformed=0.5, log=lambda _: None)
    assert (report.rows, report.kept, report.malformed) == (10_000, 9_999, 1)
    assert report.examples == [f"sor-global-{DAY}-full-00000-00000.csv, line {BROKEN}: missing columns"]


def test_line_feeds_inside_a_quoted_field_are_lines_accounted_for(tmp_path, part_lines):
    """A record may span lines (a free-text field holding line feeds): that is no lost line."""
    lines = list(part_lines)
    lines[BROKEN - 1] = lines[BROKEN - 1].replace("Synthetic facts, not", "Synthetic facts,\nnot\n", 1)
    report = ingest.ingest_dump(_part(tmp_path, lines), tmp_path / "pq", platforms=None, progress=False)
    assert (report.rows, report.kept, report.malformed) == (10_000, 10_000, 0)


# --- double counts in --data (issue 26 item 2) -----------------------------------------------------

@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    """One synthetic day ingested (X only)."""
    dumps, out = tmp_path_factory.mktemp("dumps"), tmp_path_factory.mktemp("pq")
    ingest.ingest_dump(synth.synth_dump(DAY, 10_000, dumps), out, progress=False)
    return out


def _refused(data, capsys) -> str:
    """`dsa query` and `dsa stats --data` both refuse ``data`` in one line; that line."""
    lines = set()
    for command in (["dsa", "query", "--data", str(data)], ["dsa", "stats", "--data", str(data)]):
        assert cli.main(command) == 1
        out, err = capsys.readouterr()
        assert err.count("\n") == 1 and not out
        lines.add(err.strip())
    assert len(lines) == 1
    return lines.pop()


def _copy(ingested, tmp_path):
    data = tmp_path / "pq"
    shutil.copytree(ingested, data)
    return data, data / f"date={DAY}", next((data / f"date={DAY}").glob("platform=X/*.parquet"))


@pytest.mark.parametrize("stray", ["{stem} (1).parquet", "{stem}.sync-conflict-20250604-101010.parquet"])
def test_a_parquet_file_copied_beside_itself_is_refused_naming_it(ingested, tmp_path, capsys, stray):
    data, _, part = _copy(ingested, tmp_path)
    copy = part.with_name(stray.format(stem=part.stem))
    shutil.copy2(part, copy)
    assert _refused(data, capsys) == (f"error: {copy}: not among the files `dsa ingest` wrote for {DAY} (listed in "
                                      "its _ingest.json): a copy would be counted twice; refused, remove it")


def test_a_platform_folder_copied_beside_itself_is_refused(ingested, tmp_path, capsys):
    data, day, part = _copy(ingested, tmp_path)
    shutil.copytree(part.parent, day / "platform=X (1)")
    assert f"{day / 'platform=X (1)' / part.name}: not among the files" in _refused(data, capsys)


def test_a_day_copied_under_another_date_is_refused_naming_its_record(ingested, tmp_path, capsys):
    """Its _ingest.json still names the original day: counted twice before."""
    data, day, _ = _copy(ingested, tmp_path)
    shutil.copytree(day, data / "date=2025-06-04")
    assert _refused(data, capsys) == (
        f"error: {data / 'date=2025-06-04' / '_ingest.json'}: records the day {DAY}, not the date=2025-06-04 it "
        "sits in: a day's folder copied under another date would be counted twice; refused, remove the copy")


def test_a_file_changed_since_its_ingest_is_refused_even_at_the_same_size(ingested, tmp_path, capsys):
    data, _, part = _copy(ingested, tmp_path)
    content = bytearray(part.read_bytes())
    content[len(content) // 2] ^= 0xFF
    part.write_bytes(bytes(content))
    assert _refused(data, capsys) == (f"error: {part}: changed since `dsa ingest` wrote it (size or SHA-256 differs "
                                      "from its _ingest.json): ingest the day again")


def test_a_file_listed_and_missing_is_refused(ingested, tmp_path, capsys):
    data, _, part = _copy(ingested, tmp_path)
    part.unlink()
    assert _refused(data, capsys) == f"error: {part}: listed in its _ingest.json but missing: ingest the day again"


@pytest.mark.parametrize("content", [b"{not json", b"\xff\xfe", b"[" * 100_000 + b"]" * 100_000, b'{"rows": 1}',
                                     b""], ids=["broken", "not UTF-8", "nested 100k deep", "no day", "empty"])
def test_a_damaged_ingest_record_is_refused_naming_it(ingested, tmp_path, capsys, content):
    data, day, _ = _copy(ingested, tmp_path)
    (day / "_ingest.json").write_bytes(content)
    assert _refused(data, capsys).startswith(f"error: {day / '_ingest.json'}: ")


def test_a_day_folder_without_its_record_is_refused(ingested, tmp_path, capsys):
    data, day, _ = _copy(ingested, tmp_path)
    (day / "_ingest.json").unlink()
    assert _refused(data, capsys) == (f"error: {day}: no _ingest.json: not a day written by `dsa ingest`; remove the "
                                      "folder or ingest the day again")


def test_a_day_ingested_before_files_were_recorded_is_read_and_a_damaged_file_named(ingested, tmp_path, capsys):
    data, day, part = _copy(ingested, tmp_path)
    record = json.loads((day / "_ingest.json").read_text())
    del record["files"]
    (day / "_ingest.json").write_text(json.dumps(record))
    assert query.query_duckdb(data)["statements"].sum() == synth.expected(10_000)["x_minors"]
    part.write_bytes(part.read_bytes()[:200])
    assert "DuckDB cannot read the ingested Parquet" in _refused(data, capsys)


# --- zips of zips: the limits hold for the whole nest (issue 26 item 11) -------------------------

def _zip(path, members: dict, compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression) as zipped:
        for name, content in members.items():
            zipped.writestr(name, content)
    return path


def test_ratios_that_multiply_across_the_nest_are_refused_before_extracting(tmp_path, part_lines):
    """Each member within its own limit (the CSV stored, 1×; the inner zip deflated, about 20×), the
    whole nest above it: refused from the declared sizes, nothing extracted, nothing written."""
    csv = "\n".join(part_lines).encode("utf-8")
    inner = _zip(tmp_path / "inner.zip", {f"sor-global-{DAY}-full-00000-00000.csv": csv}, zipfile.ZIP_STORED)
    dump = _zip(tmp_path / f"sor-global-{DAY}-full.zip", {f"sor-global-{DAY}-full-00000.csv.zip": inner.read_bytes()})
    ratio = len(csv) / dump.stat().st_size
    limits = archive.Limits(max_ratio=ratio * 1.5)  # every member passes on its own: about ratio× and 1×
    with pytest.raises(DataError, match=rf"the dump's members, nested zips included, declare {inner.stat().st_size + len(csv):,} "
                       rf"bytes so far: above {ratio * 1.5:g}× the dump's {dump.stat().st_size:,} bytes \(zip bomb\?\): "
                       "refused") as raised:
        ingest.ingest_dump(dump, tmp_path / "pq", progress=False, limits=limits)
    assert str(raised.value).startswith(f"{dump}/sor-global-{DAY}-full-00000.csv.zip: ")
    assert not (tmp_path / "pq").exists() or not list((tmp_path / "pq").glob("date=*"))


@pytest.mark.parametrize("levels", [6, 1_200])
def test_a_dump_nested_deeper_than_the_dumps_is_refused(tmp_path, levels):
    """1,200 levels (issue 26: slow, then a generic error) are refused at the fourth, naming it."""
    content = _zip(tmp_path / "level-0.zip", {"part.csv": b"uuid\n"})
    for level in range(1, levels):
        content = _zip(tmp_path / f"level-{level}.zip", {f"level-{level - 1}.zip": content.read_bytes()})
    dump = tmp_path / f"sor-global-{DAY}-full.zip"
    content.rename(dump)
    with pytest.raises(DataError, match=f"zips nested more than {archive.MAX_NESTING} deep "
                       r"\(the dumps have 2 levels\): refused"):
        ingest.ingest_dump(dump, tmp_path / "pq", progress=False)


@pytest.mark.parametrize("name", [f"sor-global-{DAY}-full-00000-00000.csv ", "part.txt", "part.CSV.bak", "notes"])
def test_a_member_neither_csv_nor_zip_is_refused_not_skipped(tmp_path, part_lines, name):
    csv = "\n".join(part_lines).encode("utf-8")
    dump = _zip(tmp_path / f"sor-global-{DAY}-full.zip", {f"sor-global-{DAY}-full-00000-00001.csv": csv, name: csv})
    with pytest.raises(DataError, match=rf"member {name!r} is neither a CSV part nor a zip \(a part misnamed would "
                       r"be skipped, uncounted\): refused"):
        ingest.ingest_dump(dump, tmp_path / "pq", progress=False)


# --- the download path (issue 26: "weak today, each one line and tested") ------------------------

def test_two_dumps_of_one_day_in_one_ingest_are_refused_before_either(tmp_path, part_lines, capsys):
    """The second would replace the first (50 of 150 statements kept, silently)."""
    first, second = tmp_path / f"sor-global-{DAY}-full-00000-00000.csv", tmp_path / f"sor-global-{DAY}-full-00000-00001.csv"
    for path in (first, second):
        path.write_text("\n".join(part_lines), encoding="utf-8")
    assert cli.main(["dsa", "ingest", str(first), str(second), "--out", str(tmp_path / "pq")]) == 1
    assert capsys.readouterr().err == (f"error: {first} and {second} are both {DAY}: a day's ingest replaces the day, "
                                       "so the second would replace the first; ingest one dump a day (a whole day's "
                                       "dump, not its parts one by one)\n")
    assert not (tmp_path / "pq").exists()


@pytest.fixture
def bucket():
    from test_dsa_fetch import Bucket
    server = Bucket()
    yield server
    server.close()


@pytest.fixture(scope="module")
def dump(tmp_path_factory):
    return synth.synth_dump(DAY, 10_000, tmp_path_factory.mktemp("bucket"))


def _fetch(bucket, out, **options):
    from analysis.dsa import fetch
    from analysis.httpclient import make_session
    options.setdefault("log", lambda _: None)
    return fetch.fetch_days(make_session(retries=1, backoff=0.01), [DAY], out, base_url=bucket.url, progress=False,
                            backoff=0.01, **options)


@pytest.mark.parametrize("deadline", [float("nan"), float("inf"), 0, -1])
def test_a_deadline_that_is_no_number_of_seconds_is_refused(tmp_path, deadline):
    from analysis.dsa import fetch
    from analysis.errors import UsageError
    with pytest.raises(UsageError, match=rf"--deadline must be a positive number of seconds, not {deadline!r}"):
        fetch.fetch_days(None, [DAY], tmp_path, deadline_seconds=deadline)


def test_a_redirect_to_another_host_is_refused_and_recorded_nowhere(bucket, dump, tmp_path):
    name = f"sor-global-{DAY}-full.zip"
    bucket.publish(dump, name)
    bucket.publish(dump, "elsewhere.zip")
    elsewhere = f"http://localhost:{bucket.httpd.server_address[1]}/elsewhere.zip"  # another host name
    bucket.redirect[name] = elsewhere
    [result] = _fetch(bucket, tmp_path / "out")
    assert result.status == "failed" and result.message == (
        f"{bucket.url}{name}: redirected to another host ({elsewhere}): "
        "refused, the bytes must come from the host asked (pass that host as --base-url to fetch from it)")
    assert list((tmp_path / "out").iterdir()) == []


def test_a_resume_answered_from_another_offset_restarts_from_the_start(bucket, dump, tmp_path):
    """After a dropped connection, a 206 whose Content-Range does not start where the partial file
    ends would be appended at the wrong place: the partial file is dropped and the download restarts."""
    name = f"sor-global-{DAY}-full.zip"
    data = bucket.publish(dump, name)
    bucket.drop[name] = len(data) // 3
    bucket.content_range[name] = f"bytes 0-{len(data) - 1}/{len(data)}"
    lines = []
    [result] = _fetch(bucket, tmp_path, attempts=4, log=lines.append)
    assert result.status == "fetched" and (tmp_path / name).read_bytes() == data
    assert any(f"asked for bytes {len(data) // 3:,} on, the answer's Content-Range is 'bytes 0-" in line
               and "restarting from the start" in line for line in lines), lines
    assert [r for _, r in bucket.ranges if not _.endswith(".sha1")] == [None, f"bytes={len(data) // 3}-", None]


def test_a_full_disk_fails_the_day_removes_the_partial_file_and_tries_the_next(bucket, dump, tmp_path, monkeypatch):
    import errno
    import os

    from analysis.dsa import fetch
    name, following = f"sor-global-{DAY}-full.zip", "sor-global-2025-06-04-full.zip"
    bucket.publish(dump, name)
    bucket.publish(dump, following)  # served as the next day: the sha1 is what matters here
    real = fetch.open_no_follow

    class Full:
        def __init__(self, handle):
            self.handle = handle

        def write(self, chunk):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

    monkeypatch.setattr(fetch, "open_no_follow", lambda path, append=False: Full(real(path, append))
                        if DAY in path.name else real(path, append))
    results = fetch.fetch_days(fetch_session(), [DAY, "2025-06-04"], tmp_path, base_url=bucket.url, progress=False,
                               log=lambda _: None)
    assert [r.status for r in results] == ["failed", "fetched"]
    assert results[0].message == f"{tmp_path / ('.' + name + '.part')}: cannot write (No space left on device): " \
                                 "the partial download is removed"
    assert sorted(p.name for p in tmp_path.iterdir()) == [following, following + ".sha1"]


def fetch_session():
    from analysis.httpclient import make_session
    return make_session(retries=1, backoff=0.01)


def test_an_endless_body_is_cut_at_the_size_cap_the_command_sets(bucket, dump, tmp_path, capsys):
    bucket.publish(dump, f"sor-global-{DAY}-full.zip")
    assert cli.main(["dsa", "fetch", "--from", DAY, "--out", str(tmp_path), "--base-url", bucket.url,
                     "--max-bytes", "1000", "--retries", "0"]) == 1
    assert "above the limit of 1,000" in capsys.readouterr().err


# --- weak cases turned into clear refusals (issue 26) --------------------------------------------

def test_a_nul_byte_inside_a_field_refuses_the_part(tmp_path, part_lines):
    lines = list(part_lines)
    lines[BROKEN - 1] = lines[BROKEN - 1].replace("Synthetic facts", "Synthetic\x00facts", 1)
    path = _part(tmp_path, lines)
    with pytest.raises(DataError, match=r"holds 1 NUL bytes \(a binary or damaged file: no CSV cell holds one\); "
                       "part refused"):
        ingest.ingest_dump(path, tmp_path / "pq", platforms=None, progress=False)


def test_a_utf16_part_is_refused_by_name_and_a_utf8_bom_is_read(tmp_path, part_lines):
    text = "\n".join(part_lines)
    path = tmp_path / f"sor-global-{DAY}-full-00000-00000.csv"
    path.write_bytes(text.encode("utf-16"))
    with pytest.raises(DataError, match=r"row 1: UTF-16 \(it starts with a UTF-16 byte order mark\): the dumps are "
                       "UTF-8; refused"):
        ingest.ingest_dump(path, tmp_path / "pq", platforms=None, progress=False)
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert ingest.ingest_dump(path, tmp_path / "pq", platforms=None, progress=False).kept == 10_000


@pytest.mark.parametrize("column, value", [("content_date", "03/06/2025"), ("application_date", "2025-06-03T00:00:00Z"),
                                           ("created_at", f"{DAY} 00:00:00 junk")])
def test_a_timestamp_in_another_form_is_malformed_not_stored_as_null(tmp_path, part_lines, column, value):
    header = part_lines[0].split(",")
    lines = list(part_lines)
    import csv
    record = next(csv.reader([lines[BROKEN - 1]]))
    record[header.index(column)] = value
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(record)
    lines[BROKEN - 1] = buffer.getvalue()
    report = ingest.ingest_dump(_part(tmp_path, lines), tmp_path / "pq", platforms=None, progress=False,
                                log=lambda _: None)
    assert (report.rows, report.kept, report.malformed) == (10_000, 9_999, 1)
    assert report.examples == [f"sor-global-{DAY}-full-00000-00000.csv, record {BROKEN - 1}: {column} is not "
                               "YYYY-MM-DD HH:MM:SS"]


def test_a_sha1_sidecar_that_is_not_utf8_is_refused_by_name(tmp_path, dump):
    import shutil as copier
    copy = copier.copy(dump, tmp_path / dump.name)
    sidecar = tmp_path / f"{dump.name}.sha1"
    sidecar.write_bytes(b"\xff\xfe\x00 not a digest")
    with pytest.raises(DataError, match=rf"{sidecar}: no SHA-1 digest at the start of the file"):
        ingest.ingest_dump(copy, tmp_path / "pq", progress=False)


@pytest.mark.parametrize("args, message", [
    (["--category", "prоtection_of_minors"], "error: unknown category 'prоtection_of_minors' (it holds U+043E CYRILLIC "
     "SMALL LETTER O, not an ASCII letter: a look-alike?); did you mean 'STATEMENT_CATEGORY_PROTECTION_OF_MINORS'?"),
    (["--category", "мinors"], "error: unknown category 'мinors' (it holds U+043C CYRILLIC SMALL LETTER EM, not an "
     "ASCII letter: a look-alike?)"),
    (["--platform", "ТikTok"], "error: unknown platform 'ТikTok' (it holds U+0422 CYRILLIC CAPITAL LETTER TE, not an "
     "ASCII letter: a look-alike?); did you mean 'TikTok'"),
    (["--category", "a" * 100_000], "error: --category is 100,000 characters long: no name is longer than 200"),
    (["--platform", "a" * 100_000], "error: --platform is 100,000 characters long: no name is longer than 200"),
])
def test_look_alike_and_huge_names_are_refused_naming_the_real_one(args, message, capsys):
    assert cli.main(["dsa", "stats", *args]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(message)


def test_a_look_alike_platform_in_ingested_data_is_named(ingested, capsys):
    assert cli.main(["dsa", "query", "--data", str(ingested), "--platform", "Х"]) == 1
    assert capsys.readouterr().err == ("error: no ingested statement of platform 'Х' (it holds U+0425 CYRILLIC CAPITAL "
                                       f"LETTER HA, not an ASCII letter: a look-alike?); platforms in {ingested}: X\n")


# --- weak cases turned into clear refusals (issue 26) --------------------------------------------

def _claiming(path, name: str, data: bytes, inflated: int, compressed: int | None = None):
    """A zip of one part whose central directory declares ``inflated`` bytes (and ``compressed``,
    else its true compressed size) in its ZIP64 field: a header that lies."""
    import struct
    from unittest import mock

    with mock.patch.object(zipfile, "ZIP64_LIMIT", 1), zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)  # every size in the ZIP64 field, where 8 bytes hold any claim
    raw = bytearray(path.read_bytes())
    field = raw.index(b"\x01\x00", raw.rindex(b"PK\x01\x02") + 46 + len(name))  # ZIP64 field: id 1, length, sizes
    true_compressed = struct.unpack_from("<QQ", raw, field + 4)[1]
    struct.pack_into("<QQ", raw, field + 4, inflated, true_compressed if compressed is None else compressed)
    path.write_bytes(bytes(raw))
    return path


@pytest.mark.parametrize("compressed", [10**14, None], ids=["compressed size claimed too", "true compressed size"])
def test_a_part_claiming_a_trillion_rows_is_refused_from_its_header(tmp_path, part_lines, compressed):
    """10¹² rows of about 1,000 bytes: the header's claim is refused before anything is extracted
    (a compressed size larger than the zip holding it is false; a true one makes a zip bomb's ratio)."""
    name = f"sor-global-{DAY}-full-00000-00000.csv"
    dump = _claiming(tmp_path / f"sor-global-{DAY}-full.zip", name, "\n".join(part_lines[:11]).encode(), 10**15,
                     compressed)
    held, declared = dump.stat().st_size, zipfile.ZipFile(dump).getinfo(name).compress_size
    if compressed:
        expected = (f"{dump}: member '{name}' declares 100,000,000,000,000 compressed bytes (and "
                    f"1,000,000,000,000,000 inflated), more than the {held:,} bytes of its zip: its header is false; "
                    "refused before extracting anything")
    else:
        expected = (f"{dump}: member '{name}' declares 1,000,000,000,000,000 bytes from {declared:,} compressed: above "
                    "the limit of 8,589,934,592 bytes or 100× its compressed size (zip bomb?): refused")
    with pytest.raises(DataError) as raised:
        ingest.ingest_dump(dump, tmp_path / "pq", progress=False)
    assert str(raised.value) == expected
    assert not list((tmp_path / "pq").glob("date=*")) and not list((tmp_path / "pq").glob(".ingest-*"))


@pytest.mark.parametrize("files_recorded", [True, False], ids=["files recorded", "day ingested before files were"])
@pytest.mark.parametrize("column, retyped, said", [
    ("created_at", "VARCHAR", "text, not as a timestamp"),
    ("automated_detection", "INTEGER", "INT32/INT_32, not as a Boolean"),
    ("category", "BLOB", "bytes, not as text"),
    ("territorial_scope", "BIGINT", "INT64/INT_64, not as a list or text"),  # its length
])
def test_a_retyped_parquet_column_is_refused_naming_file_and_column(ingested, tmp_path, capsys, files_recorded,
                                                                     column, retyped, said):
    """A Parquet file rewritten by another tool with a kept column of another type (its record
    rewritten too, or a day ingested before files were recorded): DuckDB cast it silently, or failed
    with "unexpected BinderException" or "unexpected TypeError"."""
    import duckdb

    from analysis.dsa.ingest.report import file_records

    data, day, part = _copy(ingested, tmp_path)
    value = f"length({column})" if column == "territorial_scope" else f"CAST({column} AS {retyped})"
    duckdb.sql(f"COPY (SELECT * REPLACE ({value} AS {column}) FROM '{part}') TO '{part}.new' (FORMAT parquet)")
    (part.parent / f"{part.name}.new").replace(part)
    record = json.loads((day / "_ingest.json").read_text())
    if files_recorded:
        record["files"] = file_records(day)
    else:
        del record["files"]
    (day / "_ingest.json").write_text(json.dumps(record))
    assert _refused(data, capsys) == (f"error: {part}: column {column!r} is stored as {said} as `dsa ingest` writes "
                                      "it: refused, ingest the day again")


@pytest.mark.parametrize("field, written", [("rows", "1e999"), ("rows", "Infinity"), ("kept", "1.5"),
                                            ("malformed", '"12"'), ("duplicates", "true"), ("parts", "-1"),
                                            ("rows", "null")])
def test_a_count_that_is_no_whole_number_in_an_ingest_record_is_refused_naming_the_field(ingested, tmp_path, capsys,
                                                                                        field, written):
    """`1e999` was read as infinity and the day counted ("unexpected …" further on, or nothing said)."""
    data, day, _ = _copy(ingested, tmp_path)
    record = day / "_ingest.json"
    text, found = re.subn(rf'"{field}": -?\d+', f'"{field}": {written}', record.read_text(), count=1)
    assert found == 1
    record.write_text(text)
    assert _refused(data, capsys) == (f"error: {record}: field {field!r} is {written}, not a count (a whole number "
                                      "from 0): damaged, ingest the day again")


def test_a_corrupt_partial_file_resumed_from_is_refused_removed_and_the_next_run_starts_afresh(bucket, dump, tmp_path):
    """A `.NAME.part` whose bytes are not the file's (damaged on disk, or from another file of the
    same size so far) is resumed from: the whole fails its SHA-1, nothing is kept, and the next run
    downloads from the first byte."""
    name = f"sor-global-{DAY}-full.zip"
    data = bucket.publish(dump, name)
    partial = tmp_path / f".{name}.part"
    partial.write_bytes(b"\0" * (len(data) // 2))
    [result] = _fetch(bucket, tmp_path)
    assert result.status == "failed" and "differs from the published" in result.message
    assert "refused, nothing kept" in result.message and not partial.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == []
    [result] = _fetch(bucket, tmp_path)
    assert result.status == "fetched" and (tmp_path / name).read_bytes() == data
    assert [r for n, r in bucket.ranges if not n.endswith(".sha1")] == [f"bytes={len(data) // 2}-", None]
