"""DSA Transparency Database: ingest, query with both engines, bad input. All dumps here are
synthetic (generated in the tests)."""

import hashlib
import io
import json
import re
import shutil
import time
import zipfile
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analysis.dsa import archive, ingest, query, schema, synth
from analysis.errors import DataError, UsageError

DAY = "2025-06-03"


@pytest.fixture(scope="module")
def dump(tmp_path_factory):
    return synth.synth_dump(DAY, 30_000, tmp_path_factory.mktemp("dumps"))


@pytest.fixture(scope="module")
def ingested(dump, tmp_path_factory):
    out = tmp_path_factory.mktemp("parquet")
    ingest.ingest_dump(dump, out, progress=False)
    ingest.ingest_dump(synth.synth_dump("2025-10-07", 20_000, tmp_path_factory.mktemp("d2"), fr_tenths=3),
                       out, progress=False)
    return out


def _part(dump, tmp_path, name=f"sor-global-{DAY}-full-00000-00000.csv") -> Path:
    """The first CSV part of a dump, as a plain file we may damage."""
    with zipfile.ZipFile(dump) as outer:
        inner = zipfile.ZipFile(io.BytesIO(outer.read(outer.namelist()[0])))
        data = inner.read(inner.namelist()[0])
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_counts_match_what_the_generator_put_in(ingested):
    table = query.query_duckdb(ingested, by="month", territory="FR").set_index("period")
    june, october = synth.expected(30_000, fr_tenths=5), synth.expected(20_000, fr_tenths=3)
    assert table.loc["2025-06", "statements"] == june["x_minors_fr"] == 900
    assert table.loc["2025-10", "statements"] == october["x_minors_fr"]
    all_scope = query.query_duckdb(ingested, by="day").set_index("period")
    assert all_scope.loc[DAY, "statements"] == june["x_minors"]
    assert all_scope.loc[DAY, "automated_detection_pct"] == pytest.approx(60.0)
    assert all_scope.loc[DAY, "fully_automated_pct"] == pytest.approx(40.0)


def test_spark_and_duckdb_agree(ingested, spark):
    for kwargs in ({"by": "month"}, {"by": "day", "territory": "FR"},
                   {"by": "month", "platforms": None, "category": None}):
        duck = query.query_duckdb(ingested, **kwargs)
        sparked = query.query_spark(ingested, session=spark, **kwargs)
        pd.testing.assert_frame_equal(duck, sparked)
    assert len(query.query_duckdb(ingested, platforms=None, category=None)) > 2


