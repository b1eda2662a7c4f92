"""Real DSA dumps as they come: every published layout, duplicates across parts, EEA scope,
platform names, zip bombs. The real rows are the slices in data/raw/dsa/ (provenance in the data
package); everything else is generated here or by ``dsa synth`` (named synthetic)."""

import io
import json
import struct
import zipfile

import duckdb
import pytest

from analysis import datapackage
from analysis.dsa import archive, ingest, query, schema, synth
from analysis.dsa.ingest import sql
from analysis.errors import DataError, UsageError
from conftest import run_cli

REAL_2024 = "dsa-sor-2024-03-14-part-slice"  # 37 columns, an exact duplicate, LI/NO and IS/LI/NO
REAL_2025 = "dsa-sor-2025-07-01-part-slice"  # 38 columns, EU-27, DE, EEA-30


def nested_dump(path, inner_zips: dict[str, list[tuple[str, bytes]]]):
    """A dump in the official layout: an outer zip of inner ``.csv.zip`` files of CSV parts."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as outer:
        for inner_name, parts in inner_zips.items():
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as inner:
                for name, data in parts:
                    inner.writestr(name, data)
            outer.writestr(inner_name, buffer.getvalue())
    return path


def real_dump(tmp_path, resource, day, *, twice=False):
    """The real slice packed as its day's dump; ``twice`` puts the same part in a second inner zip."""
    data = datapackage.read(resource).read_bytes()
    inner = {f"sor-global-{day}-full-00000.csv.zip": [(f"sor-global-{day}-full-00000-00000.csv", data)]}
    if twice:
        inner[f"sor-global-{day}-full-00001.csv.zip"] = [(f"sor-global-{day}-full-00001-00000.csv", data)]
    return nested_dump(tmp_path / f"sor-global-{day}-full.zip", inner)


@pytest.fixture(scope="module")
def both_years(tmp_path_factory):
    """The 2024 (37 columns) and 2025 (38 columns) real days, ingested side by side."""
    root = tmp_path_factory.mktemp("real")
    out = root / "pq"
    reports = [ingest.ingest_dump(real_dump(root, REAL_2024, "2024-03-14"), out, platforms=None, progress=False),
               ingest.ingest_dump(real_dump(root, REAL_2025, "2025-07-01"), out, platforms=None, progress=False)]
    return out, reports


def test_every_published_layout_ingests_into_one_schema(both_years):
    out, (old, new) = both_years
    assert old.layouts == ["full-37"] and new.layouts == ["full-38"]
    schemas = {day: duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet('{out}/date={day}/*/*.parquet')")
               .fetchall() for day in ("2024-03-14", "2025-07-01")}
    assert schemas["2024-03-14"] == schemas["2025-07-01"]
    with query.connect(out) as con:
        table = con.execute("SELECT platform_name, content_id_ean, territorial_scope FROM statements "
                            "ORDER BY created_at, platform_name").fetchall()
    assert [row[0] for row in table] == ["Google Shopping", "Pinterest", "TikTok", "Wallapop", "Hotel Hideaway",
                                         "Kleinanzeigen"]
    assert all(row[1] is None for row in table)  # absent in 2024, empty in these 2025 rows: never shifted
    assert table[5][2] == ["DE"] and table[4][2] == sorted(schema.TERRITORIES)  # parsed by the view
    stored = duckdb.sql(f"SELECT territorial_scope FROM read_parquet('{out}/date=*/*/*.parquet') "
                        "WHERE platform_name = 'Kleinanzeigen'").fetchall()[0][0]
    assert stored == '["DE"]'  # the JSON array as published


def test_both_years_query_together(both_years):
    out, _ = both_years
    table = query.query_duckdb(out, by="day", platforms=None, category=None)
    assert table.groupby("period")["statements"].sum().to_dict() == {"2024-03-14": 3, "2025-07-01": 3}
    minors = query.query_duckdb(out, by="month", platforms=["TikTok"])
    assert minors[["period", "platform", "statements"]].values.tolist() == [["2024-03", "TikTok", 1]]


def test_exact_duplicate_counts_once_and_is_reported(both_years):
    out, (old, _) = both_years
    assert old.rows == 4 and old.kept == 3 and old.duplicates == 1 and old.malformed == 0
    report = json.loads((out / "date=2024-03-14" / "_ingest.json").read_text())
    assert report["duplicate_examples"] == [{
        "uuid": "03b1b1c9-a860-4bf6-afff-0d8f0d944871", "file": "sor-global-2024-03-14-full-00000-00000.csv",
        "record": 2, "first_file": "sor-global-2024-03-14-full-00000-00000.csv", "first_record": 1}]


def test_same_part_twice_across_inner_zips_counts_once(tmp_path):
    report = ingest.ingest_dump(real_dump(tmp_path, REAL_2024, "2024-03-14", twice=True), tmp_path / "pq",
                                platforms=None, progress=False)
    assert report.parts == 2 and report.rows == 8 and report.kept == 3 and report.duplicates == 5
    second = [d for d in report.duplicate_examples if d["file"].endswith("00001-00000.csv")]
    assert second[0] == {"uuid": "03b1b1c9-a860-4bf6-afff-0d8f0d944871",
                         "file": "sor-global-2024-03-14-full-00001-00000.csv", "record": 1,
                         "first_file": "sor-global-2024-03-14-full-00000-00000.csv", "first_record": 1}
    assert query.query_duckdb(tmp_path / "pq", by="day", platforms=None, category=None)["statements"].sum() == 3


def test_same_uuid_other_content_is_malformed(tmp_path):
    text = datapackage.read(REAL_2024).read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    lines[2] = lines[2].replace("AUTOMATED_DECISION_FULLY", "AUTOMATED_DECISION_PARTIALLY")
    part = tmp_path / "sor-global-2024-03-14-full-00000-00000.csv"
    part.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(DataError, match=r"1 of 4 rows malformed .*record 2: uuid 03b1b1c9-\S+ already seen "
                                        r"with other content \(sor-global-2024-03-14-full-00000-00000.csv, record 1\)"):
        ingest.ingest_dump(part, tmp_path / "pq", platforms=None, progress=False)
    report = ingest.ingest_dump(part, tmp_path / "pq", platforms=None, progress=False, max_malformed=0.5,
                                log=lambda _: None)
    assert report.malformed == 1 and report.duplicates == 0 and report.kept == 3


def test_uuids_sharing_a_hash_are_told_apart():
    """Only the 64-bit hashes of the stored uuids are kept through the day; two parts storing the
    same hash are candidates, told apart by the uuids read again (a hash collision is no repeat)."""
    con = duckdb.connect()
    con.execute("CREATE TABLE stored (uuid_hash UBIGINT, part INTEGER, record BIGINT)")
    con.execute("INSERT INTO stored VALUES (7, 0, 1), (7, 1, 1), (8, 1, 2), (8, 2, 5), (9, 2, 6)")
    con.execute(sql.CANDIDATES)
    con.execute("CREATE TABLE again AS SELECT * FROM (VALUES (0, 1, 'a'), (1, 1, 'b'), (1, 2, 'c'), (2, 5, 'c')) "
                "AS t(part, record, uuid)")
    con.execute(sql.ACROSS_PARTS)
    assert con.execute("SELECT * FROM across").fetchall() == [(2, 5, "c", 1, 2)]


@pytest.mark.parametrize("code, expected", [("NO", {"2024-03-14": 3, "2025-07-01": 1}),
                                            ("is", {"2024-03-14": 2, "2025-07-01": 1}),
                                            ("LI", {"2024-03-14": 3, "2025-07-01": 1}),
                                            ("DE", {"2024-03-14": 3, "2025-07-01": 3})])
def test_eea_territories(both_years, code, expected):
    out, _ = both_years
    table = query.query_duckdb(out, by="day", platforms=None, category=None, territory=code)
    assert table.groupby("period")["statements"].sum().to_dict() == expected


@pytest.mark.parametrize("code", ["France", "UK", "CH", "F", ""])
def test_territory_outside_eu_and_eea_is_refused_with_the_list(both_years, code):
    with pytest.raises(UsageError, match=r"AT, BE, BG.*IS.*LI.*NO.*SK"):
        query.query_duckdb(both_years[0], platforms=None, category=None, territory=code)