def test_spark_periods_do_not_follow_the_readers_time_zone(ingested, monkeypatch, spark):
    """A period is a day or month of created_at as published (UTC), on a machine west of it too."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        sparked = query.query_spark(ingested, session=spark, by="day")
    finally:
        monkeypatch.undo()
        time.tzset()
    assert sparked["period"].tolist() == query.query_duckdb(ingested, by="day")["period"].tolist()
    assert DAY in sparked["period"].tolist()


def test_a_folder_mixing_lists_and_json_text_reads_alike(ingested, tmp_path, spark):
    """Days ingested before the multi-valued columns were stored as the JSON published hold
    lists; a folder may mix both, and both engines read every day."""
    mixed = tmp_path / "pq"
    shutil.copytree(ingested, mixed)
    for text in sorted(mixed.glob("date=*/platform=*/*.parquet")):  # each day again, as older ingests stored it
        older = mixed / f"date=2024-01-0{len(list(mixed.glob('date=2024-*'))) + 1}" / text.parent.name / text.name
        older.parent.mkdir(parents=True)
        record = json.loads((text.parent.parent / "_ingest.json").read_text())  # as older ingests wrote it:
        record.pop("files")  # the day, without the files it wrote
        (older.parent.parent / "_ingest.json").write_text(json.dumps({**record, "day": older.parent.parent.name[5:]}))
        parsed = ", ".join(f"""from_json({c}, '["VARCHAR"]') AS {c}""" for c in schema.LISTS)
        duckdb.execute(f"COPY (SELECT * REPLACE ({parsed}) FROM read_parquet(?)) TO '{older}' (FORMAT parquet)",
                       [str(text)])
    for kwargs in ({"by": "month", "territory": "FR"}, {"by": "day", "with_additional_categories": True}):
        once = query.query_duckdb(ingested, **kwargs)
        twice = once.assign(statements=once["statements"] * 2)
        pd.testing.assert_frame_equal(query.query_duckdb(mixed, **kwargs), twice)
        pd.testing.assert_frame_equal(query.query_spark(mixed, session=spark, **kwargs), twice)


def test_layout_on_disk_and_report(ingested):
    day = ingested / f"date={DAY}"
    assert sorted(p.name for p in day.iterdir()) == ["_ingest.json", "platform=X"]
    report = json.loads((day / "_ingest.json").read_text())
    assert report["rows"] == 30_000 and report["kept"] == 9_000 and report["sha1_checked"]
    assert query.ingested_days(ingested)["synthetic"].all()


def test_reingest_replaces_the_day(dump, tmp_path):
    ingest.ingest_dump(dump, tmp_path, progress=False)
    ingest.ingest_dump(dump, tmp_path, progress=False)
    assert query.query_duckdb(tmp_path, category=None)["statements"].sum() == 9_000
    assert [p.name for p in tmp_path.iterdir()] == [f"date={DAY}"]


def test_plain_csv_part_and_all_platforms(dump, tmp_path):
    part = _part(dump, tmp_path)
    report = ingest.ingest_dump(part, tmp_path / "out", platforms=None, progress=False)
    assert report.kept == report.rows == 30_000
    platforms = sorted(p.name for p in (tmp_path / "out" / f"date={DAY}").glob("platform=*"))
    assert "platform=X" in platforms and "platform=Hotel_Hideaway" in platforms


def test_light_dump_has_no_territory(tmp_path):
    light = synth.synth_dump(DAY, 10_000, tmp_path, variant="light")
    ingest.ingest_dump(light, tmp_path / "out", progress=False)
    assert query.query_duckdb(tmp_path / "out")["statements"].sum() == synth.expected(10_000)["x_minors"]
    with pytest.raises(DataError, match="light dumps drop it"):
        query.query_duckdb(tmp_path / "out", territory="FR")


def test_misspelt_platform_never_replaces_the_day(dump, tmp_path):
    ingest.ingest_dump(dump, tmp_path, progress=False)
    before = (tmp_path / f"date={DAY}" / "_ingest.json").read_text()
    with pytest.raises(UsageError, match=r"no statement of 'Tiktok'.*Did you mean 'TikTok'.*--allow-absent"):
        ingest.ingest_dump(dump, tmp_path, platforms=["Tiktok"], progress=False)
    assert (tmp_path / f"date={DAY}" / "_ingest.json").read_text() == before
    assert query.query_duckdb(tmp_path, category=None)["statements"].sum() == 9_000
    lines = []  # a platform that truly filed nothing that day: recorded as none, on request
    report = ingest.ingest_dump(dump, tmp_path / "b", platforms=["X", "Twiter"], log=lines.append,
                                progress=False, allow_absent=True)
    assert report.platforms_missing == ["Twiter"] and report.kept == 9_000
    assert any("platform 'Twiter' has no statement" in line for line in lines)


@pytest.mark.parametrize("share", [float("nan"), float("inf"), -0.1, 1.5])
def test_max_malformed_must_be_a_share(dump, tmp_path, share):
    with pytest.raises(UsageError, match="between 0 and 1"):
        ingest.ingest_dump(dump, tmp_path, max_malformed=share, progress=False)
    assert list(tmp_path.iterdir()) == []


# --- bad input --------------------------------------------------------------------------------

def test_sha1_mismatch(dump, tmp_path):
    copy = tmp_path / dump.name
    copy.write_bytes(dump.read_bytes())
    (tmp_path / (dump.name + ".sha1")).write_text("0" * 40 + "  x\n")
    with pytest.raises(DataError, match=r"sha1 .* differs"):
        ingest.ingest_dump(copy, tmp_path / "out", progress=False)


def test_truncated_zip(dump, tmp_path):
    broken = tmp_path / f"sor-global-{DAY}-full.zip"
    broken.write_bytes(dump.read_bytes()[: dump.stat().st_size // 2])
    with pytest.raises(DataError, match="not a readable zip"):
        ingest.ingest_dump(broken, tmp_path / "out", progress=False)
    assert not (tmp_path / "out" / f"date={DAY}").exists()


def test_corrupt_member(dump, tmp_path):
    data = bytearray(dump.read_bytes())
    data[len(data) // 3] ^= 0xFF  # inside the compressed stream: CRC or inflate fails
    broken = tmp_path / f"sor-global-{DAY}-full.zip"
    broken.write_bytes(bytes(data))
    with pytest.raises(DataError, match="corrupt or truncated member|not a readable zip"):
        ingest.ingest_dump(broken, tmp_path / "out", progress=False)
    # With the published checksum beside it, the checksum is what fails: the SHA-1 is computed
    # while the parts are read, and reported whatever broke in reading them.
    (tmp_path / (broken.name + ".sha1")).write_text(f"{hashlib.sha1(dump.read_bytes()).hexdigest()}  x\n")
    with pytest.raises(DataError, match=r"sha1 .* differs"):
        ingest.ingest_dump(broken, tmp_path / "out", progress=False)


def test_zip_slip_is_refused(tmp_path):
    evil = tmp_path / f"sor-global-{DAY}-full.zip"
    with zipfile.ZipFile(evil, "w") as zipped:
        zipped.writestr("../../etc/evil.csv", ",".join(schema.COLUMNS) + "\n")
    with pytest.raises(DataError, match="escapes the extraction folder"):
        ingest.ingest_dump(evil, tmp_path / "out", progress=False)
    assert not (tmp_path.parent / "etc").exists()


def test_renamed_column(dump, tmp_path):
    part = _part(dump, tmp_path)
    text = part.read_text()
    part.write_text(text.replace("platform_name", "platform", 1))
    with pytest.raises(DataError, match=r"column platform_name: .*missing \['platform_name'\], unexpected \['platform'\]"):
        ingest.ingest_dump(part, tmp_path / "out", progress=False)


def test_malformed_rows_counted_with_file_and_line(dump, tmp_path):
    """Broken lines count for every platform; row checks for the platforms kept."""
    part = _part(dump, tmp_path)
    lines = part.read_text().splitlines(keepends=True)
    lines[2] = lines[2].replace(",Yes,", ",Perhaps,").replace(",No,", ",Perhaps,")  # record 2: one of X's
    lines[9] = "broken,line\n"
    part.write_text("".join(lines))
    report = ingest.ingest_dump(part, tmp_path / "out", progress=False, log=lambda _: None)
    assert report.malformed == 2 and report.rows == 30_000
    assert any(e.endswith("line 10: missing columns") for e in report.examples), report.examples
    assert any("record 2: automated_detection is not Yes/No" in e for e in report.examples), report.examples
    assert all(e.startswith(part.name) for e in report.examples)


def test_utf8_check_across_chunks():
    """Parts are checked chunk by chunk as they are extracted: a character may straddle two."""
    accent = "é".encode()
    def check(*chunks: bytes) -> bool:
        found = archive.Utf8Check()
        for chunk in chunks:
            found.feed(chunk)
        return found.finish()

    assert check(b"abc" + accent[:1], accent[1:] + b"def")
    assert not check(b"abc" + accent[:1], b"def")  # an ASCII chunk after half a character
    assert not check(b"abc" + accent[:1])  # cut off at the end
    assert not check(b"abc", b"\xa7def")


def test_a_list_column_must_hold_a_json_array(dump, tmp_path):
    """The multi-valued columns are stored as the JSON published and parsed when queried, by
    either engine: a cell must be a JSON array of strings as both read it."""
    part = _part(dump, tmp_path)
    lines = part.read_text().splitlines(keepends=True)
    scope = re.compile(r'"\[""[A-Z]{2}""[^\]]*\]"')  # territorial_scope: the list of two-letter codes
    x_lines = [i for i, line in enumerate(lines) if ",X,synthetic-" in line and scope.search(line)][:5]
    # a string, an object, broken JSON, a trailing comma (DuckDB's json_valid takes it, Spark does
    # not), numbers
    for i, cell in zip(x_lines, ['"""FR"""', '"{""FR"": 1}"', '"[""FR"""', '"[""FR"",]"', '"[1, 2]"']):
        lines[i] = scope.sub(lambda _, cell=cell: cell, lines[i], count=1)
    part.write_text("".join(lines))
    report = ingest.ingest_dump(part, tmp_path / "out", progress=False, log=lambda _: None)
    assert report.malformed == 5, report.examples
    assert sum("territorial_scope is not a JSON array of strings" in e for e in report.examples) == 5
    assert query.query_duckdb(tmp_path / "out", territory="FR")["statements"].sum() > 0


def test_a_row_is_malformed_for_its_first_failing_check(dump, tmp_path):
    """The list cells are checked once per distinct value, after the other checks (ingest.part.check_lists),
    yet each malformed row gives the first reason in the checks' order."""
    part = _part(dump, tmp_path)
    lines = part.read_text().splitlines(keepends=True)
    scope = re.compile(r'"\[""[A-Z]{2}""[^\]]*\]"')
    x_lines = [i for i, line in enumerate(lines) if ",X,synthetic-" in line and scope.search(line)
               and ",[]," in line][:2]
    for i in x_lines:  # the first empty list, category_addition, comes before territorial_scope in schema.LISTS
        lines[i] = scope.sub('"[1]"', lines[i].replace(",[],", ',"[2]",', 1), count=1)
    lines[x_lines[1]] = lines[x_lines[1]].replace(",Yes,", ",Perhaps,").replace(",No,", ",Perhaps,")
    part.write_text("".join(lines))
    report = ingest.ingest_dump(part, tmp_path / "out", progress=False, log=lambda _: None)
    assert report.malformed == 2
    reasons = [e.split(": ", 1)[1] for e in report.examples]
    assert sorted(reasons) == ["automated_detection is not Yes/No", "category_addition is not a JSON array of strings"]


def test_too_many_malformed_rows_fail_the_day(dump, tmp_path):
    part = _part(dump, tmp_path)
    lines = part.read_text().splitlines(keepends=True)
    for i in range(1, 3000):  # about 900 of X's rows: 3 % of the day
        lines[i] = lines[i].replace(f",\"{DAY}", ",\"yesterday").replace(f",{DAY} ", ",yesterday ")
    part.write_text("".join(lines))
    with pytest.raises(DataError, match=r"rows malformed .* day not ingested"):
        ingest.ingest_dump(part, tmp_path / "out", progress=False)
    assert not (tmp_path / "out" / f"date={DAY}").exists()