def test_platform_names_with_spaces_and_quotes(both_years, tmp_path):
    out, _ = both_years
    table = query.query_duckdb(out, by="day", platforms=["Hotel Hideaway", "Google Shopping"], category=None)
    assert sorted(table["platform"]) == ["Google Shopping", "Hotel Hideaway"]
    report = ingest.ingest_dump(real_dump(tmp_path, REAL_2025, "2025-07-01"), tmp_path / "pq",
                                platforms=["Hotel Hideaway"], progress=False)
    assert report.kept == 1 and report.platforms == ["Hotel Hideaway"]
    assert [p.name for p in (tmp_path / "pq" / "date=2025-07-01").glob("platform=*")] == ["platform=Hotel_Hideaway"]


def test_unknown_header_is_refused_naming_the_column(tmp_path):
    text = datapackage.read(REAL_2025).read_text(encoding="utf-8")
    part = tmp_path / "sor-global-2025-07-01-full-00000-00000.csv"
    part.write_text(text.replace(",content_id_ean,", ",content_id_gtin,", 1), encoding="utf-8")
    with pytest.raises(DataError, match=r"column content_id_gtin: .*every published layout.*"
                                        r"unexpected \['content_id_gtin'\]"):
        ingest.ingest_dump(part, tmp_path / "pq", platforms=None, progress=False)
    header = ",".join(reversed(schema.COLUMNS))
    part.write_text(header + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="same columns in another order"):
        ingest.ingest_dump(part, tmp_path / "pq", platforms=None, progress=False)


def test_dump_renamed_to_another_day_is_refused(tmp_path):
    data = datapackage.read(REAL_2025).read_bytes()
    renamed = tmp_path / "sor-global-2025-07-02-full-00000-00000.csv"
    renamed.write_bytes(data)
    with pytest.raises(DataError, match=r"3 of 3 rows malformed.*created_at is not on 2025-07-02"):
        ingest.ingest_dump(renamed, tmp_path / "pq", platforms=None, progress=False)
    bad_day = tmp_path / "sor-global-2025-02-30-full.zip"
    bad_day.write_bytes(b"")
    with pytest.raises(DataError, match="2025-02-30 in the file name is not a calendar day"):
        ingest.ingest_dump(bad_day, tmp_path / "pq", progress=False)


# --- resource limits -------------------------------------------------------------------------

def _zeros_dump(path, megabytes):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zipped:
        with zipped.open("sor-global-2025-07-01-full-00000-00000.csv", "w", force_zip64=True) as member:
            block = bytes(1 << 20)
            for _ in range(megabytes):
                member.write(block)
    return path


def test_zip_bomb_is_refused_before_extraction(tmp_path):
    bomb = _zeros_dump(tmp_path / "sor-global-2025-07-01-full.zip", 64)  # ~64 KB inflating 1000×
    with pytest.raises(DataError, match=r"declares 67,108,864 bytes .* 100× its compressed size \(zip bomb\?\)"):
        ingest.ingest_dump(bomb, tmp_path / "pq", platforms=None, progress=False)
    with pytest.raises(DataError, match=r"above the limit of 1,000,000 bytes"):
        ingest.ingest_dump(bomb, tmp_path / "pq", platforms=None, progress=False,
                           limits=archive.Limits(max_bytes=1_000_000, max_ratio=10_000))
    assert list((tmp_path / "pq").iterdir()) == []  # nothing extracted, nothing left


def test_lying_member_header_costs_at_most_its_declared_size(tmp_path):
    """A member whose header understates its size stops there and leaves nothing."""
    bomb = _zeros_dump(tmp_path / "real.zip", 8)
    with zipfile.ZipFile(bomb) as zipped:
        info = zipped.infolist()[0]
        info.file_size = 1000  # what a lying header would declare
        with pytest.raises(DataError, match="corrupt or truncated member .*inflates past its declared 1,000 bytes"):
            archive._extract(zipped, info, tmp_path / "out.csv", bomb, archive.Limits())
    assert not (tmp_path / "out.csv").exists()


def _members_of_every_kind(path):
    """A zip holding what zipfile itself writes: deflated (small, empty, several chunks, ZIP64
    headers, a data descriptor when written to a stream), stored, and bzip2."""
    data = b"uuid,platform_name\n" + b"".join(b"%d,X\n" % n for n in range(400_000))  # past one CHUNK
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("small.csv", b"a,b\n1,2\n")
        zipped.writestr("empty.csv", b"")
        zipped.writestr("large.csv", data)
        with zipped.open("zip64.csv", "w", force_zip64=True) as member:
            member.write(data)
        zipped.writestr("stored.csv", data, compress_type=zipfile.ZIP_STORED)
        zipped.writestr("bzip2.csv", data, compress_type=zipfile.ZIP_BZIP2)
    streamed = io.BytesIO()
    with zipfile.ZipFile(_Unseekable(streamed), "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("descriptor.csv", data)
    path.with_name("streamed.zip").write_bytes(streamed.getvalue())
    return [path, path.with_name("streamed.zip")]


class _Unseekable(io.RawIOBase):
    """A stream zipfile cannot seek back in: it writes each member's sizes after its data."""
    def __init__(self, sink):
        self.sink = sink

    def writable(self):
        return True

    def write(self, data):
        return self.sink.write(data)


def test_members_read_as_zipfile_reads_them(tmp_path):
    """Deflated members are inflated by ISA-L from the archive's bytes (archive._inflated): the
    same content as zipfile's, in chunks no larger than CHUNK, whatever the headers hold."""
    for path in _members_of_every_kind(tmp_path / "kinds.zip"):
        with zipfile.ZipFile(path) as zipped:
            for info in zipped.infolist():
                chunks = list(archive._chunks(zipped, info))
                assert b"".join(chunks) == zipped.read(info), info.filename
                assert all(len(chunk) <= archive.CHUNK for chunk in chunks)


def _flip(path, start, length):
    data = bytearray(path.read_bytes())
    data[start:start + length] = bytes(b ^ 0x55 for b in data[start:start + length])
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage, message", [
    (lambda path, info: setattr(info, "CRC", info.CRC ^ 1), "Bad CRC-32"),
    (lambda path, info: setattr(info, "compress_size", info.compress_size // 2), "compressed stream cut off"),
    (lambda path, info: path.write_bytes(path.read_bytes()[:info.header_offset + 1000]), "ends before its declared"),
    (lambda path, info: _flip(path, info.header_offset + 200, 50), "."),  # inflate or CRC fails
    (lambda path, info: _flip(path, info.header_offset, 4), "bad local header"),
], ids=["crc", "stream cut off", "file cut off", "flipped bytes", "local header"])
def test_a_damaged_member_is_refused_and_leaves_nothing(tmp_path, damage, message):
    path = _members_of_every_kind(tmp_path / "kinds.zip")[0]
    with zipfile.ZipFile(path) as zipped:  # the central directory is read before the damage
        info = zipped.getinfo("large.csv")
        damage(path, info)
        with pytest.raises(DataError, match=f"corrupt or truncated member 'large.csv': .*{message}"):
            archive._extract(zipped, info, tmp_path / "out.csv", path, archive.Limits())
    assert not (tmp_path / "out.csv").exists()


def test_members_sharing_their_bytes_are_refused(tmp_path):
    """Two central-directory entries pointing at one member would inflate it twice (an
    overlapping zip bomb: each entry is within its own limits)."""
    dump = real_dump(tmp_path, REAL_2025, "2025-07-01")
    data = dump.read_bytes()
    with zipfile.ZipFile(dump) as zipped:
        start = zipped.start_dir
    end = data.rindex(b"PK\x05\x06")
    central = data[start:end] * 2  # the one entry, twice
    record = bytearray(data[end:end + 22])
    struct.pack_into("<HHI", record, 8, 2, 2, len(central))
    dump.write_bytes(data[:start] + central + bytes(record) + data[end + 22:])
    with zipfile.ZipFile(dump) as zipped:
        assert len(zipped.infolist()) == 2  # zipfile (3.11) reads both
    with pytest.raises(DataError, match=r"members '.*00000\.csv\.zip' and '.*00000\.csv\.zip' overlap"):
        ingest.ingest_dump(dump, tmp_path / "pq", platforms=None, progress=False)
    assert list((tmp_path / "pq").iterdir()) == []


def _patch_member(path, name, local_offset, central_offset, value):
    """Set a 16-bit field of member ``name`` in both its local and its central header."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zipped:
        info, central = zipped.getinfo(name), zipped.start_dir
    while data[central + 46:central + 46 + len(name)] != name.encode():
        central = data.index(b"PK\x01\x02", central + 1)
    for at in (info.header_offset + local_offset, central + central_offset):
        data[at:at + 2] = value.to_bytes(2, "little")
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("patch, message", [
    (lambda path: _patch_member(path, "small.csv", 6, 8, 0x1), "cannot be read: .*encrypted"),  # flags
    (lambda path: _patch_member(path, "small.csv", 8, 10, 9), "cannot be read: .*compression method"),  # deflate64
], ids=["encrypted", "deflate64"])
def test_a_member_zipfile_cannot_read_is_refused_and_leaves_nothing(tmp_path, patch, message):
    path = _members_of_every_kind(tmp_path / "kinds.zip")[0]
    patch(path)
    with zipfile.ZipFile(path) as zipped:
        with pytest.raises(DataError, match=f"member 'small.csv' {message}"):
            archive._extract(zipped, zipped.getinfo("small.csv"), tmp_path / "out.csv", path, archive.Limits())
    assert not (tmp_path / "out.csv").exists()


def test_a_local_header_naming_another_member_is_refused(tmp_path):
    path = _members_of_every_kind(tmp_path / "kinds.zip")[0]
    with zipfile.ZipFile(path) as zipped:
        offset = zipped.getinfo("large.csv").header_offset
    path.write_bytes(path.read_bytes()[:offset + 30] + b"LARGE" + path.read_bytes()[offset + 35:])
    with zipfile.ZipFile(path) as zipped:
        with pytest.raises(DataError, match="local header of 'large.csv' names 'LARGE.csv'"):
            archive._extract(zipped, zipped.getinfo("large.csv"), tmp_path / "out.csv", path, archive.Limits())


def test_an_empty_deflated_member_may_hold_no_stream(tmp_path):
    """Some writers give an empty member the deflate method and no compressed byte; zipfile reads it."""
    path = tmp_path / "empty.zip"
    with zipfile.ZipFile(path, "w") as zipped:
        zipped.writestr("empty.csv", b"", compress_type=zipfile.ZIP_STORED)
    _patch_member(path, "empty.csv", 8, 10, zipfile.ZIP_DEFLATED)
    with zipfile.ZipFile(path) as zipped:
        info = zipped.getinfo("empty.csv")
        assert info.compress_type == zipfile.ZIP_DEFLATED and info.compress_size == 0
        assert list(archive._chunks(zipped, info)) == [] and zipped.read(info) == b""


def test_repeats_after_a_broken_line_are_counted(tmp_path):
    """The parts holding repeats are read again as the scan read them, a broken line refused and
    the lines after it read (DuckDB's ignore_errors drops those), so their records are found."""
    header, *rows = datapackage.read(REAL_2025).read_bytes().decode().splitlines(keepends=True)
    broken = rows[0].replace('"This was a violation', '"This was "a violation', 1)
    assert broken != rows[0]
    name = "sor-global-2025-07-01-full"
    dump = nested_dump(tmp_path / f"{name}.zip", {f"{name}-00000.csv.zip": [
        (f"{name}-00000-00000.csv", "".join([header, *rows]).encode()),
        (f"{name}-00000-00001.csv", "".join([header, broken, *rows]).encode())]})
    report = ingest.ingest_dump(dump, tmp_path / "pq", platforms=None, progress=False, max_malformed=0.5,
                                log=lambda _: None)
    assert (report.rows, report.kept, report.duplicates, report.malformed) == (7, 3, 3, 1)
    stored = duckdb.connect().execute(f"SELECT count(*), count(DISTINCT uuid) FROM '{tmp_path}/pq/*/*/*.parquet'")
    assert stored.fetchone() == (3, 3)


# --- synthetic dumps carry marks that ingest reads -----------------------------------------------

def test_renamed_synthetic_dump_is_still_synthetic(tmp_path):
    dump = synth.synth_dump("2025-06-03", 10_000, tmp_path)
    renamed = dump.rename(tmp_path / "sor-global-2025-06-03-full.zip")
    report = ingest.ingest_dump(renamed, tmp_path / "pq", progress=False)
    assert report.synthetic and report.source == "sor-global-2025-06-03-full.zip"
    assert query.ingested_days(tmp_path / "pq")["synthetic"].tolist() == [True]
    with zipfile.ZipFile(renamed) as outer:  # even a bare part, renamed, carries the rows' marks
        inner = zipfile.ZipFile(io.BytesIO(outer.read(outer.namelist()[0])))
        (tmp_path / "sor-global-2025-06-03-full-00000-00000.csv").write_bytes(inner.read(inner.namelist()[0]))
    report = ingest.ingest_dump(tmp_path / "sor-global-2025-06-03-full-00000-00000.csv", tmp_path / "pq2",
                                progress=False)
    assert report.synthetic


def test_real_days_are_not_synthetic(both_years):
    assert not query.ingested_days(both_years[0])["synthetic"].any()


# --- dsa synth: the published variations, and arguments no dump could have ----------------------

def test_synth_variations_ingest_to_the_expected_counts(tmp_path):
    dump = synth.synth_dump("2025-06-03", 20_000, tmp_path, columns=37, duplicates=4, eea_tenths=3)
    report = ingest.ingest_dump(dump, tmp_path / "pq", progress=False)
    counts = synth.expected(20_000, eea_tenths=3)
    assert report.layouts == ["full-37"] and report.rows == 20_004
    assert report.duplicates == 3  # of the 4 rows repeated, rows 0, 1, 2 are X's: the ones kept
    assert report.kept == counts["x"]
    for code, key in (("NO", "x_minors_eea"), ("IS", "x_minors_eea"), ("FR", "x_minors_fr")):
        table = query.query_duckdb(tmp_path / "pq", territory=code)
        assert table["statements"].sum() == counts[key] > 0


@pytest.mark.parametrize("kwargs, message", [
    ({"x_tenths": 11}, "--x-tenths must be .* 0 to 10"),
    ({"fr_tenths": -1}, "--fr-tenths"),
    ({"date": "2025-02-30"}, "not a calendar day"),
    ({"date": "yesterday"}, "not a calendar day"),
    ({"rows": 0}, r"--rows must be a whole number ≥ 1"),
    ({"columns": 36}, "--columns must be 38"),
    ({"duplicates": 10_001}, "--duplicates"),
])
def test_synth_refuses_impossible_arguments_and_leaves_nothing(tmp_path, kwargs, message):
    arguments = {"date": "2025-06-03", "rows": 10_000, "out_dir": tmp_path / "out"} | kwargs
    with pytest.raises(UsageError, match=message):
        synth.synth_dump(**arguments)
    assert not (tmp_path / "out").exists()


def test_synth_failure_midway_leaves_no_temporary_file(tmp_path):
    blocked = tmp_path / "synthetic-sor-global-2025-06-03-full.zip"
    blocked.mkdir()  # a folder where the dump goes: the last step, the rename, fails
    with pytest.raises(OSError):
        synth.synth_dump("2025-06-03", 10_000, tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == [blocked.name] and not list(blocked.iterdir())


# --- query: definitions, names, and values that are not in the data ----------------------------------

@pytest.fixture(scope="module")
def with_additions(tmp_path_factory):
    """A synthetic day where some of X's statements list minors only in category_addition."""
    root = tmp_path_factory.mktemp("additions")
    dump = synth.synth_dump("2025-06-03", 10_000, root)
    with zipfile.ZipFile(dump) as outer:
        inner = zipfile.ZipFile(io.BytesIO(outer.read(outer.namelist()[0])))
        lines = inner.read(inner.namelist()[0]).decode().splitlines(keepends=True)
    addition = '"[""STATEMENT_CATEGORY_PROTECTION_OF_MINORS""]"'
    changed = 0
    for number, line in enumerate(lines[1:], start=1):
        if ",X,synthetic-" in line and schema.MINORS not in line and changed < 25:
            lines[number] = line.replace(',[],', f',{addition},', 1)
            changed += 1
    part = root / "synthetic-sor-global-2025-06-03-full-00000-00000.csv"
    part.write_text("".join(lines))
    ingest.ingest_dump(part, root / "pq", progress=False)
    return root / "pq", changed


def test_additional_categories_are_an_explicit_definition(with_additions):
    data, changed = with_additions
    narrow = query.query_duckdb(data, by="day")
    wide = query.query_duckdb(data, by="day", with_additional_categories=True)
    assert changed == 25
    assert narrow["statements"].sum() == synth.expected(10_000)["x_minors"]
    assert wide["statements"].sum() == narrow["statements"].sum() + 25
    assert narrow.attrs["definition"] == "category"
    assert wide.attrs["definition"] == "category or category_addition"
    assert wide["category"].unique().tolist() == [schema.MINORS]


def test_every_name_of_a_service_counts(tmp_path, data_copy):
    names_file = data_copy / "reference" / "dsa-platform-names.csv"
    names_file.write_text(names_file.read_text() + "X Corp.,X,a former name (made up for this test)\n")
    package = data_copy / "datapackage.json"
    entry = datapackage.resource("dsa-platform-names", package)
    datapackage.register(names_file, package=package, **{k: v for k, v in entry.items() if k in
                                                         ("name", "title", "sources", "licenses", "obtained", "accessed")})
    part = tmp_path / "synthetic-sor-global-2025-06-03-full-00000-00000.csv"
    with zipfile.ZipFile(synth.synth_dump("2025-06-03", 10_000, tmp_path)) as outer:
        inner = zipfile.ZipFile(io.BytesIO(outer.read(outer.namelist()[0])))
        text = inner.read(inner.namelist()[0]).decode()
    lines = text.splitlines(keepends=True)
    renamed = 0
    for number in range(1, len(lines), 2):  # half of X's rows under a former name
        if ",X,synthetic-" in lines[number]:
            lines[number] = lines[number].replace(",X,synthetic-", ",X Corp.,synthetic-")
            renamed += 1
    part.write_text("".join(lines))
    with datapackage.using(package):
        report = ingest.ingest_dump(part, tmp_path / "pq", progress=False)
        table = query.query_duckdb(tmp_path / "pq", category=None)
    assert report.platforms == ["X", "X Corp."] and report.kept == 3_000 and 0 < renamed < 3_000
    assert table.groupby("platform")["statements"].sum().to_dict() == {"X": 3_000}


@pytest.mark.parametrize("kwargs, message", [
    ({"category": "X' OR category IS NOT NULL OR category LIKE 'A"}, r"unknown category"),
    ({"category": "STATEMENT_CATEGORY_X' OR 'A"}, r"unknown category"),
    ({"category": "STATEMENT_CATEGORY_NOT_A_THING"}, r"categories in .*STATEMENT_CATEGORY_PROTECTION_OF_MINORS"),
    ({"platforms": ["Twiter"]}, r"no ingested statement of platform 'Twiter'; platforms in .*X"),
    ({"platforms": ["X' OR 'a'='a"]}, r"no ingested statement of platform"),
    ({"territory": "FR' OR TRUE OR '"}, r"not a code of territorial_scope"),
])
def test_hostile_or_unknown_values_are_refused_not_pasted(with_additions, kwargs, message):
    with pytest.raises(UsageError, match=message):
        query.query_duckdb(with_additions[0], **kwargs)


def test_apostrophes_in_paths_and_names(tmp_path):
    folder = tmp_path / "l'été"
    dump = synth.synth_dump("2025-06-03", 10_000, folder)
    ingest.ingest_dump(dump, folder / "o'pq", progress=False)
    assert query.query_duckdb(folder / "o'pq")["statements"].sum() == synth.expected(10_000)["x_minors"]


# --- the command line: one line, an exit code, never a traceback ---------------------------------

@pytest.mark.parametrize("args, code, message", [
    (["query", "--territory", "France"], 1, "error: --territory 'France' is not a code of territorial_scope; "
                                            "valid: AT, BE"),
    (["query", "--category", "X' OR category IS NOT NULL OR category LIKE 'A"], 1, "unknown category"),
    (["query", "--platform", "Twiter"], 1, "no ingested statement of platform 'Twiter'"),
    (["synth", "--date", "2025-02-30", "--rows", "10", "--out", "{tmp}/s"], 1, "not a calendar day"),
    (["synth", "--date", "2025-06-03", "--rows", "10", "--x-tenths", "11", "--out", "{tmp}/s"], 1, "0 to 10"),
    (["synth", "--date", "2025-06-03", "--rows", "0", "--out", "{tmp}/s"], 1, "--rows must be"),
    (["ingest", "{dump}", "--out", "{tmp}/i", "--max-malformed", "nan"], 2, "between 0 and 1"),
    (["ingest", "{dump}", "--out", "{tmp}/i", "--platform", "Twiter"], 1, "--allow-absent"),
    (["fetch", "--from", "2025-06-05", "--to", "2025-06-03"], 1, "is before --from"),
])
def test_cli_refusals_are_one_line(with_additions, tmp_path, args, code, message):
    dump = synth.synth_dump("2025-06-03", 10_000, tmp_path / "d") if "{dump}" in args else None
    args = [a.format(tmp=tmp_path, dump=dump) for a in args]
    if args[0] == "query":
        args += ["--data", str(with_additions[0])]
    result = run_cli("dsa", *args)
    assert result.returncode == code and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "s").exists() and not list((tmp_path / "i").glob("date=*"))


def test_spark_agrees_on_real_layouts_and_definitions(both_years, with_additions, spark):
    for data, kwargs in ((both_years[0], {"by": "day", "platforms": None, "category": None, "territory": "NO"}),
                         (both_years[0], {"by": "month", "platforms": ["Hotel Hideaway", "TikTok"], "category": None}),
                         (with_additions[0], {"by": "day", "with_additional_categories": True}),
                         (with_additions[0], {"by": "month"})):
        duck = query.query_duckdb(data, **kwargs)
        sparked = query.query_spark(data, session=spark, **kwargs)
        import pandas as pd

        pd.testing.assert_frame_equal(duck, sparked)
        assert duck.attrs == sparked.attrs
    with pytest.raises(UsageError, match="not a code of territorial_scope"):
        query.query_spark(both_years[0], session=spark, territory="UK")


@pytest.mark.parametrize("damage, message", [
    (lambda data: b"", "empty CSV part: no header"),
    (lambda data: data.split(b"\n")[0] + b"\n", "no rows in the dump"),
    (lambda data: bytes(range(256)) * 10, r"column uuid: .* every published layout .*missing \['uuid', .* more\]"),
    (lambda data: data.replace(b",content_date,", b",content_d\xe2te,", 1), r"row 1: unreadable CSV header"),
])
def test_unreadable_parts_are_refused_naming_the_file(tmp_path, damage, message):
    part = tmp_path / "sor-global-2025-07-01-full-00000-00000.csv"
    part.write_bytes(damage(datapackage.read(REAL_2025).read_bytes()))
    with pytest.raises(DataError, match=message):
        ingest.ingest_dump(part, tmp_path / "pq", platforms=None, progress=False)
    assert list((tmp_path / "pq").iterdir()) == []


@pytest.mark.parametrize("zipped", [False, True], ids=["bare part", "in a dump"])
def test_a_latin1_byte_in_a_row_is_a_located_malformed_line(tmp_path, zipped):
    """Found whether the part is checked as a file or as it is extracted (archive.Utf8Check)."""
    name = "sor-global-2025-07-01-full-00000-00000.csv"
    data = datapackage.read(REAL_2025).read_bytes().replace("§".encode(), b"\xa7")
    part = (nested_dump(tmp_path / "sor-global-2025-07-01-full.zip", {"inner.csv.zip": [(name, data)]}) if zipped
            else tmp_path / name)
    if not zipped:
        part.write_bytes(data)
    report = ingest.ingest_dump(part, tmp_path / "pq", platforms=None, progress=False, max_malformed=0.5,
                                log=lambda _: None)
    assert report.malformed == 1 and report.kept == 2
    assert report.examples == [f"{name}, line 3: invalid encoding"]


def test_corrupt_inner_zip_is_named(tmp_path):
    dump = nested_dump(tmp_path / "sor-global-2025-07-01-full.zip", {})
    with zipfile.ZipFile(dump, "a") as outer:
        outer.writestr("sor-global-2025-07-01-full-00000.csv.zip", b"PK\x03\x04 not really a zip")
    with pytest.raises(DataError, match=r"full.zip/sor-global-2025-07-01-full-00000.csv.zip: not a readable zip"):
        ingest.ingest_dump(dump, tmp_path / "pq", platforms=None, progress=False)
    assert list((tmp_path / "pq").iterdir()) == []