def test_query_without_data(tmp_path):
    with pytest.raises(DataError, match="no ingested Parquet here"):
        query.query_duckdb(tmp_path)


def test_cli_round_trip(tmp_path):
    from analysis import cli

    def run(*args):
        return cli.main(["dsa", *args])

    assert run("synth", "--date", DAY, "--rows", "10000", "--out", str(tmp_path)) == 0
    dump = tmp_path / f"synthetic-sor-global-{DAY}-full.zip"
    assert run("ingest", str(dump), "--out", str(tmp_path / "pq")) == 0
    day_line = (tmp_path / "pq" / ingest.LOG).read_text().splitlines()[-1]  # the log beside the days, by default
    assert day_line.endswith(f"{DAY} {dump.name}: ingested: 1 part, 10,000 rows read, 3,000 kept, 0 malformed, "
                             "0 duplicates counted once")
    assert run("query", "--data", str(tmp_path / "pq"), "--territory", "FR", "--by", "day",
               "--csv", str(tmp_path / "q.csv")) == 0
    table = pd.read_csv(tmp_path / "q.csv", skiprows=1)  # the synthetic warning, first
    assert table["statements"].tolist() == [synth.expected(10_000)["x_minors_fr"]]


def test_repeats_across_parts_are_taken_out_of_the_part_written(tmp_path, monkeypatch):
    """The last part repeats the day's first statements (found once the day is read): its Parquet
    is rewritten without them, its own statements kept."""
    monkeypatch.setattr(synth, "PART_ROWS", 1_000)  # two parts
    dump = synth.synth_dump(DAY, 2_000, tmp_path, duplicates=7)
    report = ingest.ingest_dump(dump, tmp_path / "pq", platforms=None, progress=False, log=lambda _: None)
    assert (report.rows, report.kept, report.duplicates, report.malformed) == (2_007, 2_000, 7, 0)
    assert {(d["file"][-9:], d["first_file"][-9:]) for d in report.duplicate_examples} == {("00001.csv", "00000.csv")}
    statements = query.query_duckdb(tmp_path / "pq", by="day", platforms=None, category=None)["statements"]
    assert statements.sum() == 2_000


def test_progress_shows_parts_of_those_listed_and_rows_read():
    """Issue 24: the bar says how many parts of how many, and the rows read so far (a zip of zips
    lists an inner zip's parts when it opens it: the total grows)."""
    from analysis.dsa.ingest.day import Progress
    from analysis.dsa.ingest.report import PartReport

    shown = io.StringIO()
    progress = Progress(DAY, "dump.zip", None, True, file=shown)
    progress.listed(2)
    for rows in (1_000, 2_500):
        progress.part_done(PartReport("p.csv", "full-37", False, rows, rows, 0, [], set()))
    progress.listed(1)
    progress.close()
    last = [state for state in shown.getvalue().split("\r") if state.strip()][-1]  # before the bar is cleared
    assert last.startswith(f"{DAY}: 2/3 parts, 3,500 rows ["), last


def test_a_log_beside_the_days_has_a_line_per_part_and_per_day(tmp_path, monkeypatch):
    monkeypatch.setattr(synth, "PART_ROWS", 1_000)
    monkeypatch.setattr(synth, "PARTS_PER_INNER_ZIP", 2)  # 5 parts in 3 inner zips
    dump = synth.synth_dump(DAY, 5_000, tmp_path / "dumps")
    log = tmp_path / "pq" / ingest.LOG
    ingest.ingest_dump(dump, tmp_path / "pq", progress=False, log_file=log)
    with pytest.raises(UsageError):
        ingest.ingest_dump(dump, tmp_path / "pq", platforms=["Tiktok"], progress=False, log_file=log)
    lines = [line.split(" ", 1)[1] for line in log.read_text().splitlines()]  # after the UTC time
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", log.read_text().split(" ", 1)[0])
    prefix = f"{DAY} {dump.name}: "
    assert all(line.startswith(prefix) for line in lines)
    said = [line.removeprefix(prefix) for line in lines]
    # the parts done of those listed: each inner zip's two parts are listed as it is opened, when its first
    # part is queued (two parts ahead of the one done)
    assert [re.match(r"part (\d+/\d+) ", line)[1] for line in said[:5]] == ["1/4", "2/4", "3/5", "4/5", "5/5"]
    assert said[0] == f"part 1/4 synthetic-sor-global-{DAY}-full-00000-00000.csv: 1,000 rows read, 300 kept, 0 malformed"
    assert said[5] == "ingested: 5 parts, 5,000 rows read, 1,500 kept, 0 malformed, 0 duplicates counted once"
    assert said[-1].startswith("not ingested: ") and "no statement of 'Tiktok'" in said[-1]
